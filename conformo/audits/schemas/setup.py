"""API schemas of the CB workflow: certification-body setup (settings, accreditations, auditors and their
qualifications, conflicts of interest, unavailability)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.audits.models.setup import CBSettings, ListedQualification
from conformo.core.schemas import Int32, PlainOut, column, listed
from conformo.domain.competence import (
    DEFAULT_LAPSE_MONTHS,
    DEFAULT_NOTICE_DAYS,
    DEFAULT_VALIDITY_MONTHS,
    DEFAULT_WITNESS_MONTHS,
    MAX_PERIOD_MONTHS,
)
from conformo.domain.impartiality import MIN_COOLING_OFF_MONTHS


class CBSettingsIO(Schema):
    major_response_days: int = column(CBSettings, "major_response_days", default=90)
    minor_response_days: int = column(CBSettings, "minor_response_days", default=90)
    major_verification_days: int = column(CBSettings, "major_verification_days", default=90)
    minor_verification_days: int | None = column(CBSettings, "minor_verification_days", default=None)
    cooling_off_months: int = Field(
        24,
        ge=MIN_COOLING_OFF_MONTHS,
        le=120,
        description="[N] At least 24 (ISO/IEC 17021-1 5.2: two years after consultancy for the client); longer [P].",
    )
    stage1_percent: int = Field(30, ge=1, le=99)
    stage1_due_days: int = Field(90, ge=0, le=3650)
    stage2_due_days: int = Field(90, ge=0, le=3650)
    surveillance_1_months: int = Field(12, ge=1, le=12)
    surveillance_2_months: int = Field(24, ge=13, le=35)
    at_risk_days: int = Field(30, ge=0, le=365)
    transition_risk_days: int = Field(
        180,
        ge=0,
        le=1095,
        description="[P] A client still on an old edition whose transition is not decided is at risk (My work) this "
        "many days before the transition end.",
    )
    report_due_days: int = Field(30, ge=0, le=365, description="[P] Report due after the audit is completed.")
    max_remote_percent: int = Field(100, ge=0, le=100, description="[P] Most of an audit's days that may be remote.")
    max_remote_percent_isms: int = Field(100, ge=0, le=100, description="[?] The same for an ISO/IEC 27001 audit.")
    allow_agreement_at_stage1: bool = Field(
        False,
        description="[P] Stage 1 may start before the client accepts the certification agreement when the CB "
        "records why it is signed at stage 1 (ISO/IEC 17021-1 5.1.2).",
    )
    certificate_number_pattern: str = Field("{cb}-{year}-{seq:05d}", max_length=100)
    qualification_validity_months: int = Field(
        DEFAULT_VALIDITY_MONTHS, ge=1, le=MAX_PERIOD_MONTHS, description="[P] Validity after the evaluation."
    )
    qualification_lapse_months: int = Field(
        DEFAULT_LAPSE_MONTHS, ge=1, le=MAX_PERIOD_MONTHS, description="[P] Lapse without an audit in the standard."
    )
    witness_interval_months: int = Field(
        DEFAULT_WITNESS_MONTHS, ge=1, le=MAX_PERIOD_MONTHS, description="[P] Longest interval between witnessings."
    )
    monitoring_notice_days: int = Field(DEFAULT_NOTICE_DAYS, ge=0, le=365, description="[P] Shown as due before.")


class AccreditationIn(Schema):
    certification_body_id: UUID
    accreditation_body: str = Field(min_length=1, max_length=200)
    reference: str = ""
    standards: list[str] = Field(min_length=1, description="Standard codes, e.g. iso-9001-2015.")
    sector_codes: list[Int32]
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


class QualificationOut(PlainOut):
    id: UUID = Field(alias="public_id")
    standard: str
    sector_codes: list[int]
    role: str
    valid_from: date
    valid_until: date | None
    basis: str = Field(description="`evaluation`, or `before_evaluations` for those recorded before evaluations.")
    evaluation_id: UUID | None = Field(None, description="The positive evaluation that granted it.")

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return obj.standard_code if isinstance(obj, ListedQualification) else str(obj.standard.code)

    @staticmethod
    def resolve_evaluation_id(obj: Any) -> UUID | None:
        if isinstance(obj, ListedQualification):
            return obj.evaluation_public_id
        return obj.evaluation.public_id if obj.evaluation_id else None


class AuditorIn(Schema):
    certification_body_id: UUID
    email: str
    notes: str = ""


class AuditorOut(PlainOut):
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
        return listed(obj, "qualifications")


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
