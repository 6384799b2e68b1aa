"""Helpers shared by the CB workflow's services: audit-log entries, who manages, who is on the team, the limits
of an uploaded file."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings

from conformo.audits.choices import AuditKind, QualificationRole
from conformo.audits.models import (
    Audit,
    AuditProgramme,
)
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import PermissionDenied, ValidationFailed
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
    AuditKind.TRANSITION: 7,
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


#: Attachment limits, shared by the page and the API (override with the settings
#: AUDITS_ATTACHMENT_MAX_BYTES / AUDITS_ATTACHMENT_EXTENSIONS).
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".txt",
        ".md",
        ".csv",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
    }
)


def attachment_limits() -> tuple[int, frozenset[str]]:
    """(maximum size in bytes, accepted file name extensions)."""
    return (
        int(getattr(settings, "AUDITS_ATTACHMENT_MAX_BYTES", MAX_ATTACHMENT_BYTES)),
        frozenset(getattr(settings, "AUDITS_ATTACHMENT_EXTENSIONS", ATTACHMENT_EXTENSIONS)),
    )


def check_upload(file: Any, *, field: str = "file", only: frozenset[str] | None = None) -> None:
    """Refuse a missing, empty, too large or unaccepted file (`attachment_limits`; `only` narrows the accepted
    extensions further) as an error on `field`."""
    if file is None or not getattr(file, "size", 0):
        raise ValidationFailed("Choose a file to attach.", fields={field: ["Required."]})
    max_bytes, extensions = attachment_limits()
    if only is not None:
        extensions = extensions & only
    if PurePath(file.name or "").suffix.lower() not in extensions:
        raise ValidationFailed(
            "This type of file is not accepted.", fields={field: [f"Accepted types: {', '.join(sorted(extensions))}."]}
        )
    if file.size > max_bytes:
        limit = size_label(max_bytes)
        raise ValidationFailed(f"Attachments are limited to {limit}.", fields={field: [f"The limit is {limit}."]})


def size_label(n: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"
