"""The organizations list (a CB's clients): search, filters (country, IAF code, certification state as read
today, certified standard), sort and pages, on the page (htmx partial) and in the API with the same parameter
names; a fixed number of queries whatever the list's size."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.audits.tests.factories import StandardFactory
from conformo.certification.models import Certification
from conformo.conftest import login, token_client
from conformo.core.tests.factories import OrganizationFactory, SiteFactory
from conformo.organizations.models import ClientRelationship, Organization

pytestmark = pytest.mark.django_db
TODAY = "2026-06-01"


def client_of(cb: Any, name: str, *, country: str = "GB", sectors: list[int] | None = None) -> Organization:
    org = OrganizationFactory.create(legal_name=name, country=country, sector_codes=sectors or [])
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    SiteFactory.create(organization=org, name="Head office")
    return org


@pytest.fixture
def clients(cb: Any, other_cb: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    StandardFactory.create(code="iso-14001-2015", designation="ISO 14001:2015")
    for n in range(1, 53):
        client_of(cb, f"Client {n:03d}")
    client_of(cb, "Zephyr Plastics", country="DE", sectors=[14, 28])
    certified = client_of(cb, "Certified Ltd")
    Certification.objects.create(
        certification_body=cb, organization=certified, scope="Work", state="active", expires_on=date(2028, 1, 1)
    ).standards.set([qms])
    lapsed = client_of(cb, "Lapsed Ltd")
    Certification.objects.create(
        certification_body=cb, organization=lapsed, scope="Work", state="active", expires_on=date(2026, 5, 1)
    )
    elsewhere = client_of(other_cb, "Elsewhere Ltd")  # certified by another CB: not in this CB's list
    Certification.objects.create(certification_body=other_cb, organization=elsewhere, scope="Work", state="active")


@time_machine.travel(TODAY, tick=False)
def test_the_page_searches_filters_sorts_and_pages(clients: None, cb_admin: Any) -> None:
    client = login(cb_admin)
    page = client.get("/organizations/")
    assert page.status_code == 200
    assert b"55 organizations" in page.content
    assert b"Page 1 of 2" in page.content
    assert b"Elsewhere" not in client.get("/organizations/", {"q": "elsewhere"}).content
    found = client.get("/organizations/", {"q": "zephyr"})
    assert b"1 organization matches" in found.content
    assert b"Zephyr" in client.get("/organizations/", {"country": "de"}).content
    assert b"1 organization matches" in client.get("/organizations/", {"iaf_code": "28"}).content
    active = client.get("/organizations/", {"certification": "active"})
    assert b"1 organization matches" in active.content
    assert b"Certified Ltd" in active.content
    assert b"Lapsed Ltd" in client.get("/organizations/", {"certification": "expired"}).content
    assert b"Certified Ltd" in client.get("/organizations/", {"standard": "iso-9001-2015"}).content
    last = client.get("/organizations/", {"sort": "-name"})
    assert last.content.index(b"Zephyr") < last.content.index(b"Lapsed Ltd")
    partial = client.get("/organizations/", {"q": "zephyr"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in partial.content
    assert b"Zephyr" in partial.content
    bad = client.get("/organizations/", {"certification": "nonsense", "iaf_code": "99", "page": "x"})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 2


@time_machine.travel(TODAY, tick=False)
def test_the_api_takes_the_same_filters_and_refuses_a_bad_one_by_name(clients: None, cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    body = client.get("/api/v1/organizations", {"certification": "expired"}).json()
    assert [o["legal_name"] for o in body["items"]] == ["Lapsed Ltd"]
    body = client.get("/api/v1/organizations", {"q": "client 05", "sort": "-name"}).json()
    assert [o["legal_name"] for o in body["items"]] == ["Client 052", "Client 051", "Client 050", "Client 005"]
    assert client.get("/api/v1/organizations", {"iaf_code": "14"}).json()["count"] == 1
    bad = client.get("/api/v1/organizations", {"certification": "nonsense"})
    assert bad.status_code == 422
    assert "certification" in bad.json()["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_list(cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    api, _ = token_client(cb_admin)
    api.get("/api/v1/organizations")  # the token's first use records when it was used
    counts = []
    for first, last in ((1, 3), (3, 40)):
        for n in range(first, last):
            client_of(cb, f"Client {n:03d}")
        with CaptureQueriesContext(connection) as page:
            assert client.get("/organizations/", {"q": "client", "certification": "active"}).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert api.get("/api/v1/organizations", {"country": "gb"}).status_code == 200
        counts.append((len(page), len(listed)))
    assert counts[0] == counts[1]


def test_the_page_shows_each_organizations_number_of_sites(cb: Any, other_cb: Any, cb_admin: Any) -> None:
    none = OrganizationFactory.create(legal_name="Aardvark Ltd")
    ClientRelationship.objects.create(certification_body=cb, organization=none)
    three = client_of(cb, "Badger Ltd")
    SiteFactory.create_batch(2, organization=three)
    ClientRelationship.objects.create(certification_body=other_cb, organization=three)  # a client of two CBs
    client_of(cb, "Cormorant Ltd")
    page = login(cb_admin).get("/organizations/")
    shown = re.findall(r">([^<]+)</a></td><td>[A-Z]{2}</td><td>(\d+)</td>", page.content.decode())
    assert shown == [("Aardvark Ltd", "0"), ("Badger Ltd", "3"), ("Cormorant Ltd", "1")]
