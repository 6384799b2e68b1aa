"""The certificates list: search, filters (status as read today, standard, country, IAF code, expiry window), sort
and pages, on the page (htmx partial, bookmarkable URL) and in the API with the same parameter names."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.certificates.certsearch import certsearch_import
from conformo.certificates.tests.test_certsearch import csv_file, row
from conformo.conftest import login, token_client

pytestmark = pytest.mark.django_db
TODAY = "2026-06-01"


def cert(n: int, **values: str) -> dict[str, str]:
    return row(
        **{
            "Certification Identity Number": f"C-{n}",
            "Certificate Number": f"C-{n}-A01",
            "Certified Entity Unique ID": f"ENT-{n}",
            "Certified Entity Name": f"Holder {n:03d}",
            "Certification Expiry Date": "20280101",
            **values,
        }
    )


@pytest.fixture
def register(accredited_cb: Any, cb_admin: Any) -> None:
    rows = [cert(n) for n in range(1, 56)]
    rows += [
        cert(100, **{"Certified Entity Name": "Zephyr Plastics", "Certified Entity Country": "DE"}),
        cert(101, **{"Certification Status": "Suspended", "Standards": "ISO 14001:2015"}),
        cert(102, **{"Certification Expiry Date": "20260520"}),  # active on paper, expired when read
        cert(103, **{"Certification Expiry Date": "20260620", "Technical Sectors": "28; 29"}),
    ]
    certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")


@time_machine.travel(TODAY, tick=False)
def test_the_page_searches_filters_sorts_and_pages(register: None, cb_admin: Any) -> None:
    client = login(cb_admin)
    page = client.get("/certificates/")
    assert page.status_code == 200
    assert b"59 certificates" in page.content
    assert b'rel="next"' in page.content
    assert b"Page 1 of 2" in page.content
    found = client.get("/certificates/", {"q": "zephyr"})
    assert b"1 certificate matches" in found.content
    assert b"C-100-A01" in found.content
    assert b"C-1-A01" not in found.content
    assert b"C-102-A01" in client.get("/certificates/", {"status": "expired"}).content
    active = client.get("/certificates/", {"status": "active", "q": "C-102"})
    assert b"No certificate matches" in active.content
    suspended = client.get("/certificates/", {"standard": "iso-14001-2015", "status": "suspended"})
    assert b"1 certificate matches" in suspended.content
    assert b"C-101-A01" in suspended.content
    assert b"C-100-A01" in client.get("/certificates/", {"country": "de"}).content
    iaf = client.get("/certificates/", {"iaf_code": "28"})
    assert b"1 certificate matches" in iaf.content
    assert b"C-103-A01" in iaf.content
    assert b"0 certificates match" in client.get("/certificates/", {"iaf_code": "2"}).content
    due = client.get("/certificates/", {"expires": "30"})
    assert b"1 certificate matches" in due.content
    assert b"C-103-A01" in due.content
    last = client.get("/certificates/", {"sort": "-holder"})
    assert last.content.index(b"Zephyr") < last.content.index(b"Holder 055")
    second = client.get("/certificates/", {"page": "2", "q": "holder"})
    assert b"Page 2 of 2" in second.content
    assert b'rel="prev" ' not in second.content
    assert b"?page=1&amp;q=holder" in second.content or b"?q=holder&amp;page=1" in second.content


@time_machine.travel(TODAY, tick=False)
def test_an_htmx_request_gets_only_the_results_and_a_bad_value_is_shown_not_a_crash(
    register: None, cb_admin: Any
) -> None:
    client = login(cb_admin)
    partial = client.get("/certificates/", {"q": "zephyr"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"C-100-A01" in partial.content
    assert b"<form" not in partial.content
    restore = {"HX-Request": "true", "HX-Target": "results", "HX-History-Restore-Request": "true"}
    assert b"<html" in client.get("/certificates/", {"q": "zephyr"}, headers=restore).content
    bad = client.get("/certificates/", {"status": "nonsense", "iaf_code": "99", "page": "x", "q": "a" * 500})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 3


@time_machine.travel(TODAY, tick=False)
def test_the_api_takes_the_same_filters_and_refuses_a_bad_one_by_name(register: None, cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    body = client.get("/api/v1/certificates", {"status": "expired"}).json()
    assert [c["number"] for c in body["items"]] == ["C-102-A01"]
    assert body["count"] == 1
    body = client.get("/api/v1/certificates", {"q": "holder 05", "sort": "-number"}).json()
    assert [c["number"] for c in body["items"]] == [f"C-{n}-A01" for n in (55, 54, 53, 52, 51, 50, 5)]
    assert client.get("/api/v1/certificates", {"iaf_code": "28"}).json()["count"] == 1
    bad = client.get("/api/v1/certificates", {"status": "nonsense"})
    assert bad.status_code == 422
    unknown = client.get("/api/v1/certificates", {"standard": "iso-0-0"})
    assert unknown.status_code == 422
    assert "standard" in unknown.json()["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_list(accredited_cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    counts = []
    for first, last in ((1, 5), (5, 80)):
        rows = [cert(n) for n in range(first, last)]
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/certificates/", {"status": "active", "q": "holder"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
