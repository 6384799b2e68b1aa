"""Helpers shared by the programme and audit services: audit-log entries, who manages, who is on the team."""

from __future__ import annotations

from typing import Any

from conformo.audits.choices import AuditKind, QualificationRole
from conformo.audits.models import (
    Audit,
    AuditProgramme,
)
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import PermissionDenied
from conformo.core.tenancy import MANAGERS, has_cb_role

SURVEILLANCE_KINDS = (AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION)
ORDER = {
    AuditKind.TRANSFER_REVIEW: 0,
    AuditKind.STAGE_1: 1,
    AuditKind.STAGE_2: 2,
    AuditKind.SURVEILLANCE_1: 3,
    AuditKind.SURVEILLANCE_2: 4,
    AuditKind.RECERTIFICATION: 5,
    AuditKind.SPECIAL: 6,
}


def log_programme(actor: Actor, action: str, obj: Any, programme: AuditProgramme, **kwargs: Any) -> None:
    audit_log_record(
        actor=actor,
        action=action,
        obj=obj,
        certification_body_id=programme.certification_body_id,
        organization_id=programme.organization_id,
        **kwargs,
    )


def require_manager(actor: Actor, programme: AuditProgramme, action: str) -> None:
    if not has_cb_role(actor, programme.certification_body_id, *MANAGERS):
        raise PermissionDenied(f"Only a CB administrator or programme manager can {action}.")


def is_lead(actor: Actor, audit: Audit) -> bool:
    return bool(audit.team.filter(auditor__user=acting_user(actor), role=QualificationRole.LEAD_AUDITOR).exists())


def on_team(actor: Actor, audit: Audit) -> bool:
    return bool(audit.team.filter(auditor__user=acting_user(actor)).exists())
