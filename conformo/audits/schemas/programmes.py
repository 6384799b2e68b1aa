"""API schemas of the CB workflow: audit programmes and their audits (planning, the team, eligibility, dates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema

from conformo.audits.models.programmes import ListedMember
from conformo.core.schemas import PlainOut, listed, listed_as


class CombineIn(Schema):
    justification: str


class SpecialAuditIn(Schema):
    purpose: str
    due_by: date | None = None
    days: Decimal = Field(Decimal(1), ge=0, le=1000)
    notes: str = ""


class TransitionAuditIn(Schema):
    transition_id: UUID = Field(description="The edition transition (GET /standards/… transitions; its public id)")
    combine_with: UUID | None = Field(
        None,
        description="A planned surveillance or recertification audit of the programme to combine the transition "
        "with, when the CB's transition policy allows it; empty: a transition audit of its own",
    )


class MemberOut(PlainOut):
    auditor_id: UUID
    name: str
    role: str
    clauses: list[str]

    @staticmethod
    def resolve_auditor_id(obj: Any) -> UUID:
        return obj.auditor_public_id if isinstance(obj, ListedMember) else obj.auditor.public_id

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.name if isinstance(obj, ListedMember) else str(obj.auditor)


class AuditOut(PlainOut):
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
    covers_transition: bool = Field(
        description="A transition audit, or a surveillance / recertification combined with an edition transition"
    )

    @staticmethod
    def resolve_covers_transition(obj: Any) -> bool:
        return obj.transition_id is not None

    @staticmethod
    def resolve_programme_id(obj: Any) -> UUID:
        return obj.programme.public_id

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.programme.organization)

    @staticmethod
    def resolve_timing(obj: Any, context: dict[str, Any] | None = None) -> str:
        # Today read once per answer (its validation's context), not once per audit: a page of programmes holds
        # ~250 audits, and each time-zone conversion took 5 µs.
        if context is None:
            return str(obj.timing(timezone.localdate()))
        if "today" not in context:
            context["today"] = timezone.localdate()
        return str(obj.timing(context["today"]))

    @staticmethod
    def resolve_sites(obj: Any) -> list[str]:
        names = obj.__dict__.pop(listed_as("site_names"), None)
        return names if names is not None else [s.name for s in listed(obj, "sites")]

    @staticmethod
    def resolve_team(obj: Any) -> list[Any]:
        return listed(obj, "team")


class ProgrammeOut(PlainOut):
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
        return obj.certification.public_id

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in listed(obj, "standards")]

    @staticmethod
    def resolve_audits(obj: Any) -> list[Any]:
        return listed(obj, "audits")


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
