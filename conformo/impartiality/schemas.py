"""API schemas of the impartiality mechanism (ISO/IEC 17021-1 5.2)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.audits.choices import ConflictKind
from conformo.impartiality.choices import Level, ThreatKind, ThreatSource

KINDS = tuple(ThreatKind.values)


class ImpartialitySettingsIn(Schema):
    review_months: int = Field(ge=1, le=36, description="Each threat is reviewed at least this often (months).")


class ImpartialitySettingsOut(Schema):
    set: bool
    review_months: int


class ThreatIn(Schema):
    kind: ThreatKind
    source: ThreatSource
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    likelihood: int = Field(ge=1, le=3)
    severity: int = Field(ge=1, le=3)
    controls: str = Field("", max_length=10000)
    residual_level: Level
    related_body_id: UUID | None = None


class ThreatReassessIn(Schema):
    likelihood: int = Field(ge=1, le=3)
    severity: int = Field(ge=1, le=3)
    controls: str = Field("", max_length=10000)
    description: str = Field("", max_length=10000)


class ThreatReviewIn(Schema):
    reviewed_on: date
    outcome: str = Field(min_length=1, max_length=10000)
    residual_level: Level


class ThreatReviewOut(Schema):
    reviewed_on: date
    reviewed_by: str | None
    outcome: str
    residual_level: str
    meeting_id: UUID | None

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> str | None:
        return str(obj.reviewed_by) if obj.reviewed_by_id else None

    @staticmethod
    def resolve_meeting_id(obj: Any) -> UUID | None:
        return obj.meeting.public_id if obj.meeting_id else None


class ThreatOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    source: str
    title: str
    description: str
    related_body: str | None
    likelihood: int
    severity: int
    level: str
    controls: str
    residual_level: str
    status: str
    last_reviewed_on: date | None
    review_due_on: date

    @staticmethod
    def resolve_related_body(obj: Any) -> str | None:
        return str(obj.related_body) if obj.related_body_id else None


class ThreatDetailOut(ThreatOut):
    reviews: list[ThreatReviewOut]

    @staticmethod
    def resolve_reviews(obj: Any) -> list[Any]:
        return list(obj.reviews.all())


class RelatedBodyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=300)
    services: str = Field("", max_length=10000)


class RelationshipIn(Schema):
    organization_id: UUID
    kind: ConflictKind = ConflictKind.CONSULTANCY
    description: str = Field("", max_length=10000)
    started_on: date
    ended_on: date | None = None


class RelationshipOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    kind: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)


class RelatedBodyOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    relationship: str
    services: str
    relationships: list[RelationshipOut]

    @staticmethod
    def resolve_relationships(obj: Any) -> list[Any]:
        return list(obj.conflicts.all())


class CommitteeMemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    interest: str = Field(min_length=1, max_length=200)
    joined_on: date
    left_on: date | None = None


class CommitteeMemberOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    interest: str
    joined_on: date
    left_on: date | None


class MeetingIn(Schema):
    held_on: date
    attendee_ids: list[UUID] = Field(min_length=1, max_length=100)
    agenda: str = Field(min_length=1, max_length=10000)
    minutes: str = Field(min_length=1, max_length=50000)
    reviewed_threat_ids: list[UUID] = Field(default_factory=list, max_length=500)
    outcome: str = Field("", max_length=10000)


class MeetingOut(Schema):
    id: UUID = Field(alias="public_id")
    held_on: date
    attendees: list[str]
    agenda: str
    minutes: str
    reviewed_threats: list[UUID]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[str]:
        return [m.name for m in obj.attendees.all()]

    @staticmethod
    def resolve_reviewed_threats(obj: Any) -> list[UUID]:
        return [r.threat.public_id for r in obj.reviews.all()]
