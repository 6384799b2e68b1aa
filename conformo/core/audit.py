"""Writing the audit log from services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from conformo.core.actors import Actor, acting_user
from conformo.core.models import AuditLogEntry


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj` as plain JSON-able values, for before/after."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        data[name] = value
    return data


def audit_log_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    certification_body_id: int | None = None,
    organization_id: int | None = None,
) -> AuditLogEntry:
    """Append one audit-log entry. Must be called inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log_record must run inside the service's transaction.")
    return AuditLogEntry.objects.create(
        actor=acting_user(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        certification_body_id=certification_body_id,
        organization_id=organization_id,
    )
