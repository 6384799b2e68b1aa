from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] | None = None


class AuditLogEntryOut(Schema):
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.email if obj.actor else None
