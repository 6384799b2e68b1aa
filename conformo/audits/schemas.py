"""API input and output schemas of the CB workflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema


class CBSettingsIO(Schema):
    major_response_days: int = Field(90, ge=0)
    minor_response_days: int = Field(90, ge=0)
    major_verification_days: int = Field(90, ge=0)
    minor_verification_days: int | None = Field(None, ge=0)
    cooling_off_months: int = Field(24, ge=0, le=120)
    stage1_percent: int = Field(30, ge=1, le=99)
    stage1_due_days: int = Field(90, ge=0, le=3650)
    stage2_due_days: int = Field(90, ge=0, le=3650)
    surveillance_1_months: int = Field(12, ge=1, le=12)
    surveillance_2_months: int = Field(24, ge=13, le=35)
    at_risk_days: int = Field(30, ge=0, le=365)
    certificate_number_pattern: str = Field("{cb}-{year}-{seq:05d}", max_length=100)


class AccreditationIn(Schema):
    certification_body_id: UUID
    accreditation_body: str = Field(min_length=1, max_length=200)
    reference: str = ""
    standards: list[str] = Field(min_length=1, description="Standard codes, e.g. iso-9001-2015.")
    sector_codes: list[int]
    valid_from: date
    valid_until: date


class AccreditationOut(Schema):
    id: UUID = Field(alias="public_id")
    accreditation_body: str
    reference: str
    standards: list[str]
    sector_codes: list[int]
    valid_from: date
    valid_until: date

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]


class QualificationIn(Schema):
    standard: str
    sector_codes: list[int]
    role: str = "auditor"
    valid_from: date
    valid_until: date | None = None


class QualificationOut(Schema):
    id: UUID = Field(alias="public_id")
    standard: str
    sector_codes: list[int]
    role: str
    valid_from: date
    valid_until: date | None

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return str(obj.standard.code)


class AuditorIn(Schema):
    certification_body_id: UUID
    email: str
    notes: str = ""


class AuditorOut(Schema):
    id: UUID = Field(alias="public_id")
    email: str
    name: str
    active: bool
    qualifications: list[QualificationOut]

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return str(obj.user.email)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_qualifications(obj: Any) -> list[Any]:
        return list(obj.qualifications.all())


class ConflictIn(Schema):
    organization_id: UUID
    kind: str = "consultancy"
    description: str = ""
    started_on: date
    ended_on: date | None = None


class ConflictOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    kind: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)


class UnavailabilityIn(Schema):
    starts_on: date
    ends_on: date
    note: str = ""


class UnavailabilityOut(UnavailabilityIn):
    id: UUID = Field(alias="public_id")


class ApplicationIn(Schema):
    certification_body_id: UUID
    organization_id: UUID
    standards: list[str] = Field(min_length=1)
    scope: str = Field(min_length=1)
    site_ids: list[UUID] = Field(min_length=1)
    sector_codes: list[int] = []
    complexity: str = "medium"
    outsourced_processes: str = ""
    consultancy_used: str = ""
    transfer: dict[str, Any] | None = Field(
        None,
        description="For a transfer (IAF MD 2): issuing_cb, issuing_cb_accredited, certificate_number, "
        "expires_on, suspended, current_stage (surveillance1 / surveillance2 / recertification).",
    )


class ApplicationOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    organization_id: UUID
    status: str
    standards: list[str]
    scope: str
    sector_codes: list[int]
    is_transfer: bool
    decision_reason: str
    created_at: Any

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_organization_id(obj: Any) -> UUID:
        return obj.organization.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]


class ReviewOut(Schema):
    id: UUID = Field(alias="public_id")
    ok: bool
    checks: list[dict[str, Any]]
    audit_time: dict[str, Any]
    sampling: dict[str, Any]
    quotation: list[dict[str, Any]]
    effective_personnel: Decimal


class ReasonIn(Schema):
    reason: str = ""


class CombineIn(Schema):
    justification: str


class SpecialAuditIn(Schema):
    purpose: str
    due_by: date | None = None
    days: Decimal = Field(Decimal(1), ge=0, le=1000)
    notes: str = ""


class MemberOut(Schema):
    auditor_id: UUID
    name: str
    role: str
    clauses: list[str]

    @staticmethod
    def resolve_auditor_id(obj: Any) -> UUID:
        return obj.auditor.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.auditor)


class AuditOut(Schema):
    id: UUID = Field(alias="public_id")
    programme_id: UUID
    organization: str
    kind: str
    purpose: str
    status: str
    due_by: date | None
    timing: str
    planned_start: date | None
    planned_end: date | None
    days: Decimal
    onsite_days: Decimal
    remote_days: Decimal
    sites: list[str]
    clause_coverage: dict[str, Any]
    eligibility_ok: bool | None
    eligibility: dict[str, Any]
    team: list[MemberOut]
    started_on: date | None
    completed_on: date | None

    @staticmethod
    def resolve_programme_id(obj: Any) -> UUID:
        return obj.programme.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.programme.organization)

    @staticmethod
    def resolve_timing(obj: Any) -> str:
        return str(obj.timing(timezone.localdate()))

    @staticmethod
    def resolve_sites(obj: Any) -> list[str]:
        return [s.name for s in obj.sites.all()]

    @staticmethod
    def resolve_team(obj: Any) -> list[Any]:
        return list(obj.team.all())


class ProgrammeOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    certification_id: UUID
    cycle: int
    standards: list[str]
    scope: str
    sector_codes: list[int]
    active: bool
    decision_date: date | None
    expires_on: date | None
    combined_stages_justification: str
    cycle_dates: dict[str, Any]
    audits: list[AuditOut]

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_certification_id(obj: Any) -> UUID:
        return obj.certification.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]

    @staticmethod
    def resolve_audits(obj: Any) -> list[Any]:
        return list(obj.audits.all())


class PlanIn(Schema):
    planned_start: date
    planned_end: date
    onsite_days: Decimal | None = Field(None, ge=0, le=1000)
    remote_days: Decimal = Field(Decimal(0), ge=0, le=1000)
    site_ids: list[UUID] | None = None
    clause_coverage: dict[str, list[str]] | None = None
    notes: str | None = None


class MemberIn(Schema):
    auditor_id: UUID
    role: str
    clauses: list[str] = []


class TeamIn(Schema):
    members: list[MemberIn] = Field(min_length=1)


class EligibilityOut(Schema):
    ok: bool
    checked_on: str
    members: list[dict[str, Any]]
    reasons: list[dict[str, str]]
    coverage: list[dict[str, Any]]


class DateIn(Schema):
    on: date | None = None
    summary: str = ""


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
        return obj.audit.public_id  # type: ignore[no-any-return]

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


class ComplaintIn(Schema):
    certification_body_id: UUID
    organization_id: UUID | None = None
    complainant: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    description: str = Field(min_length=1)
    received_on: date | None = None


class ComplaintOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str | None
    complainant: str
    subject: str
    description: str
    received_on: date
    status: str
    handler: str | None
    outcome: str

    @staticmethod
    def resolve_organization(obj: Any) -> str | None:
        return str(obj.organization) if obj.organization else None

    @staticmethod
    def resolve_handler(obj: Any) -> str | None:
        return obj.handler.email if obj.handler else None


class HandlerIn(Schema):
    handler_email: str


class AdvanceIn(Schema):
    status: str
    outcome: str = ""


class AppealIn(Schema):
    decision_id: UUID
    subject: str = ""
    grounds: str = Field(min_length=1)


class AppealOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    decision_id: UUID | None
    subject: str
    grounds: str
    received_on: date
    status: str
    handler: str | None
    outcome: str

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_decision_id(obj: Any) -> UUID | None:
        return obj.decision.public_id if obj.decision else None

    @staticmethod
    def resolve_handler(obj: Any) -> str | None:
        return obj.handler.email if obj.handler else None


class AppealDecideIn(Schema):
    upheld: bool
    outcome: str


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
