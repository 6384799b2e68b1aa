from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.core.schemas import Int32, column
from conformo.organizations.models import Organization, Site


class OrganizationOut(Schema):
    id: UUID = Field(alias="public_id")
    legal_name: str
    country: str
    registration_number: str
    sector_codes: list[int]


class OrganizationIn(Schema):
    legal_name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    registration_number: str = column(Organization, "registration_number", default="")
    sector_codes: list[Int32] = []
    certification_body_id: UUID


class SiteBase(Schema):
    name: str = Field(min_length=1, max_length=200)
    address: str = column(Site, "address", default="")
    country: str = Field(min_length=2, max_length=2)
    is_headquarters: bool = False
    permanent_staff: int = column(Site, "permanent_staff", default=0)
    part_time_staff: int = column(Site, "part_time_staff", default=0)
    part_time_hours_per_week: Decimal = Field(Decimal(0), ge=0, le=168)
    temporary_staff: int = column(Site, "temporary_staff", default=0)
    contractors: int = column(Site, "contractors", default=0)
    shifts: int = Field(1, ge=1, le=4)
    repetitive_function_staff: int = column(Site, "repetitive_function_staff", default=0)


class SiteIn(SiteBase):
    pass


class SiteOut(SiteBase):
    id: UUID = Field(alias="public_id")


class ClientRelationshipOut(Schema):
    """One CB the organization is a client of, and whether its readiness work is shared with that CB."""

    certification_body_id: UUID
    certification_body: str
    shares_readiness: bool

    @staticmethod
    def resolve_certification_body_id(obj: Any) -> UUID:
        return obj.certification_body.public_id

    @staticmethod
    def resolve_certification_body(obj: Any) -> str:
        return obj.certification_body.name
