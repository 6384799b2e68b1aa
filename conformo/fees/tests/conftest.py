from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conformo.audits import services as audit_services
from conformo.audits.tests.factories import Ready, ready_cb, sites_for
from conformo.fees import services
from conformo.fees.models import PriceSettings


@pytest.fixture
def ready(cb: Any, cb_admin: Any, lead_auditor: Any, auditor: Any) -> Ready:
    return ready_cb(cb, cb_admin, lead_auditor, auditor)


@pytest.fixture
def application(ready: Ready, acme: Any, programme_manager: Any) -> Any:
    """Acme's ISO 9001 application (3 sites, 75 persons), reviewed: its audit time determined by default."""
    application = audit_services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Machining of precision parts",
        sites=sites_for(acme),
        sector_codes=[17],
    )
    audit_services.application_review(actor=programme_manager, application=application)
    return application


@pytest.fixture
def prices(cb: Any, cb_admin: Any) -> PriceSettings:
    return services.price_settings_update(
        actor=cb_admin,
        certification_body=cb,
        currency="EUR",
        day_rate=Decimal("1200.00"),
        surveillance_day_rate=Decimal("1100.00"),
        travel_mode="days",
        travel_days=Decimal("0.5"),
        travel_day_rate=Decimal("600.00"),
        expenses=Decimal("250.00"),
        certificate_fee=Decimal("300.00"),
        registration_fee=Decimal("150.00"),
        tax_percent=Decimal("19.00"),
        validity_days=90,
    )


def expected_total(application: Any, prices: PriceSettings) -> Decimal:
    """The total the domain rule gives for the application's current determination at `prices`."""
    from conformo.domain.fees import AuditTime, quote

    determination = audit_services.determination_of(application)
    assert determination is not None
    return quote([AuditTime.from_row(r) for r in determination.result["audits"]], prices.price_list()).total
