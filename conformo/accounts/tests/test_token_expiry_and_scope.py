"""API tokens expire (`API_TOKEN_TTL_DAYS`) and may be read-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from conformo.accounts.models import ApiToken
from conformo.accounts.services import api_token_authenticate, api_token_create
from conformo.api import api
from conformo.conftest import login
from conformo.organizations.models import Site

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_new_token_expires_after_the_configured_number_of_days(client_admin, settings):
    with time_machine.travel(START, tick=False):
        token, _ = api_token_create(user=client_admin, name="cli")
        settings.API_TOKEN_TTL_DAYS = 7
        short, _ = api_token_create(user=client_admin, name="short")
    assert token.expires_at == START + timedelta(days=90)
    assert short.expires_at == START + timedelta(days=7)


def test_a_token_works_until_it_expires_and_then_answers_401_token_expired(client_admin):
    with time_machine.travel(START, tick=False):
        token, raw = api_token_create(user=client_admin, name="cli")
    with time_machine.travel(START + timedelta(days=90) - timedelta(seconds=1), tick=False):
        assert _bearer(raw).get("/api/v1/me").status_code == 200
    token.refresh_from_db()
    last_used = token.last_used_at
    with time_machine.travel(START + timedelta(days=90, minutes=5), tick=False):
        response = _bearer(raw).get("/api/v1/me")
        posted = _bearer(raw).post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token expired on 2026-05-30 09:00 UTC. "
        "Create a new one on /accounts/tokens/ while signed in.",
        "code": "token_expired",
    }
    assert posted.status_code == 401
    assert posted.json()["code"] == "token_expired"
    token.refresh_from_db()
    assert token.last_used_at == last_used  # an expired token's use is not recorded


def test_the_token_lookup_is_one_query(client_admin, django_assert_num_queries):
    _, raw = api_token_create(user=client_admin, name="cli")
    api_token_authenticate(raw)  # records the first use
    with django_assert_num_queries(1):
        use = api_token_authenticate(raw)
    assert use is not None
    assert use.expired is False
    assert use.scope == "read_write"


def test_a_read_only_token_reads_but_cannot_change_anything(client_admin, acme):
    _, read_raw = api_token_create(user=client_admin, name="reader", scope="read")
    _, write_raw = api_token_create(user=client_admin, name="writer")
    site = {"name": "Plant 2", "country": "DE"}
    url = f"/api/v1/organizations/{acme.public_id}/sites"
    assert _bearer(read_raw).get(url).status_code == 200
    refused = _bearer(read_raw).post(url, site, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_token"
    assert not Site.objects.filter(name="Plant 2").exists()
    assert _bearer(write_raw).post(url, site, content_type="application/json").status_code == 201


@pytest.mark.parametrize(
    ("method", "url"),
    [("put", f"/api/v1/sites/{uuid4()}"), ("patch", f"/api/v1/assessments/{uuid4()}/items/{uuid4()}")],
)
def test_a_read_only_token_is_refused_on_every_method_that_changes(client_admin, method, url):
    _, read_raw = api_token_create(user=client_admin, name="reader", scope="read")
    _, write_raw = api_token_create(user=client_admin, name="writer")
    refused = getattr(_bearer(read_raw), method)(url, {}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_token"
    # the same request with a read-and-write token goes on to the endpoint (which finds nothing)
    assert getattr(_bearer(write_raw), method)(url, {}, content_type="application/json").status_code in {404, 422}


def test_the_token_page_creates_a_read_only_token_and_shows_scope_and_expiry(client_admin):
    page = login(client_admin)
    with time_machine.travel(START, tick=False):
        response = page.post("/accounts/tokens/new/", {"name": "reader", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=client_admin)
    assert token.scope == "read"
    body = page.get("/accounts/tokens/").content.decode()
    assert "Read only" in body
    assert "2026-05-30" in body  # the expiry date
    assert "works for 90 days" in body


def test_the_token_page_refuses_an_unknown_scope(client_admin):
    response = login(client_admin).post("/accounts/tokens/new/", {"name": "x", "scope": "root"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_listed_as_expired_without_a_revoke_button(client_admin):
    with time_machine.travel(START, tick=False):
        token, _ = api_token_create(user=client_admin, name="old")
    with time_machine.travel(START + timedelta(days=91), tick=False):
        body = login(client_admin).get("/accounts/tokens/").content.decode()
        assert token.status == "expired"
        assert not ApiToken.objects.active().exists()
    assert "<td>Expired</td>" in body
    assert f"/accounts/tokens/{token.public_id}/revoke/" not in body


def test_the_openapi_document_names_the_401_and_403_answers():
    schema = api.get_openapi_schema()
    create = schema["paths"]["/api/v1/tokens"]["post"]["responses"]
    assert {201, 401, 403, 422} <= set(create)
    me = schema["paths"]["/api/v1/me"]["get"]["responses"]
    assert {401, 403} <= set(me)
    assert me[401]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "token_expired" in me[401]["description"]
    registry = schema["paths"]["/api/v1/registry/certificates"]["get"]["responses"]
    assert 401 not in registry
    assert "ErrorOut" in schema["components"]["schemas"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_90_days_from_their_creation():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_api_token_expiry_and_scope")])
    old_apps = executor.loader.project_state([("accounts", "0002_api_token_expiry_and_scope")]).apps
    user = old_apps.get_model("accounts", "User").objects.create(email="old@example.test")
    token = old_apps.get_model("accounts", "ApiToken").objects.create(
        user=user, name="old", token_hash="a" * 64, hint="cfo_old"
    )
    created_at = token.created_at
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = ApiToken.objects.get(pk=token.pk)
    assert migrated.expires_at == created_at + timedelta(days=90)
    assert migrated.scope == "read_write"


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer cfo_", "Bearer cfo_a b", "bearer " + "x" * 5000])
def test_a_malformed_bearer_header_is_a_401_not_a_500(db, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] in {"invalid_token", "unauthenticated"}
