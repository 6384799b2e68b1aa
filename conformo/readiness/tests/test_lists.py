"""The documented-information and risk registers: search, filters (kind, status, standard, owner, review window;
level, treatment, treatment status, acceptance), sort and pages, on the page (htmx partial) and in the API with
the same parameter names; a fixed number of queries whatever the register's size."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.conftest import login, token_client
from conformo.readiness.services import document_create, risk_create

pytestmark = pytest.mark.django_db
TODAY = "2026-06-01"


def documents(org: Any, actor: Any, first: int, last: int) -> None:
    for n in range(first, last):
        document_create(actor=actor, organization=org, title=f"Procedure {n:03d}")


@pytest.fixture
def register(acme: Any, client_admin: Any) -> None:
    documents(acme, client_admin, 1, 53)
    document_create(actor=client_admin, organization=acme, title="Quality policy", owner=client_admin)
    document_create(actor=client_admin, organization=acme, title="Calibration log", kind="record")
    document_create(actor=client_admin, organization=acme, title="Old manual", review_due=date(2026, 5, 1))
    document_create(actor=client_admin, organization=acme, title="Soon manual", review_due=date(2026, 6, 20))
    for n in range(1, 53):
        risk_create(actor=client_admin, organization=acme, title=f"Risk {n:03d}", likelihood=1, impact=2)
    risk_create(actor=client_admin, organization=acme, title="Fire", likelihood=5, impact=5, owner=client_admin)
    risk_create(actor=client_admin, organization=acme, title="New market", likelihood=3, impact=3, kind="opportunity")


@time_machine.travel(TODAY, tick=False)
def test_the_document_register_searches_filters_sorts_and_pages(register: None, acme: Any, client_admin: Any) -> None:
    client = login(client_admin)
    url = f"/readiness/o/{acme.public_id}/documents/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"56 entries" in page.content
    assert b"Page 1 of 2" in page.content
    assert b"1 entry matches" in client.get(url, {"q": "policy"}).content
    assert b"Calibration log" in client.get(url, {"kind": "record"}).content
    mine = client.get(url, {"owner": client_admin.email})
    assert b"1 entry matches" in mine.content
    assert b"Quality policy" in mine.content
    overdue = client.get(url, {"review": "overdue"})
    assert b"1 entry matches" in overdue.content
    assert b"Old manual" in overdue.content
    assert b"overdue</span>" in overdue.content
    assert b"Soon manual" in client.get(url, {"review": "30"}).content
    assert b"56 entries match" in client.get(url, {"status": "not_approved"}).content
    last = client.get(url, {"sort": "-title"})
    assert last.content.index(b"Soon manual") < last.content.index(b"Procedure 052")
    partial = client.get(url, {"q": "policy"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in partial.content
    assert b"Quality policy" in partial.content
    bad = client.get(url, {"status": "nonsense", "owner": "nobody@example.com", "page": "x"})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 2


@time_machine.travel(TODAY, tick=False)
def test_the_risk_register_searches_filters_sorts_and_pages(register: None, acme: Any, client_admin: Any) -> None:
    client = login(client_admin)
    url = f"/readiness/o/{acme.public_id}/risks/"
    page = client.get(url)
    assert b"54 entries" in page.content
    assert b"Page 1 of 2" in page.content
    assert b"1 entry matches" in client.get(url, {"kind": "opportunity"}).content
    high = client.get(url, {"level": "high"})
    assert b"1 entry matches" in high.content
    assert b"Fire" in high.content
    assert b"Fire" in client.get(url, {"owner": client_admin.email}).content
    assert b"54 entries match" in client.get(url, {"status": "not_started"}).content
    rated = client.get(url, {"sort": "rating"})
    assert b"Risk 001" in rated.content
    assert b"Fire" not in rated.content  # the highest rating comes last, on page 2


@time_machine.travel(TODAY, tick=False)
def test_the_apis_take_the_same_filters_and_refuse_a_bad_one_by_name(
    register: None, acme: Any, client_admin: Any
) -> None:
    client, _ = token_client(client_admin)
    base = f"/api/v1/organizations/{acme.public_id}"
    body = client.get(f"{base}/documents", {"review": "overdue"}).json()
    assert [d["title"] for d in body["items"]] == ["Old manual"]
    assert client.get(f"{base}/documents", {"owner": client_admin.email.upper()}).json()["count"] == 1
    body = client.get(f"{base}/risks", {"sort": "-rating", "page_size": "2"}).json()
    assert [r["title"] for r in body["items"]] == ["Fire", "New market"]
    assert client.get(f"{base}/risks", {"q": "market"}).json()["count"] == 1
    bad = client.get(f"{base}/documents", {"owner": "nobody@example.com"})
    assert bad.status_code == 422
    assert "owner" in bad.json()["fields"]
    assert "level" in client.get(f"{base}/risks", {"level": "extreme"}).json()["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_registers(acme: Any, client_admin: Any) -> None:
    client = login(client_admin)
    api, _ = token_client(client_admin)
    api.get(f"/api/v1/organizations/{acme.public_id}/documents")  # the token's first use records when it was used
    counts = []
    for first, last in ((1, 3), (3, 40)):
        documents(acme, client_admin, first, last)
        for n in range(first, last):
            risk_create(actor=client_admin, organization=acme, title=f"Risk {n}", likelihood=2, impact=2)
        measured = []
        for path, params in (
            (f"/readiness/o/{acme.public_id}/documents/", {"q": "procedure", "status": "not_approved"}),
            (f"/readiness/o/{acme.public_id}/risks/", {"level": "low", "sort": "rating"}),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path, params).status_code == 200
            measured.append(len(queries))
        for path in ("documents", "risks"):
            with CaptureQueriesContext(connection) as queries:
                assert api.get(f"/api/v1/organizations/{acme.public_id}/{path}", {"q": "2"}).status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]
