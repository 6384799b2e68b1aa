"""The proposal PDF: a real PDF of the quotation, whose content names the CB, the client, the justification of
the audit time, the programme, every fee, the total with tax and the validity."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string

from conformo.fees import selectors, services
from conformo.fees.models import PriceSettings
from conformo.fees.pdf import proposal_context, proposal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def quotation(application: Any, prices: PriceSettings, programme_manager: Any) -> Any:
    made = services.quotation_create(actor=programme_manager, application=application)
    return selectors.quotation_get(user=programme_manager, public_id=made.public_id)


def test_the_proposal_is_a_pdf(quotation: Any) -> None:
    pdf = proposal_pdf(quotation)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 10_000


def test_the_proposal_shows_identity_justification_programme_fees_and_validity(quotation: Any) -> None:
    html = render_to_string("fees/proposal_pdf.html", proposal_context(quotation))
    facts = quotation.facts
    assert facts["certification_body"]["name"] in html
    assert facts["client"]["name"] in html
    assert "Machining of precision parts" in html
    assert "How the audit time was determined" in html
    assert "Audit programme" in html
    assert "Surveillance 2" in html
    total = f"{quotation.total.quantize(Decimal('0.01')):,}"
    assert f"{total} EUR" in html
    assert f"{quotation.tax.quantize(Decimal('0.01')):,}" in html
    assert "Annual registration fee" in html
    assert quotation.valid_until.isoformat() in html
    assert facts["reference"] in html


def test_the_proposal_reads_the_same_after_the_prices_change(quotation: Any, cb_admin: Any) -> None:
    before = render_to_string("fees/proposal_pdf.html", proposal_context(quotation))
    services.price_settings_update(
        actor=cb_admin, certification_body=quotation.certification_body, day_rate=Decimal("9999"), tax_percent=0
    )
    again = selectors.quotation_get(user=cb_admin, public_id=quotation.public_id)
    assert render_to_string("fees/proposal_pdf.html", proposal_context(again)) == before


def test_the_proposal_carries_the_agreement_version_current_when_it_was_made(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    from conformo.audits.tests.factories import published_agreement

    without = services.quotation_create(actor=programme_manager, application=application)
    template = published_agreement(application.certification_body)
    made = services.quotation_create(actor=programme_manager, application=application)
    html = render_to_string("fees/proposal_pdf.html", proposal_context(made))
    assert f"version {template.version} — {template.title}" in html
    assert "Use of certification marks" in html
    earlier = render_to_string("fees/proposal_pdf.html", proposal_context(without))
    assert "had published no certification agreement" in earlier
