"""API schemas of the CB workflow: findings, their responses and verifications."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema

from conformo.core.schemas import listed
from conformo.standards.clause_refs import clause_ref

CLAUSES_HELP = (
    "Clauses or controls cited: each {'standard': 'iso-iec-27001-2022', 'kind': 'control', 'ref': '5.1'} "
    "(kind 'clause' or 'control'), or a clause reference string (docs/api.md, 'Clause references'): "
    "'iso-9001-2015:8.5.1' for a clause, 'iso-iec-27001-2022:A.5.1' for an Annex A control; the forms "
    "'iso-9001-2015 8.5.1' and 'ISO 9001:2015 8.5.1' are read too. A nonconformity (major, minor) cites at least one."
)


class ClauseRefIn(Schema):
    """An unambiguous reference to a clause or an annex control of a standard."""

    standard: str = Field(min_length=1, description="The standard's code, e.g. 'iso-iec-27001-2022'.")
    kind: Literal["clause", "control"] = "clause"
    ref: str = Field(min_length=1, description="The number, e.g. '5.1' (a control may be written 'A.5.1').")


class ClauseRefOut(Schema):
    standard: str
    kind: str
    ref: str
    title: str


class FindingIn(Schema):
    grade: str
    statement: str = Field(min_length=1)
    evidence: str = ""
    clauses: list[ClauseRefIn | str] = Field([], description=CLAUSES_HELP)
    site_id: UUID | None = None
    raised_on: date | None = None


class FindingEditIn(Schema):
    """The finding as corrected: every field is replaced (clauses as in FindingIn)."""

    grade: str
    statement: str = Field(min_length=1)
    evidence: str = ""
    clauses: list[ClauseRefIn | str] = Field([], description=CLAUSES_HELP)
    site_id: UUID | None = None


class FindingWithdrawIn(Schema):
    reason: str = Field(min_length=1, description="Why the finding is withdrawn (kept on the record).")


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


class FindingResponseReviewIn(Schema):
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
    clauses: list[str] = Field(
        description="Clause references in the one form: 'iso-9001-2015:9.2' for a clause, "
        "'iso-iec-27001-2022:A.5.1' for an Annex A control."
    )
    references: list[ClauseRefOut]
    site: str | None
    raised_on: date
    response_due: date | None
    verification_due: date | None
    hard_stop: date | None
    response_overdue: bool
    deadlines: dict[str, Any]
    withdrawn_on: date | None
    withdrawal_reason: str
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
        return [clause_ref(c) for c in listed(obj, "clauses", keep=True)]  # `references` reads them too

    @staticmethod
    def resolve_references(obj: Any) -> list[dict[str, str]]:
        clauses = listed(obj, "clauses", keep=True)
        return [{"standard": c.standard.code, "kind": c.kind, "ref": c.ref, "title": c.title} for c in clauses]

    @staticmethod
    def resolve_site(obj: Any) -> str | None:
        return obj.site.name if obj.site else None

    @staticmethod
    def resolve_response_overdue(obj: Any) -> bool:
        return bool(obj.response_overdue(timezone.localdate()))

    @staticmethod
    def resolve_responses(obj: Any) -> list[Any]:
        return listed(obj, "responses")

    @staticmethod
    def resolve_verifications(obj: Any) -> list[Any]:
        return listed(obj, "verifications")
