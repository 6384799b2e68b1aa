"""API schemas of the CB workflow: the complaints and appeals registers."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.audits.models.registers import Appeal, Complaint
from conformo.core.schemas import column


class ComplaintIn(Schema):
    certification_body_id: UUID
    organization_id: UUID | None = None
    complainant: str = column(Complaint, "complainant", min_length=1)
    subject: str = column(Complaint, "subject", min_length=1)
    description: str = column(Complaint, "description", min_length=1)
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
    subject: str = column(Appeal, "subject", default="")
    grounds: str = column(Appeal, "grounds", min_length=1)


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
