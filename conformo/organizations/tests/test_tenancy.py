"""Role and tenant isolation: nobody reads another tenant's data through any page or endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from conformo.accounts.services import api_token_create
from conformo.conftest import login
from conformo.core.tests.factories import SiteFactory
from conformo.organizations.models import Organization


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def two_clients(acme, bluewater):
    SiteFactory.create(organization=acme, name="Acme HQ")
    SiteFactory.create(organization=bluewater, name="Bluewater depot")
    return acme, bluewater


def test_a_client_sees_only_its_own_organization(client_admin, two_clients):
    acme, _ = two_clients
    assert list(Organization.objects.visible_to(client_admin)) == [acme]
    listing = api(client_admin).get("/api/v1/organizations").json()
    assert [item["legal_name"] for item in listing["items"]] == ["Acme Precision Parts"]
    assert listing["count"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/{bluewater}",
        "/api/v1/organizations/{bluewater}/sites",
    ],
)
def test_a_client_cannot_read_another_organization_through_the_api(client_admin, two_clients, path):
    _, bluewater = two_clients
    response = api(client_admin).get(path.format(bluewater=bluewater.public_id))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    ["/organizations/{bluewater}/", "/organizations/{bluewater}/sites/new/", "/organizations/sites/{site}/edit/"],
)
def test_a_client_cannot_read_another_organization_through_the_pages(client_admin, two_clients, path):
    _, bluewater = two_clients
    site = bluewater.sites.get()
    response = login(client_admin).get(path.format(bluewater=bluewater.public_id, site=site.public_id))
    assert response.status_code == 404
    assert b"Bluewater" not in response.content


def test_a_client_cannot_change_another_organizations_site(client_admin, two_clients):
    _, bluewater = two_clients
    site = bluewater.sites.get()
    response = api(client_admin).put(
        f"/api/v1/sites/{site.public_id}", {"name": "Hijacked", "country": "NL"}, content_type="application/json"
    )
    assert response.status_code == 404
    site.refresh_from_db()
    assert site.name == "Bluewater depot"


def test_a_cb_sees_its_own_clients_and_no_other_cbs(cb_admin, other_cb_admin, two_clients):
    assert Organization.objects.visible_to(cb_admin).count() == 2
    assert Organization.objects.visible_to(other_cb_admin).count() == 0
    assert api(other_cb_admin).get("/api/v1/organizations").json() == {"items": [], "count": 0}


def test_an_auditor_sees_only_what_they_are_assigned_to(auditor, two_clients):
    assert Organization.objects.visible_to(auditor).count() == 0
    assert api(auditor).get("/api/v1/organizations").json()["count"] == 0


def test_an_outsider_and_an_anonymous_visitor_see_nothing(outsider, two_clients):
    acme, _ = two_clients
    assert api(outsider).get("/api/v1/organizations").json()["count"] == 0
    assert api(outsider).get(f"/api/v1/organizations/{acme.public_id}").status_code == 404
    assert Client().get("/api/v1/organizations").status_code == 401
    assert Client().get(f"/organizations/{acme.public_id}/").status_code == 302


def test_the_organization_list_costs_the_same_queries_for_many_rows(cb_admin, cb):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conformo.core.tests.factories import OrganizationFactory
    from conformo.organizations.models import ClientRelationship

    client, browser = api(cb_admin), login(cb_admin)
    client.get("/api/v1/organizations"), browser.get("/organizations/")  # the first call records the token's use
    counts: list[tuple[int, int]] = []
    for rows in (1, 29):
        for _ in range(rows):
            ClientRelationship.objects.create(certification_body=cb, organization=OrganizationFactory.create())
        with CaptureQueriesContext(connection) as api_queries:
            assert client.get("/api/v1/organizations?page_size=100").json()["count"] == len(counts) * 29 + 1
        with CaptureQueriesContext(connection) as page_queries:
            assert browser.get("/organizations/").status_code == 200
        counts.append((len(api_queries), len(page_queries)))
    assert counts[0] == counts[1]
    assert counts[1][0] <= 6
