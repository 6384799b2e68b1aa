"""Input and output of the competence API (ISO/IEC 17021-1:2015 7.1, 7.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.audits.choices import QualificationRole
from conformo.competence.models import (
    CompetenceCriterion,
    Evaluation,
    ExperienceEntry,
    MonitoringRecord,
)
from conformo.core.schemas import Int32, column


class CriterionIn(Schema):
    function: str = column(CompetenceCriterion, "function")
    standard: str | None = Field(None, max_length=100, description="A standard code; empty: any standard.")
    sector_code: int | None = Field(None, ge=1, le=39, description="An IAF sector code; empty: any.")
    education: str = column(CompetenceCriterion, "education", default="")
    training: str = column(CompetenceCriterion, "training", default="")
    work_experience: str = column(CompetenceCriterion, "work_experience", default="")
    audit_experience: str = column(CompetenceCriterion, "audit_experience", default="")
    min_audits: int = Field(0, ge=0, le=1000)
    min_audit_days: Decimal = Field(Decimal(0), ge=0, le=Decimal("9999.9"), decimal_places=1)
    period_years: int = Field(3, ge=1, le=10)
    notes: str = column(CompetenceCriterion, "notes", default="")


class CriterionOut(Schema):
    id: UUID = Field(alias="public_id")
    function: str
    standard: str | None
    sector_code: int | None
    education: str
    training: str
    work_experience: str
    audit_experience: str
    min_audits: int
    min_audit_days: Decimal
    period_years: int
    notes: str

    @staticmethod
    def resolve_standard(obj: Any) -> str | None:
        return obj.standard.code if obj.standard_id else None


class PersonOut(Schema):
    id: UUID = Field(description="The person's membership at the CB.")
    email: str
    name: str
    role: str


class EntryIn(Schema):
    kind: str = column(ExperienceEntry, "kind")
    title: str = column(ExperienceEntry, "title", min_length=1)
    provider: str = column(ExperienceEntry, "provider", default="")
    started_on: date
    ended_on: date | None = None
    days: Decimal | None = Field(None, gt=0, le=Decimal("9999.9"), decimal_places=1)
    standard: str | None = Field(None, max_length=100)
    sector_code: int | None = Field(None, ge=1, le=39)
    role: str = Field("", max_length=20, json_schema_extra={"enum": ["", *QualificationRole.values]})
    notes: str = column(ExperienceEntry, "notes", default="")


class EntryOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    title: str
    provider: str
    started_on: date
    ended_on: date | None
    days: Decimal | None
    standard: str | None
    sector_code: int | None
    role: str
    notes: str

    @staticmethod
    def resolve_standard(obj: Any) -> str | None:
        return obj.standard.code if obj.standard_id else None


class AuditLogRowOut(Schema):
    audit_id: UUID
    organization: str
    kind: str
    completed_on: date | None
    days: Decimal
    standards: list[str]
    sector_codes: list[int]
    role: str


class GrantIn(Schema):
    standard: str = Field(max_length=100)
    sector_codes: list[Int32] = Field(min_length=1, max_length=39, description="IAF sector codes 1-39.")
    role: str = Field(QualificationRole.AUDITOR.value, json_schema_extra={"enum": list(QualificationRole.values)})
    valid_until: date | None = Field(None, description="Empty: the CB's validity after the evaluation.")


class EvaluationIn(Schema):
    person: str = Field(max_length=254, description="The evaluated person's address (a member of the CB).")
    evaluator: str = Field(max_length=254, description="The evaluator's address (another member of the CB).")
    evaluated_on: date
    function: str = column(Evaluation, "function", default="auditing")
    method: str = column(Evaluation, "method")
    result: str = column(Evaluation, "result")
    criteria: list[UUID] = Field(default_factory=list, max_length=100)
    grants: list[GrantIn] = Field(default_factory=list, max_length=50, description="Only with a positive result.")
    notes: str = column(Evaluation, "notes", default="")


class QualificationStateOut(Schema):
    id: UUID
    standard: str
    sector_codes: list[int]
    role: str
    valid_from: date
    valid_until: date | None
    basis: str
    evaluation_id: UUID | None
    state: str = Field(description="current, not_yet_valid, expired or lapsed.")
    reason: str
    lapses_on: date | None


class EvaluationEvidenceOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    uploaded_by: str | None

    @staticmethod
    def resolve_uploaded_by(obj: Any) -> str | None:
        return str(obj.uploaded_by) if obj.uploaded_by_id else None


class GrantedOut(Schema):
    id: UUID = Field(alias="public_id")
    standard: str
    sector_codes: list[int]
    role: str
    valid_from: date
    valid_until: date | None

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return str(obj.standard.code)


class EvaluationOut(Schema):
    id: UUID = Field(alias="public_id")
    person: str
    evaluator: str
    evaluated_on: date
    function: str
    method: str
    result: str
    notes: str
    criteria: list[UUID]
    evidence: list[EvaluationEvidenceOut]
    qualifications: list[GrantedOut]

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return str(obj.person.email)

    @staticmethod
    def resolve_evaluator(obj: Any) -> str:
        return str(obj.evaluator.email)

    @staticmethod
    def resolve_criteria(obj: Any) -> list[UUID]:
        return [c.public_id for c in obj.criteria.all()]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_qualifications(obj: Any) -> list[Any]:
        return list(obj.qualifications.all())


class MonitoringIn(Schema):
    auditor_id: UUID
    kind: str = column(MonitoringRecord, "kind")
    audit_id: UUID | None = Field(None, description="The audit witnessed (required for `witnessed`).")
    monitored_on: date
    monitor: str = Field(max_length=254, description="The monitor's address (another member of the CB).")
    outcome: str = column(MonitoringRecord, "outcome")
    notes: str = column(MonitoringRecord, "notes", default="")


class MonitoringOut(Schema):
    id: UUID = Field(alias="public_id")
    auditor_id: UUID
    auditor: str
    kind: str
    audit_id: UUID | None
    monitored_on: date
    monitor: str
    outcome: str
    notes: str

    @staticmethod
    def resolve_auditor_id(obj: Any) -> UUID:
        return obj.auditor.public_id

    @staticmethod
    def resolve_auditor(obj: Any) -> str:
        return str(obj.auditor.user.email)

    @staticmethod
    def resolve_audit_id(obj: Any) -> UUID | None:
        return obj.audit.public_id if obj.audit_id else None

    @staticmethod
    def resolve_monitor(obj: Any) -> str:
        return str(obj.monitor.email)


class PlanRowOut(Schema):
    auditor_id: UUID
    auditor: str
    last_witnessed: date | None
    due_on: date
    state: str = Field(description="overdue, due_soon or scheduled.")


class PersonRecordOut(Schema):
    person: PersonOut
    entries: list[EntryOut]
    audit_log: list[AuditLogRowOut]
    evaluations: list[EvaluationOut]
    qualifications: list[QualificationStateOut]
    monitoring: list[MonitoringOut]
    witnessing: PlanRowOut | None = Field(description="The next on-site witnessing, when the person is monitored.")
