"""The fees API: the price list, an application's quotations, one quotation and its proposal PDF — shapes,
refusals, other tenants' 404s, the OpenAPI document and a list whose queries do not grow with its rows."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conformo.conftest import token_client
from conformo.fees import services
from conformo.fees.models import PriceSettings, Quotation

pytestmark = pytest.mark.django_db


def _put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def test_the_cb_administrator_sets_and_reads_the_prices(cb: Any, cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{cb.public_id}/prices"
    assert client.get(url).json()["set"] is False
    response = _put(client, url, {"currency": "KWD", "day_rate": "350.125", "tax_percent": "5"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["set"] is True
    assert body["day_rate"] == "350.125"
    assert body["currency"] == "KWD"
    assert body["validity_days"] == 90


def test_prices_in_more_decimals_than_the_currency_are_refused_field_by_field(cb: Any, cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{cb.public_id}/prices"
    response = _put(client, url, {"currency": "EUR", "day_rate": "10.125", "expenses": "1.001"})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"day_rate", "expenses"}
    negative = _put(client, url, {"day_rate": "-1"})
    assert negative.status_code == 422
    assert "day_rate" in negative.json()["fields"]
    assert not PriceSettings.objects.exists()


def test_a_programme_manager_may_not_set_prices_and_another_cb_sees_none(
    cb: Any, programme_manager: Any, other_cb_admin: Any
) -> None:
    url = f"/api/v1/certification-bodies/{cb.public_id}/prices"
    client, _ = token_client(programme_manager)
    assert _put(client, url, {"day_rate": "1"}).status_code == 403
    other, _ = token_client(other_cb_admin)
    assert other.get(url).status_code == 404


def test_a_quotation_is_made_listed_and_read_with_its_fees(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    client, _ = token_client(programme_manager)
    created = client.post(f"/api/v1/applications/{application.public_id}/quotations")
    assert created.status_code == 201, created.content
    body = created.json()
    quotation = Quotation.objects.get()
    assert body["id"] == str(quotation.public_id)
    assert body["current"] is True
    assert body["currency"] == "EUR"
    assert body["minor_units"] == 2
    assert body["total"] == quotation.result["total"]
    assert Decimal(body["total"]) == Decimal(body["subtotal"]) + Decimal(body["tax"])
    stage2 = next(a for a in body["audits"] if a["audit"] == "stage2")
    assert {line["kind"] for line in stage2["lines"]} == {
        "audit_days",
        "travel",
        "expenses",
        "certificate",
        "registration",
    }
    assert body["prices"]["day_rate"] == "1200.00"
    assert body["application_id"] == str(application.public_id)
    client.post(f"/api/v1/applications/{application.public_id}/quotations")
    listed = client.get(f"/api/v1/applications/{application.public_id}/quotations").json()
    assert listed["count"] == 2
    assert [(q["number"], q["current"]) for q in listed["items"]] == [(2, True), (1, False)]
    first = client.get(f"/api/v1/quotations/{quotation.public_id}").json()
    assert first["current"] is False


def test_quoting_without_prices_is_a_409_with_its_code(application: Any, programme_manager: Any) -> None:
    client, _ = token_client(programme_manager)
    response = client.post(f"/api/v1/applications/{application.public_id}/quotations")
    assert response.status_code == 409
    assert response.json()["code"] == "prices_not_set"


def test_the_client_reads_its_quotation_and_downloads_the_proposal(
    application: Any, prices: PriceSettings, programme_manager: Any, client_admin: Any
) -> None:
    quotation = services.quotation_create(actor=programme_manager, application=application)
    client, _ = token_client(client_admin)
    assert client.get(f"/api/v1/quotations/{quotation.public_id}").status_code == 200
    body = client.get(f"/api/v1/quotations/{quotation.public_id}").json()
    pdf = client.get(body["proposal_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.post(f"/api/v1/applications/{application.public_id}/quotations").status_code == 403


def test_other_tenants_and_auditors_get_404(
    application: Any,
    prices: PriceSettings,
    programme_manager: Any,
    other_cb_admin: Any,
    other_client_admin: Any,
    auditor: Any,
) -> None:
    quotation = services.quotation_create(actor=programme_manager, application=application)
    for user in (other_cb_admin, other_client_admin, auditor):
        client, _ = token_client(user)
        assert client.get(f"/api/v1/quotations/{quotation.public_id}").status_code == 404
        assert client.get(f"/api/v1/quotations/{quotation.public_id}/proposal.pdf").status_code == 404
    for user in (other_cb_admin, other_client_admin):
        client, _ = token_client(user)
        assert client.get(f"/api/v1/applications/{application.public_id}/quotations").status_code == 404
        assert client.post(f"/api/v1/applications/{application.public_id}/quotations").status_code == 404
    assert Quotation.objects.count() == 1


def test_the_list_of_quotations_takes_the_same_queries_for_one_or_many(
    application: Any, prices: PriceSettings, programme_manager: Any
) -> None:
    client, _ = token_client(programme_manager)
    url = f"/api/v1/applications/{application.public_id}/quotations"
    services.quotation_create(actor=programme_manager, application=application)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).json()["count"] == 1
    for _ in range(4):
        services.quotation_create(actor=programme_manager, application=application)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).json()["count"] == 5
    assert len(five) == len(one)


def test_the_openapi_document_gives_the_proposal_as_pdf_and_documents_every_status() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    proposal = paths["/api/v1/quotations/{quotation_id}/proposal.pdf"]["get"]["responses"]
    assert "application/pdf" in proposal["200"]["content"]
    assert "404" in proposal
    create = paths["/api/v1/applications/{application_id}/quotations"]["post"]["responses"]
    assert {"201", "403", "404", "409", "422"} <= set(create)
    assert "422" in paths["/api/v1/certification-bodies/{cb_id}/prices"]["put"]["responses"]
