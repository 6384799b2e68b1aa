"""Writes of the CB workflow, one function per action (`<entity>_<verb>(*, actor, ...)`).

Each checks permission and invariants, writes, and appends an audit-log entry in the same transaction.
"""

from conformo.audits.services.applications import (
    application_decline,
    application_mark_accepted,
    application_review,
    application_submit,
    latest_review,
)
from conformo.audits.services.findings import (
    finding_attach,
    finding_raise,
    finding_respond,
    finding_response_review,
    finding_verify,
)
from conformo.audits.services.plans import (
    objection_resolve,
    plan_accept,
    plan_current,
    plan_draft,
    plan_issue,
    plan_object,
    plan_update,
)
from conformo.audits.services.programmes import (
    Member,
    audit_complete,
    audit_plan,
    audit_start,
    audit_team_assign,
    audit_team_check,
    programme_create,
    programme_next_cycle,
    programme_record_combined_audit,
    programme_start_cycle,
    special_audit_create,
)
from conformo.audits.services.registers import (
    appeal_assign,
    appeal_decide,
    appeal_lodge,
    complaint_advance,
    complaint_assign,
    complaint_receive,
)
from conformo.audits.services.setup import (
    accreditation_create,
    auditor_register,
    cb_settings_get,
    cb_settings_update,
    conflict_declare,
    qualification_add,
    unavailability_add,
)

__all__ = [
    "Member",
    "accreditation_create",
    "appeal_assign",
    "appeal_decide",
    "appeal_lodge",
    "application_decline",
    "application_mark_accepted",
    "application_review",
    "application_submit",
    "audit_complete",
    "audit_plan",
    "audit_start",
    "audit_team_assign",
    "audit_team_check",
    "auditor_register",
    "cb_settings_get",
    "cb_settings_update",
    "complaint_advance",
    "complaint_assign",
    "complaint_receive",
    "conflict_declare",
    "finding_attach",
    "finding_raise",
    "finding_respond",
    "finding_response_review",
    "finding_verify",
    "latest_review",
    "objection_resolve",
    "plan_accept",
    "plan_current",
    "plan_draft",
    "plan_issue",
    "plan_object",
    "plan_update",
    "programme_create",
    "programme_next_cycle",
    "programme_record_combined_audit",
    "programme_start_cycle",
    "qualification_add",
    "special_audit_create",
    "unavailability_add",
]
