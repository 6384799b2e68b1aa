"""API schemas of the fees app. Amounts are exact decimal strings in the currency's minor units
("1200.00" EUR, "150000" JPY, "350.125" KWD), never floats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema

from conformo.domain.fees import MAX_AMOUNT, MAX_TRAVEL_DAYS, MINOR_UNITS
from conformo.fees.models import DEFAULT_VALIDITY_DAYS
from conformo.fees.selectors import is_current
from conformo.fees.services import MAX_VALIDITY_DAYS

Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, max_digits=12, decimal_places=3)]
"""A price: not negative, at most three decimals (the service checks the currency's own)."""
CURRENCY_HELP = f"ISO 4217 code, one of {', '.join(MINOR_UNITS)}; amounts take its decimals."


class PriceSettingsIn(Schema):
    currency: str = Field("EUR", min_length=3, max_length=3, description=CURRENCY_HELP)
    day_rate: Amount = Field(..., description="Price of an audit day (every kind without its own rate).")
    stage1_day_rate: Amount | None = Field(None, description="Empty: the day rate.")
    stage2_day_rate: Amount | None = Field(None, description="Empty: the day rate.")
    surveillance_day_rate: Amount | None = Field(None, description="Empty: the day rate.")
    recertification_day_rate: Amount | None = Field(None, description="Empty: the day rate.")
    travel_mode: str = Field("none", description="none, days (travel days × travel day rate) or flat (per audit).")
    travel_days: Decimal = Field(Decimal(0), ge=0, le=MAX_TRAVEL_DAYS, max_digits=4, decimal_places=1)
    travel_day_rate: Amount = Field(Decimal(0))
    travel_flat: Amount = Field(Decimal(0), description="Per audit with days on site.")
    expenses: Amount = Field(Decimal(0), description="Per audit with days on site.")
    certificate_fee: Amount = Field(Decimal(0), description="With stage 2 and the recertification.")
    registration_fee: Amount = Field(Decimal(0), description="Once a year of the certificate's validity.")
    tax_percent: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)
    validity_days: int = Field(DEFAULT_VALIDITY_DAYS, ge=1, le=MAX_VALIDITY_DAYS)


class PriceSettingsOut(Schema):
    set: bool = Field(description="False while the CB has saved no prices (the defaults are shown).")
    currency: str
    day_rate: str
    stage1_day_rate: str | None
    stage2_day_rate: str | None
    surveillance_day_rate: str | None
    recertification_day_rate: str | None
    travel_mode: str
    travel_days: str
    travel_day_rate: str
    travel_flat: str
    expenses: str
    certificate_fee: str
    registration_fee: str
    tax_percent: str
    validity_days: int


class QuotationLineOut(Schema):
    kind: str = Field(description="audit_days, travel, expenses, certificate or registration.")
    label: str
    quantity: str
    unit_price: str
    amount: str


class QuotationAuditOut(Schema):
    audit: str
    label: str
    days: str
    onsite_days: str
    remote_days: str
    lines: list[QuotationLineOut]
    subtotal: str


class QuotationSummaryOut(Schema):
    """Read from a quotation of `conformo.fees.selectors` (annotated with its application's latest number)."""

    id: UUID = Field(alias="public_id")
    reference: str
    number: int
    current: bool = Field(description="The application's latest quotation.")
    currency: str
    total: str
    valid_until: date
    created_at: datetime
    proposal_url: str

    @staticmethod
    def resolve_reference(obj: Any) -> str:
        return str(obj.facts.get("reference", ""))

    @staticmethod
    def resolve_current(obj: Any) -> bool:
        return is_current(obj)

    @staticmethod
    def resolve_total(obj: Any) -> str:
        return str(obj.result["total"])

    @staticmethod
    def resolve_proposal_url(obj: Any) -> str:
        return reverse("api:quotation_proposal", kwargs={"quotation_id": obj.public_id})


class QuotationOut(QuotationSummaryOut):
    application_id: UUID
    determination_id: UUID
    created_by: str | None
    minor_units: int
    audits: list[QuotationAuditOut]
    subtotal: str
    tax_percent: str
    tax: str
    prices: dict[str, Any] = Field(description="The CB's prices the quotation was made with (a copy).")
    trace: list[dict[str, str]]

    @staticmethod
    def resolve_application_id(obj: Any) -> UUID:
        return UUID(str(obj.application.public_id))

    @staticmethod
    def resolve_determination_id(obj: Any) -> UUID:
        return UUID(str(obj.determination.public_id))

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return obj.created_by.email if obj.created_by else None

    @staticmethod
    def resolve_minor_units(obj: Any) -> int:
        return int(obj.result["minor_units"])

    @staticmethod
    def resolve_audits(obj: Any) -> list[dict[str, Any]]:
        return list(obj.result["audits"])

    @staticmethod
    def resolve_subtotal(obj: Any) -> str:
        return str(obj.result["subtotal"])

    @staticmethod
    def resolve_tax_percent(obj: Any) -> str:
        return str(obj.result["tax_percent"])

    @staticmethod
    def resolve_tax(obj: Any) -> str:
        return str(obj.result["tax"])
