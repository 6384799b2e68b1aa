"""Writes of the readiness app: each `<entity>_<verb>(*, actor, ...)`, atomic, audit-logged."""

from conformo.readiness.services.assessments import (
    assessment_create,
    assessment_rerun,
    evidence_add,
    item_answer,
    item_override,
    item_share,
)
from conformo.readiness.services.documents import (
    document_create,
    document_obsolete,
    document_register_prefill,
    document_update,
    revision_approve,
    revision_create,
    revision_reject,
    revision_submit,
)
from conformo.readiness.services.programme import (
    internal_audit_complete,
    internal_audit_plan,
    management_review_create,
    management_review_record,
    review_action_add,
    risk_create,
    risk_matrix_configure,
    risk_update_treatment,
    soa_publish,
)

__all__ = [
    "assessment_create",
    "assessment_rerun",
    "document_create",
    "document_obsolete",
    "document_register_prefill",
    "document_update",
    "evidence_add",
    "internal_audit_complete",
    "internal_audit_plan",
    "item_answer",
    "item_override",
    "item_share",
    "management_review_create",
    "management_review_record",
    "review_action_add",
    "revision_approve",
    "revision_create",
    "revision_reject",
    "revision_submit",
    "risk_create",
    "risk_matrix_configure",
    "risk_update_treatment",
    "soa_publish",
]
