"""API schemas of the CB workflow: schemas shared across the workflow's aggregates."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Field, Schema


class AttachmentOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    size: int
    uploaded_by: str | None
    created_at: Any

    @staticmethod
    def resolve_size(obj: Any) -> int:
        try:
            return int(obj.file.size)
        except (OSError, ValueError):
            return 0

    @staticmethod
    def resolve_uploaded_by(obj: Any) -> str | None:
        return obj.uploaded_by.email if obj.uploaded_by else None
