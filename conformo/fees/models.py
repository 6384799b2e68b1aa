"""A CB's prices and the quotations it makes from them (ISO/IEC 17021-1 9.1.2: the review's outcome includes the
audit time the quotation rests on). Amounts are `Decimal`; the rules are `conformo.domain.fees`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.fees import MINOR_UNITS, PriceList, TravelMode, minor_unit
from conformo.fees.choices import CURRENCY_CHOICES
from conformo.fees.choices import TravelMode as TravelModeChoice

DEFAULT_VALIDITY_DAYS = 90
"""How long a quotation stays valid by default [P]: the time from the review to the client's signature."""


def _money(help_text: str = "", **kwargs: Any) -> models.DecimalField[Any, Any]:
    """An amount: up to 999,999,999 with three decimals (the most any supported currency has)."""
    return models.DecimalField(max_digits=12, decimal_places=3, help_text=help_text, **kwargs)


class PriceSettings(BaseModel):
    """A CB's price list: day rates, travel, expenses, certificate and registration fees, currency, tax rate and
    how long a quotation stays valid. The CB's choices, all of them [P]; quotations copy them when made."""

    certification_body = models.OneToOneField(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="price_settings"
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR", help_text="ISO 4217 code.")
    day_rate = _money("The price of an audit day, for every kind of audit without its own rate.", default=0)
    stage1_day_rate = _money("Empty: the day rate.", null=True, blank=True)
    stage2_day_rate = _money("Empty: the day rate.", null=True, blank=True)
    surveillance_day_rate = _money("Empty: the day rate.", null=True, blank=True)
    recertification_day_rate = _money("Empty: the day rate.", null=True, blank=True)
    travel_mode = models.CharField(max_length=10, choices=TravelModeChoice.choices, default=TravelModeChoice.NONE)
    travel_days = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal(0), help_text="Travel days per audit on site (half days)."
    )
    travel_day_rate = _money("The price of a travel day.", default=0)
    travel_flat = _money("A flat travel amount per audit on site.", default=0)
    expenses = _money("Expenses per audit on site (flat).", default=0)
    certificate_fee = _money("With each audit that issues a certificate (stage 2, recertification).", default=0)
    registration_fee = _money("Once a year of the certificate's validity.", default=0)
    tax_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0), help_text="Tax on the subtotal, 0 to 100 %."
    )
    validity_days = models.PositiveIntegerField(
        default=DEFAULT_VALIDITY_DAYS, help_text="A quotation is valid this many days after it is made."
    )

    def __str__(self) -> str:
        return f"Prices of {self.certification_body}"

    def price_list(self) -> PriceList:
        """The domain's price list of these settings (amounts in the currency's minor units when valid)."""
        rates = {
            kind: rate
            for kind, rate in (
                ("stage1", self.stage1_day_rate),
                ("stage2", self.stage2_day_rate),
                ("surveillance", self.surveillance_day_rate),
                ("recertification", self.recertification_day_rate),
            )
            if rate is not None
        }
        return PriceList(
            currency=self.currency,
            day_rate=self.amount(self.day_rate),
            day_rates={kind: self.amount(rate) for kind, rate in rates.items()},
            travel_mode=TravelMode(self.travel_mode),
            travel_days=Decimal(self.travel_days),
            travel_day_rate=self.amount(self.travel_day_rate),
            travel_flat=self.amount(self.travel_flat),
            expenses=self.amount(self.expenses),
            certificate_fee=self.amount(self.certificate_fee),
            registration_fee=self.amount(self.registration_fee),
            tax_percent=Decimal(self.tax_percent),
        )

    def amount(self, value: Decimal | int) -> Decimal:
        """A stored amount in the currency's decimals ('150.000' → '150.00' for EUR); finer values stay as they
        are, for the validation to refuse them."""
        value = Decimal(value)
        if self.currency not in MINOR_UNITS:
            return value
        unit = minor_unit(self.currency)
        return value.quantize(unit) if value == value.quantize(unit) else value


class Quotation(BaseModel):
    """A quotation of an application, never changed once made: the figures of the application's audit-time
    determination at the CB's prices of that day (`prices`, a copy), with the fees per audit (`result`), their
    trace and the facts the proposal shows (the CB's identity, the client, standards, scope, sites). A re-quote is
    a new quotation with the next `number`; the latest one is the application's current quotation."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="quotations"
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="quotations")
    application = models.ForeignKey("audits.Application", on_delete=models.PROTECT, related_name="quotations")
    determination = models.ForeignKey("audits.AuditTimeDetermination", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(help_text="1, 2, … per application.")
    currency = models.CharField(max_length=3)
    prices = models.JSONField(help_text="PriceList.as_dict(): the CB's prices when the quotation was made.")
    result = models.JSONField(help_text="Quote.as_dict(): the fees per audit, subtotal, tax and total.")
    trace = models.JSONField(default=list, help_text="[{step, rule, source, value}]: how every figure was reached.")
    facts = models.JSONField(default=dict, help_text="What the proposal shows: CB, client, standards, scope, sites.")
    subtotal = models.DecimalField(max_digits=16, decimal_places=3)
    tax = models.DecimalField(max_digits=16, decimal_places=3)
    total = models.DecimalField(max_digits=16, decimal_places=3)
    valid_until = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="unique_quotation_number")]

    def __str__(self) -> str:
        return f"Quotation {self.number} of {self.organization}"
