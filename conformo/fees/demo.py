"""Demo: the demo CB's price list (pounds sterling, UK VAT at the standard rate) and a quotation for the multi-site
retailer's application, made through the services before the application is accepted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conformo.audits.models import Application
from conformo.core.actors import Actor
from conformo.fees.choices import TravelMode
from conformo.fees.models import PriceSettings, Quotation
from conformo.fees.services import price_settings_update, quotation_create
from conformo.organizations.models import CertificationBody

DEMO_PRICES: dict[str, object] = {
    "currency": "GBP",
    "day_rate": Decimal("950.00"),
    "stage1_day_rate": Decimal("900.00"),
    "travel_mode": TravelMode.FLAT,
    "travel_flat": Decimal("180.00"),
    "expenses": Decimal("95.00"),
    "certificate_fee": Decimal("250.00"),
    "registration_fee": Decimal("320.00"),
    "tax_percent": Decimal("20.00"),
    "validity_days": 90,
}
"""The demo CB's prices: made-up figures of the order UK CBs publish; 20 % is the UK's standard VAT rate."""


def demo_prices(*, actor: Actor, cb: CertificationBody) -> None:
    """Set the demo CB's price list unless it has one."""
    if not PriceSettings.objects.filter(certification_body=cb).exists():
        price_settings_update(actor=actor, certification_body=cb, **DEMO_PRICES)


def demo_quotation(*, actor: Actor, application: Application, on: date) -> None:
    """Quote the application at the demo CB's prices unless it has been quoted."""
    if not Quotation.objects.filter(application=application).exists():
        quotation_create(actor=actor, application=application, on=on)
