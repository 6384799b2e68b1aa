"""Prices and quotations through the services: who may set and quote, the checks, the audit log, and the
snapshot that keeps a quotation's figures when prices change."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from conformo.certification.services import application_accept
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.fees import services
from conformo.fees.models import PriceSettings, Quotation
from conformo.fees.tests.conftest import expected_total

pytestmark = pytest.mark.django_db


def test_the_cb_administrator_sets_prices_and_the_change_is_logged(cb: Any, cb_admin: Any) -> None:
    settings = services.price_settings_update(
        actor=cb_admin, certification_body=cb, currency="JPY", day_rate=Decimal(150000), tax_percent=Decimal(10)
    )
    assert settings.pk is not None
    entry = AuditLogEntry.objects.get(action="price_settings.update")
    assert entry.before is None
    after = entry.after or {}
    assert (after["currency"], after["day_rate"]) == ("JPY", "150000")


def test_only_the_cb_administrator_sets_prices(cb: Any, programme_manager: Any, other_cb_admin: Any) -> None:
    for actor in (programme_manager, other_cb_admin):
        with pytest.raises(PermissionDenied):
            services.price_settings_update(actor=actor, certification_body=cb, day_rate=Decimal(1))
    assert not PriceSettings.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"day_rate": Decimal("10.005")}, "day_rate"),
        ({"currency": "JPY", "day_rate": Decimal("10.5")}, "day_rate"),
        ({"day_rate": Decimal(-1)}, "day_rate"),
        ({"currency": "XXX"}, "currency"),
        ({"tax_percent": Decimal(101)}, "tax_percent"),
        ({"travel_days": Decimal("0.3")}, "travel_days"),
        ({"surveillance_day_rate": Decimal("-5")}, "surveillance_day_rate"),
        ({"validity_days": 0}, "validity_days"),
        ({"travel_mode": "boat"}, "travel_mode"),
    ],
)
def test_bad_prices_are_refused_on_their_field_and_change_nothing(
    cb: Any, cb_admin: Any, prices: PriceSettings, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.price_settings_update(actor=cb_admin, certification_body=cb, **values)
    assert field in refused.value.fields
    prices.refresh_from_db()
    assert prices.currency == "EUR"
    assert prices.day_rate == Decimal(1200)


def test_a_programme_manager_quotes_the_application_from_its_determination(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    with time_machine.travel(date(2026, 3, 2), tick=False):
        quotation = services.quotation_create(actor=programme_manager, application=application)
    assert quotation.number == 1
    assert quotation.total == expected_total(application, prices)
    assert quotation.result["total"] == str(quotation.total.quantize(Decimal("0.01")))
    assert [a["audit"] for a in quotation.result["audits"]] == [
        "stage1",
        "stage2",
        "surveillance1",
        "surveillance2",
        "recertification",
    ]
    assert quotation.valid_until == date(2026, 3, 2) + timedelta(days=90)
    assert quotation.facts["certification_body"]["name"] == application.certification_body.name
    assert quotation.facts["reference"].startswith("Q-2026-")
    entry = AuditLogEntry.objects.get(action="quotation.create")
    after = entry.after or {}
    assert (after["total"], after["number"]) == (quotation.result["total"], 1)
    assert entry.organization_id == application.organization_id


def test_a_quotation_keeps_its_figures_when_the_prices_change(
    application: Any, prices: PriceSettings, programme_manager: Any, cb_admin: Any
) -> None:
    first = services.quotation_create(actor=programme_manager, application=application)
    services.price_settings_update(
        actor=cb_admin, certification_body=application.certification_body, day_rate=Decimal("2000")
    )
    second = services.quotation_create(actor=programme_manager, application=application)
    first.refresh_from_db()
    assert first.prices["day_rate"] == "1200.00"
    assert second.prices["day_rate"] == "2000.00"
    assert second.total > first.total
    assert second.number == 2


def test_auditors_clients_and_other_cbs_cannot_quote(
    application: Any, prices: PriceSettings, auditor: Any, client_admin: Any, other_cb_admin: Any
) -> None:
    for actor in (auditor, client_admin, other_cb_admin):
        with pytest.raises(PermissionDenied):
            services.quotation_create(actor=actor, application=application)
    assert not Quotation.objects.exists()


def test_quoting_needs_prices(application: Any, programme_manager: Any) -> None:
    with pytest.raises(Conflict) as refused:
        services.quotation_create(actor=programme_manager, application=application)
    assert refused.value.code == "prices_not_set"


def test_quoting_needs_a_determination(ready: Any, acme: Any, prices: PriceSettings, programme_manager: Any) -> None:
    from conformo.audits import services as audit_services
    from conformo.audits.tests.factories import sites_for

    application = audit_services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Machining",
        sites=sites_for(acme),
        sector_codes=[17],
    )
    with pytest.raises(Conflict) as refused:
        services.quotation_create(actor=programme_manager, application=application)
    assert refused.value.code == "no_determination"


def test_an_accepted_application_is_no_longer_quoted(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    services.quotation_create(actor=programme_manager, application=application)
    application_accept(actor=programme_manager, application=application)
    with pytest.raises(Conflict) as refused:
        services.quotation_create(actor=programme_manager, application=application)
    assert refused.value.code == "quotation_closed"
    assert Quotation.objects.count() == 1
