"""The fees pages: the price list (read by the CB's staff, edited by its administrator), the quotations on the
application page, making a quotation, one quotation, its proposal, and other tenants kept out."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.conftest import login
from conformo.fees import services
from conformo.fees.models import PriceSettings, Quotation

pytestmark = pytest.mark.django_db

FORM = {
    "currency": "EUR",
    "day_rate": "1250.50",
    "stage1_day_rate": "",
    "stage2_day_rate": "",
    "surveillance_day_rate": "1100",
    "recertification_day_rate": "",
    "travel_mode": "flat",
    "travel_days": "0",
    "travel_day_rate": "0",
    "travel_flat": "180",
    "expenses": "90",
    "certificate_fee": "300",
    "registration_fee": "150",
    "tax_percent": "20",
    "validity_days": "60",
}


def _prices_url(cb: Any) -> str:
    return f"{reverse('fees:prices')}?cb={cb.public_id}"


def test_the_cb_administrator_saves_the_price_list(cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(_prices_url(cb), FORM)
    assert response.status_code == 302
    settings = PriceSettings.objects.get(certification_body=cb)
    assert settings.day_rate == Decimal("1250.50")
    assert settings.surveillance_day_rate == Decimal(1100)
    assert settings.travel_mode == "flat"


def test_a_price_finer_than_the_currency_comes_back_on_its_field_and_nothing_is_saved(cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(_prices_url(cb), {**FORM, "currency": "JPY", "day_rate": "1250.50"})
    assert response.status_code == 422
    assert response.context["form"].errors["day_rate"] == ["JPY amounts are whole numbers."]
    assert not PriceSettings.objects.exists()


def test_a_negative_fee_or_a_tax_rate_over_100_is_refused(cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(_prices_url(cb), {**FORM, "expenses": "-1", "tax_percent": "120"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "expenses" in errors
    assert "tax_percent" in errors
    assert not PriceSettings.objects.exists()


def test_a_programme_manager_reads_the_prices_but_may_not_change_them(
    cb: Any, programme_manager: Any, prices: PriceSettings
) -> None:
    client = login(programme_manager)
    page = client.get(_prices_url(cb))
    assert page.status_code == 200
    assert b"Save prices" not in page.content
    assert b"Only a CB administrator can change the prices." in page.content
    assert client.post(_prices_url(cb), FORM).status_code == 403
    prices.refresh_from_db()
    assert prices.day_rate == Decimal(1200)


def test_the_prices_page_is_for_cb_staff_only(client_admin: Any) -> None:
    refused = login(client_admin).get(reverse("fees:prices"))
    assert refused.status_code == 403
    assert b"You don't have access to this" in refused.content


def test_the_programme_manager_quotes_from_the_application_page(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    client = login(programme_manager)
    page = client.get(reverse("audits:application-detail", args=[application.public_id]))
    create = reverse("fees:quotation-create", args=[application.public_id])
    assert create.encode() in page.content
    assert b"Make a quotation" in page.content
    response = client.post(create)
    quotation = Quotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:quotation-detail", args=[quotation.public_id])
    detail = client.get(response["Location"])
    assert quotation.facts["reference"].encode() in detail.content
    assert f"{quotation.total.quantize(Decimal('0.01')):,}".encode() in detail.content
    again = client.get(reverse("audits:application-detail", args=[application.public_id]))
    assert b"Quote again" in again.content


def test_a_refused_quotation_says_why_on_the_quotations_page(application: Any, programme_manager: Any) -> None:
    response = login(programme_manager).post(reverse("fees:quotation-create", args=[application.public_id]))
    assert response.status_code == 409
    assert b"Set the CB&#x27;s prices before quoting" in response.content
    assert not Quotation.objects.exists()


def test_the_client_reads_the_quotation_and_its_proposal_but_cannot_quote(
    application: Any, prices: PriceSettings, programme_manager: Any, client_member: Any
) -> None:
    quotation = services.quotation_create(actor=programme_manager, application=application)
    client = login(client_member)
    page = client.get(reverse("audits:application-detail", args=[application.public_id]))
    assert reverse("fees:proposal-pdf", args=[quotation.public_id]).encode() in page.content
    assert b"Make a quotation" not in page.content
    assert b"Quote again" not in page.content
    pdf = client.get(reverse("fees:proposal-pdf", args=[quotation.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.post(reverse("fees:quotation-create", args=[application.public_id])).status_code == 403


def test_an_auditor_sees_no_prices_on_the_application(
    application: Any, prices: PriceSettings, programme_manager: Any, auditor: Any
) -> None:
    quotation = services.quotation_create(actor=programme_manager, application=application)
    client = login(auditor)
    # The auditor knows the application: a refusal, not "Not found" (the API keeps its 404: test_api.py).
    for url in (
        reverse("fees:quotation-detail", args=[quotation.public_id]),
        reverse("fees:proposal-pdf", args=[quotation.public_id]),
    ):
        refused = client.get(url)
        assert refused.status_code == 403
        assert b"You don't have access to this" in refused.content
        assert b"Valid until" not in refused.content


def test_other_tenants_get_404_for_the_quotation_and_its_proposal(
    application: Any, prices: PriceSettings, programme_manager: Any, other_cb_admin: Any, other_client_admin: Any
) -> None:
    quotation = services.quotation_create(actor=programme_manager, application=application)
    for user in (other_cb_admin, other_client_admin):
        client = login(user)
        assert client.get(reverse("fees:quotation-detail", args=[quotation.public_id])).status_code == 404
        assert client.get(reverse("fees:proposal-pdf", args=[quotation.public_id])).status_code == 404
        assert client.post(reverse("fees:quotation-create", args=[application.public_id])).status_code == 404
    assert Quotation.objects.count() == 1


def test_the_quote_button_carries_the_pages_csrf_token(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(programme_manager)
    page = client.get(reverse("audits:application-detail", args=[application.public_id])).content.decode()
    create = reverse("fees:quotation-create", args=[application.public_id])
    form = page[page.index(f'action="{create}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    assert client.post(create, {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert Quotation.objects.count() == 1


def test_the_application_page_takes_the_same_queries_for_one_quotation_or_many(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    client = login(programme_manager)
    url = reverse("audits:application-detail", args=[application.public_id])
    services.quotation_create(actor=programme_manager, application=application)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        services.quotation_create(actor=programme_manager, application=application)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert page.content.count(b"proposal.pdf") == 4
    assert len(four) == len(one)
