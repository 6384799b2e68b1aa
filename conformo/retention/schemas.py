"""API schemas of records retention (ISO/IEC 17021-1 9.9)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.retention.choices import ActionChoice, RecordKindChoice


class PolicyOut(Schema):
    kind: str
    label: str
    closes: str = Field(description="The day the record's retention clock starts.")
    years: int
    action: str
    actions: list[str] = Field(description="The actions this kind allows.")
    set: bool = Field(description="False while the documented default applies.")


class PolicyRowIn(Schema):
    kind: RecordKindChoice
    years: int = Field(ge=0, le=32767, description="At least 6 (two certification cycles, 17021-1 9.9).")
    action: ActionChoice


class PolicyIn(Schema):
    rows: list[PolicyRowIn] = Field(min_length=1, max_length=len(RecordKindChoice.values))


class DueOut(Schema):
    kind: str
    record_id: str
    title: str
    organization: str
    closed_on: date
    kept_until: date
    action: str


class LogEntryOut(Schema):
    kind: str
    record_id: str
    closed_on: date
    kept_until: date
    action: str
    done_at: datetime


class RunOut(Schema):
    id: UUID = Field(alias="public_id")
    on: date
    done_by: str | None
    via: str
    deleted: int
    anonymised: int
    created_at: datetime
    entries: list[LogEntryOut]

    @staticmethod
    def resolve_done_by(obj: Any) -> str | None:
        return str(obj.done_by) if obj.done_by_id else None

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())
