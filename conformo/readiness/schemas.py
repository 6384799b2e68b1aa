from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.core.schemas import column
from conformo.readiness.models import Answer, Document, Risk


class AssessmentIn(Schema):
    standards: list[str] = Field(min_length=1, description="Standard codes, e.g. iso-9001-2015.")
    title: str = Field("", max_length=200)


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    organization_id: UUID
    standards: list[str]
    previous_id: UUID | None
    created_at: datetime

    @staticmethod
    def resolve_organization_id(obj: Any) -> UUID:
        return obj.organization.public_id

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]

    @staticmethod
    def resolve_previous_id(obj: Any) -> UUID | None:
        return obj.previous.public_id if obj.previous_id else None


class AssessmentRowOut(Schema):
    """AssessmentOut read from `selectors.assessment_detail_row` (plain values)."""

    id: UUID
    title: str
    organization_id: UUID
    standards: list[str]
    previous_id: UUID | None
    created_at: datetime


TRANSITION_STATE = (
    "In a transition assessment: to_confirm (carried over one to one), to_review (merged or split), open (new in "
    "this edition), confirmed; empty otherwise."
)
CARRIED_FROM = "In a transition assessment: the old edition's clauses whose answers fed this one, with their status."


class CarriedFromOut(Schema):
    ref: str = Field(..., description="Old clause ref; annex controls as A.<ref>.")
    status: str


class TransitionIn(Schema):
    standard: str = Field(
        ..., min_length=1, max_length=100, description="The new edition's id, e.g. iso-iec-27001-2022."
    )
    title: str = Field("", max_length=200)


class DroppedOut(Schema):
    ref: str
    title: str
    status: str


class TransitionProgressOut(Schema):
    replaced_edition: str = Field(..., description="Id of the old edition the previous assessment covered.")
    standard: str = Field(..., description="Id of the new edition.")
    previous_id: UUID | None
    confirmed: int
    to_confirm: int
    to_review: int
    open: int
    total: int
    deadline: date | None = Field(..., description="The transition end (the last day of the old edition).")
    dropped: list[DroppedOut] = Field(..., description="Old clauses without a successor, with their last status.")


class ItemOut(Schema):
    id: int
    standard: str
    kind: str
    ref: str
    title: str
    hs_ref: str
    shared: bool
    status: str
    justification: str
    owner: str | None
    due_date: date | None
    notes: str
    needs_review: bool
    transition_state: str = Field(..., description=TRANSITION_STATE)
    carried_from: list[CarriedFromOut] = Field(..., description=CARRIED_FROM)

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return obj.clause.standard.code

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.clause.kind

    @staticmethod
    def resolve_ref(obj: Any) -> str:
        return obj.clause.ref

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.clause.title or ""

    @staticmethod
    def resolve_hs_ref(obj: Any) -> str:
        return obj.clause.hs_ref

    @staticmethod
    def resolve_shared(obj: Any) -> bool:
        return bool(obj.answer.hs_ref)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return obj.answer.status

    @staticmethod
    def resolve_justification(obj: Any) -> str:
        return obj.answer.justification

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.answer.owner.email if obj.answer.owner_id else None

    @staticmethod
    def resolve_due_date(obj: Any) -> date | None:
        return obj.answer.due_date

    @staticmethod
    def resolve_notes(obj: Any) -> str:
        return obj.answer.notes

    @staticmethod
    def resolve_needs_review(obj: Any) -> bool:
        return obj.answer.needs_review

    @staticmethod
    def resolve_transition_state(obj: Any) -> str:
        return obj.answer.transition_state

    @staticmethod
    def resolve_carried_from(obj: Any) -> list[dict[str, Any]]:
        return list(obj.answer.carried_from or [])


class ItemRowOut(Schema):
    """An item of the list, read from `.values()` (see `selectors.item_api_rows`): the same fields as ItemOut."""

    id: int
    standard: str
    kind: str
    ref: str
    title: str
    hs_ref: str
    shared: bool
    status: str
    justification: str
    owner: str | None
    due_date: date | None
    notes: str
    needs_review: bool
    transition_state: str = Field(..., description=TRANSITION_STATE)
    carried_from: list[CarriedFromOut] = Field(..., description=CARRIED_FROM)


class ItemPatch(Schema):
    status: str | None = column(Answer, "status", default=None)
    justification: str | None = column(Answer, "justification", default=None)
    notes: str | None = column(Answer, "notes", default=None)
    due_date: date | None = None
    owner_email: str | None = Field(None, description="Email of a member of the organization; empty string clears.")
    apply_to_subclauses: bool = Field(
        False, description="With status not_applicable: give the sub-clauses the same answer and justification."
    )


class ScoreOut(Schema):
    name: str
    percent: Decimal | None
    applicable: int
    total: int


class ReadinessOut(Schema):
    overall: ScoreOut
    standards: list[ScoreOut]
    groups: list[ScoreOut]


class Stage1ItemOut(Schema):
    key: str
    label: str
    ok: bool
    missing: list[str]
    url: str


class Stage1Out(Schema):
    ready: bool
    items: list[Stage1ItemOut]


class DocumentIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    kind: str = column(Document, "kind", default="document")
    review_due: date | None = None


class RevisionOut(Schema):
    id: UUID = Field(alias="public_id")
    number: int
    status: str
    original_name: str
    size: int
    sha256: str
    approved_at: datetime | None


class DocumentOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    kind: str
    mandatory_clause: str | None
    review_due: date | None
    owner: str | None
    approver: str | None
    approved_revision: int | None
    current_revision: RevisionOut | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_approver(obj: Any) -> str | None:
        return obj.approver.email if obj.approver_id else None

    @staticmethod
    def resolve_mandatory_clause(obj: Any) -> str | None:
        md = obj.mandatory
        return f"{md.standard.code} {md.clause_ref}" if md else None

    @staticmethod
    def resolve_approved_revision(obj: Any) -> int | None:
        return obj.approved_revision.number if obj.approved_revision_id else None


class PrefillIn(Schema):
    standards: list[str] = Field(min_length=1)


class InternalAuditIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    planned_on: date
    auditor: str = ""
    clauses: list[str] = Field(min_length=1, description="'<standard code> <ref>', e.g. 'iso-9001-2015 7.5'.")


class InternalAuditOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    planned_on: date
    completed_on: date | None
    status: str
    auditor: str


class InternalAuditCompleteIn(Schema):
    completed_on: date
    summary: str = ""


class ManagementReviewIn(Schema):
    title: str = Field("Management review", max_length=200)
    standards: list[str] = Field(min_length=1)


class ReviewRecordIn(Schema):
    inputs: dict[str, str] = {}
    held_on: date | None = None
    attendees: str | None = None
    decisions: str | None = None


class ManagementReviewOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    status: str
    held_on: date | None
    inputs: dict[str, str]
    required_inputs: list[str]

    @staticmethod
    def resolve_required_inputs(obj: Any) -> list[str]:
        from conformo.domain.readiness import management_review_inputs

        return [i.key for i in management_review_inputs(s.code for s in obj.standards.all())]


class RiskIn(Schema):
    kind: str = column(Risk, "kind", default="risk")
    title: str = Field(min_length=1, max_length=300)
    description: str = column(Risk, "description", default="")
    likelihood: int = column(Risk, "likelihood")
    impact: int = column(Risk, "impact")
    treatment: str = column(Risk, "treatment", default="reduce")
    treatment_plan: str = column(Risk, "treatment_plan", default="")


class RiskOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    title: str
    likelihood: int
    impact: int
    level: str
    treatment: str
    treatment_status: str


class SoARowOut(Schema):
    ref: str
    title: str
    theme: str
    applicable: bool
    justification: str
    status: str
    evidence: list[str]


class SoAVersionOut(Schema):
    id: UUID = Field(alias="public_id")
    number: int
    note: str
    created_at: datetime
    rows: list[SoARowOut]


class EvidenceIn(Schema):
    label: str = Field(max_length=200)
    url: str = Field("", max_length=200, description="An http(s) link; or give `document_id`.")
    document_id: UUID | None = Field(None, description="A document of the organization's register.")


class EvidenceOut(Schema):
    id: UUID = Field(alias="public_id")
    label: str
    url: str
    document_id: UUID | None
    document_title: str | None
    created_at: datetime

    @staticmethod
    def resolve_document_id(obj: Any) -> UUID | None:
        return obj.document.public_id if obj.document_id else None

    @staticmethod
    def resolve_document_title(obj: Any) -> str | None:
        return obj.document.title if obj.document_id else None


class DocumentPatch(Schema):
    owner_email: str | None = Field(None, description="A member of the organization; empty string clears.")
    approver_email: str | None = Field(None, description="The only member who may approve; empty string clears.")
    review_due: date | None = None


class ReviewActionIn(Schema):
    description: str = Field(max_length=500)
    owner_email: str | None = None
    due_date: date | None = None


class ReviewActionOut(Schema):
    id: UUID = Field(alias="public_id")
    description: str
    owner: str | None
    due_date: date | None
    done: bool

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None


class ReviewActionDoneIn(Schema):
    done: bool = True


class RiskPatch(Schema):
    treatment: str | None = column(Risk, "treatment", default=None)
    treatment_status: str | None = column(Risk, "treatment_status", default=None)
    treatment_plan: str | None = column(Risk, "treatment_plan", default=None)
    owner_email: str | None = None
    clauses: list[str] | None = Field(
        None, description="Linked clauses '<standard code> <ref>' and controls '<standard code> A.<ref>'."
    )


class RiskRerateIn(Schema):
    likelihood: int = column(Risk, "likelihood", ge=1, description="On the matrix: 1 to its likelihood levels")
    impact: int = column(Risk, "impact", ge=1, description="On the matrix: 1 to its impact levels")


class RiskResidualIn(Schema):
    likelihood: int = column(Risk, "residual_likelihood", ge=1, description="Residual likelihood after treatment")
    impact: int = column(Risk, "residual_impact", ge=1, description="Residual impact after treatment")


class RiskDetailOut(RiskOut):
    treatment_plan: str
    owner: str | None
    clauses: list[str]
    residual_likelihood: int | None
    residual_impact: int | None
    residual_level: str = Field(description="Empty until the residual risk is rated")
    accepted_by: str | None = Field(description="The risk owner who accepted the residual risk (27001 6.1.3 f)")
    accepted_at: datetime | None

    @staticmethod
    def resolve_accepted_by(obj: Any) -> str | None:
        return obj.accepted_by.email if obj.accepted_by_id else None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_clauses(obj: Any) -> list[str]:
        return sorted(f"{c.standard.code} {'A.' if c.kind == 'control' else ''}{c.ref}" for c in obj.clauses.all())
