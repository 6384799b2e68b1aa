"""API schemas of the audit plan (17021-1 9.2.3): versions, timetable rows, the client's objections."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class TimetableRowIn(Schema):
    day: date
    start: time
    end: time
    auditor: str = Field("", max_length=200)
    site: str = Field("", max_length=200)
    remote: bool = False
    activity: str = Field(..., min_length=1, max_length=1000, description="Processes or clauses audited.")


class TimetableRowOut(Schema):
    day: date
    start: str
    end: str
    auditor: str
    site: str
    remote: bool
    activity: str


class PlanEditIn(Schema):
    objectives: str | None = Field(None, max_length=5000)
    scope: str | None = Field(None, max_length=5000)
    criteria: str | None = Field(None, max_length=5000)
    language: str | None = Field(None, max_length=50)
    remote_use: str | None = Field(None, max_length=5000, description="Where and how ICT is used; empty: none.")
    timetable: list[TimetableRowIn] | None = None


class PlanIssueIn(Schema):
    change_note: str = Field("", max_length=5000, description="Required for every version after the first.")


class PlanObjectIn(Schema):
    auditor_id: UUID
    reason: str = Field(..., max_length=5000)


class ObjectionResolveIn(Schema):
    resolution: str = Field(..., description="`replaced` or `kept`.")
    note: str = Field("", max_length=5000)


class ObjectionOut(Schema):
    id: UUID = Field(alias="public_id")
    version: int
    auditor_id: UUID
    auditor: str
    reason: str
    status: str
    resolution: str
    resolution_note: str
    resolved_at: datetime | None

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.plan.version)

    @staticmethod
    def resolve_auditor_id(obj: Any) -> UUID:
        return obj.auditor.public_id

    @staticmethod
    def resolve_auditor(obj: Any) -> str:
        return str(obj.auditor)


class PlanSummaryOut(Schema):
    version: int
    status: str
    issued_at: datetime | None
    accepted_at: datetime | None
    change_note: str
    changes: list[str]


class PlanOut(Schema):
    id: UUID = Field(alias="public_id")
    audit_id: UUID
    version: int
    status: str
    objectives: str
    scope: str
    criteria: str
    language: str
    remote_use: str
    timetable: list[TimetableRowOut]
    facts: dict[str, Any]
    change_note: str
    changes: list[str]
    issued_at: datetime | None
    issued_by: str | None
    accepted_at: datetime | None
    accepted_by: str | None
    objections: list[ObjectionOut]

    @staticmethod
    def resolve_audit_id(obj: Any) -> UUID:
        return obj.audit.public_id

    @staticmethod
    def resolve_issued_by(obj: Any) -> str | None:
        return str(obj.issued_by) if obj.issued_by else None

    @staticmethod
    def resolve_accepted_by(obj: Any) -> str | None:
        return str(obj.accepted_by) if obj.accepted_by else None

    @staticmethod
    def resolve_objections(obj: Any) -> list[Any]:
        return list(obj.objections.select_related("auditor__user", "plan"))
