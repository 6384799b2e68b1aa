"""API schemas of the CB workflow: applications and their review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.core.schemas import Int32


class ApplicationIn(Schema):
    certification_body_id: UUID
    organization_id: UUID
    standards: list[str] = Field(min_length=1)
    scope: str = Field(min_length=1)
    site_ids: list[UUID] = Field(min_length=1)
    sector_codes: list[Int32] = []
    complexity: str = "medium"
    outsourced_processes: str = ""
    consultancy_used: str = ""
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field(
        "",
        max_length=254,
        description="Invited as the client's first administrator when the application is accepted, if it has none.",
    )
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
    contact_name: str
    contact_email: str
    created_at: Any

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_organization_id(obj: Any) -> UUID:
        return obj.organization.public_id

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]


class ApplicationReviewOut(Schema):
    id: UUID = Field(alias="public_id")
    ok: bool
    checks: list[dict[str, Any]]
    audit_time: dict[str, Any]
    sampling: dict[str, Any]
    quotation: list[dict[str, Any]]
    effective_personnel: Decimal
    determination_id: UUID | None = Field(
        None, description="The audit-time determination the quotation comes from (GET …/determination)."
    )

    @staticmethod
    def resolve_determination_id(obj: Any) -> UUID | None:
        return obj.determination.public_id if obj.determination_id else None


class ReasonIn(Schema):
    reason: str = ""
