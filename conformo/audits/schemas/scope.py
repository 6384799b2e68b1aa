"""API schemas of the structured scope: lines of (standard, site or all sites, activity, IAF sector codes)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Field, Schema

from conformo.core.schemas import Int32
from conformo.domain.scope import ACTIVITY_MAX, LINES_MAX


class ScopeLineIn(Schema):
    standard: str = Field(max_length=100, description="Standard id, one of the application's (iso-9001-2015).")
    site_id: UUID | None = Field(None, description="A site of the organization; null for all sites.")
    activity: str = Field(max_length=ACTIVITY_MAX, description="Activities, products and services of the line.")
    sector_codes: list[Int32] = Field([], max_length=39, description="IAF sector codes (1-39) of the line.")

    def row(self) -> dict[str, Any]:
        """The plain values the services take."""
        return {
            "standard": self.standard,
            "site": str(self.site_id) if self.site_id else None,
            "activity": self.activity,
            "sector_codes": list(self.sector_codes),
        }


class ApplicationScopeIn(Schema):
    lines: list[ScopeLineIn] = Field(
        max_length=LINES_MAX, description="Every line of the new scope; they replace the current lines, all or none."
    )
    replace_statement: bool = Field(
        False, description="Also replace the free-text scope with one generated from the lines."
    )


class ScopeLineOut(Schema):
    standard: str
    site_id: UUID | None = Field(description="null: all sites")
    site_name: str | None
    activity: str
    sector_codes: list[int]

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return str(obj.standard.code)

    @staticmethod
    def resolve_site_id(obj: Any) -> UUID | None:
        return obj.site.public_id if obj.site is not None else None

    @staticmethod
    def resolve_site_name(obj: Any) -> str | None:
        return obj.site.name if obj.site is not None else None


class ApplicationScopeOut(Schema):
    application_id: UUID
    status: str
    lines: list[ScopeLineOut]
    statement: str = Field(description="A scope statement generated from the lines.")
