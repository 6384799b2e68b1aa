from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.core.schemas import column
from conformo.improvement.models import CorrectiveAction, EffectivenessCheck, Nonconformity


class NonconformityIn(Schema):
    source: str = column(Nonconformity, "source")
    grade: str = column(Nonconformity, "grade")
    title: str = Field(min_length=1, max_length=300)
    description: str = column(Nonconformity, "description", default="")
    raised_on: date | None = None


class CorrectiveActionIn(Schema):
    correction: str = column(CorrectiveAction, "correction", default="")
    root_cause: str = column(CorrectiveAction, "root_cause", min_length=1)
    action: str = column(CorrectiveAction, "action", min_length=1)
    due_date: date
    owner_email: str | None = None


class CorrectiveActionOut(Schema):
    correction: str
    root_cause: str
    action: str
    due_date: date
    completed_on: date | None
    owner: str | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None


class CorrectiveActionRevisionOut(Schema):
    number: int
    recorded_at: datetime = Field(alias="created_at")
    recorded_by: str | None
    correction: str
    root_cause: str
    action: str
    due_date: date
    owner: str | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return obj.recorded_by.email if obj.recorded_by_id else None


class CorrectiveActionCompleteIn(Schema):
    completed_on: date


class EffectivenessIn(Schema):
    effective: bool
    notes: str = column(EffectivenessCheck, "notes", default="")
    checked_on: date | None = None


class NonconformityOut(Schema):
    id: UUID = Field(alias="public_id")
    reference: str
    source: str
    grade: str
    title: str
    description: str
    raised_on: date
    status: str
    closed_on: date | None
    corrective_action: CorrectiveActionOut | None
    corrective_action_history: list[CorrectiveActionRevisionOut] = Field(
        description="Every recorded plan of the corrective action, newest first."
    )

    @staticmethod
    def resolve_corrective_action(obj: Any) -> Any:
        return getattr(obj, "corrective_action", None)

    @staticmethod
    def resolve_corrective_action_history(obj: Any) -> list[Any]:
        return list(obj.corrective_action_revisions.all())


class CbFindingOut(Schema):
    id: UUID | None = Field(None, alias="public_id")
    reference: str
    title: str
    grade: str = Field(alias="grade_code")
    status: str = Field(alias="status_code")
    raised_on: date | None
    response_due: date | None
    url: str = Field(description="The finding's page in the audits app, where the organization responds.")
