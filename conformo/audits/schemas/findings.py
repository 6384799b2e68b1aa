"""API schemas of the CB workflow: findings, their responses and verifications."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema


class FindingIn(Schema):
    grade: str
    statement: str = Field(min_length=1)
    evidence: str = ""
    clauses: list[str] = Field([], description="'standard-code:ref', e.g. 'iso-9001-2015:8.5.1'.")
    site_id: UUID | None = None
    raised_on: date | None = None


class ResponseIn(Schema):
    correction: str
    root_cause: str
    corrective_action: str
    planned_completion: date | None = None


class ResponseOut(Schema):
    id: UUID = Field(alias="public_id")
    correction: str
    root_cause: str
    corrective_action: str
    planned_completion: date | None
    status: str
    review_comment: str
    created_at: Any


class ReviewIn(Schema):
    comment: str = ""


class VerifyIn(Schema):
    method: str
    effective: bool = True
    notes: str = ""
    verified_on: date | None = None


class VerificationOut(Schema):
    id: UUID = Field(alias="public_id")
    method: str
    effective: bool
    notes: str
    verified_on: date


class FindingOut(Schema):
    id: UUID = Field(alias="public_id")
    audit_id: UUID
    organization: str
    reference: str
    grade: str
    status: str
    statement: str
    evidence: str
    clauses: list[str]
    site: str | None
    raised_on: date
    response_due: date | None
    verification_due: date | None
    hard_stop: date | None
    response_overdue: bool
    deadlines: dict[str, Any]
    responses: list[ResponseOut]
    verifications: list[VerificationOut]

    @staticmethod
    def resolve_audit_id(obj: Any) -> UUID:
        return obj.audit.public_id

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.audit.programme.organization)

    @staticmethod
    def resolve_clauses(obj: Any) -> list[str]:
        return [f"{c.standard.code}:{c.ref}" for c in obj.clauses.all()]

    @staticmethod
    def resolve_site(obj: Any) -> str | None:
        return obj.site.name if obj.site else None

    @staticmethod
    def resolve_response_overdue(obj: Any) -> bool:
        return bool(obj.response_overdue(timezone.localdate()))

    @staticmethod
    def resolve_responses(obj: Any) -> list[Any]:
        return list(obj.responses.all())

    @staticmethod
    def resolve_verifications(obj: Any) -> list[Any]:
        return list(obj.verifications.all())
