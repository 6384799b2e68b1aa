from __future__ import annotations

import json
import warnings
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from joserfc import jws
from joserfc.jwk import KeySet

from conformo.certificates.models import Certificate
from conformo.certificates.services import certificate_apply_decision, certificate_set_confidential
from conformo.certificates.tests.conftest import decide, issue
from conformo.certification.models import Certification
from conformo.conftest import login

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certificates"
RECORD_KEYS = {
    "number",
    "status",
    "holder",
    "standards",
    "scope",
    "scope_lines",
    "sites",
    "issued_on",
    "original_issued_on",
    "expires_on",
    "certification_body",
    "status_reason",
    "editions",
    "transition_ends_on",
    "transition_edition",
}


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "1000/60"


@pytest.fixture
def today() -> Any:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        yield


def test_anyone_reads_a_certificate_record(granted: Certificate, client: Client, today: Any) -> None:
    response = client.get(f"{API}/NBC-2026-00001")
    assert response.status_code == 200
    assert response.json() == {
        "number": "NBC-2026-00001",
        "status": "active",
        "status_reason": None,
        "holder": {"name": "Acme Precision Parts", "country": "DE"},
        "standards": ["iso-14001-2015", "iso-9001-2015"],
        "editions": [
            {"id": "iso-14001-2015", "designation": "ISO 14001:2015", "year": 2015},
            {"id": "iso-9001-2015", "designation": "ISO 9001:2015", "year": 2015},
        ],
        "scope": "Machining of precision parts",
        "scope_lines": [
            {"standard": code, "site": None, "activity": "Machining of precision parts", "iaf_codes": [17]}
            for code in ("iso-14001-2015", "iso-9001-2015")
        ],
        "sites": [
            {
                "name": "Stuttgart plant",
                "address": "Hauptstr. 1, Stuttgart",
                "country": "DE",
                "headquarters": True,
                "scope": "Machining of precision parts",
            },
            {
                "name": "Leipzig warehouse",
                "address": "Ring 5, Leipzig",
                "country": "DE",
                "headquarters": False,
                "scope": "Machining of precision parts",
            },
        ],
        "issued_on": "2026-03-02",
        "original_issued_on": "2026-03-02",
        "expires_on": "2029-03-01",
        "transition_ends_on": None,
        "transition_edition": None,
        "certification_body": {"name": "Northbridge Certification", "accreditation": "UKAS 0042"},
    }


def test_unknown_and_confidential_numbers_are_the_same_404(granted: Certificate, client: Client, cb_admin: Any) -> None:
    unknown = client.get(f"{API}/NOPE-1")
    certificate_set_confidential(actor=cb_admin, certificate=granted, confidential=True)
    hidden = client.get(f"{API}/NBC-2026-00001")
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.json() == hidden.json() == {"detail": "No public certificate has this number.", "code": "not_found"}
    assert client.get(f"{API}/NBC-2026-00001/credential").status_code == 404
    assert client.get(f"{API}?q=acme").json() == {"items": [], "count": 0}
    assert client.get("/verify/NBC-2026-00001").status_code == 404


def test_search_matches_number_and_name_in_any_case_and_accents(
    granted: Certificate, client: Client, acme: Any, certification: Certification, decision_maker: Any
) -> None:
    acme.legal_name = "Acmé Précision Parts"
    acme.save()
    revised = issue(certification, "extend_scope", date(2026, 4, 1), decision_maker, scope="Machining and coating")
    for q in ("ACME precision", "acmé", "précision", "nbc-2026", "NBC-2026-00001-R1", "  acme   precision "):
        body = client.get(API, {"q": q}).json()
        assert [r["number"] for r in body["items"]] == [revised.number], q
        assert body["count"] == 1
    assert client.get(API, {"q": "bluewater"}).json()["count"] == 0


def test_filters_by_standard_country_and_status(
    granted: Certificate, client: Client, bluewater: Any, qms: Any, decision_maker: Any, today: Any
) -> None:
    other = Certification.objects.create(
        certification_body=granted.certification_body, organization=bluewater, scope="Warehousing"
    )
    other.standards.set([qms])
    blue = issue(other, "grant", date(2026, 3, 5), decision_maker)
    certificate_apply_decision(
        decision=decide(other, "suspend", date(2026, 5, 1), decision_maker, state_after="suspended", reason="x"),
        actor=decision_maker,
    )

    def numbers(**filters: str) -> list[str]:
        return [r["number"] for r in client.get(API, filters).json()["items"]]

    assert numbers() == [granted.number, blue.number]
    assert numbers(standard="iso-14001-2015") == [granted.number]
    assert numbers(standard="iso-9001-2015") == [granted.number, blue.number]
    assert numbers(country="nl") == [blue.number]
    assert numbers(status="suspended") == [blue.number]
    assert numbers(status="active") == [granted.number]
    assert client.get(API, {"status": "bogus"}).status_code == 422


def test_status_is_right_at_the_moment_of_reading_without_any_job(granted: Certificate, client: Client) -> None:
    with time_machine.travel(date(2029, 3, 1), tick=False):
        assert client.get(f"{API}/NBC-2026-00001").json()["status"] == "active"
        assert client.get(API, {"status": "active"}).json()["count"] == 1
    with time_machine.travel(date(2029, 3, 2), tick=False):
        assert client.get(f"{API}/NBC-2026-00001").json()["status"] == "expired"
        assert client.get(API, {"status": "active"}).json()["count"] == 0
        assert [r["status"] for r in client.get(API, {"status": "expired"}).json()["items"]] == ["expired"]
        assert b"EXPIRED" in client.get("/verify/NBC-2026-00001").content
    assert Certificate.objects.get().status == "active"


def test_a_superseded_number_leads_to_the_current_revision(
    granted: Certificate, certification: Certification, decision_maker: Any, client: Client
) -> None:
    issue(certification, "extend_scope", date(2026, 4, 1), decision_maker, scope="Machining and coating")
    assert client.get(f"{API}/NBC-2026-00001").json()["number"] == "NBC-2026-00001-R1"
    page = client.get("/verify/NBC-2026-00001").content.decode()
    assert "earlier revision" in page
    assert client.get(API, {"q": "nbc"}).json()["count"] == 1


def test_anonymous_readers_see_only_public_fields(granted: Certificate, client: Client) -> None:
    body = client.get(API).json()
    assert set(body) == {"items", "count"}
    assert set(body["items"][0]) == RECORD_KEYS
    text = json.dumps(body)
    for private in (
        "public_id",
        "search_text",
        "certification_id",
        "organization",
        "decision",
        "confidential",
        "sector_codes",
        "holder_identifier",
    ):
        assert private not in text


def test_the_registry_api_needs_no_login_but_the_rest_of_the_api_does(client: Client, granted: Certificate) -> None:
    assert client.get(API).status_code == 200
    assert client.get("/api/v1/certificates").status_code == 401


def test_a_list_costs_a_constant_number_of_queries(
    granted: Certificate,
    client: Client,
    django_assert_max_num_queries: Any,
    bluewater: Any,
    qms: Any,
    decision_maker: Any,
    settings: Any,
) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"  # the rate limit's own statements are counted in test_ratelimit
    for i in range(12):
        other = Certification.objects.create(
            certification_body=granted.certification_body, organization=bluewater, scope=f"Scope {i}"
        )
        other.standards.set([qms])
        issue(other, "grant", date(2026, 3, 5), decision_maker)
    # On PostgreSQL the search's time limit adds its transaction's statements (savepoint here, set_config).
    most = 4 if connection.vendor == "postgresql" else 2
    with django_assert_max_num_queries(most):
        assert client.get(API, {"page_size": 5}).json()["count"] == 13
    with django_assert_max_num_queries(most):
        assert len(client.get(API, {"page_size": "50", "standard": "iso-9001-2015"}).json()["items"]) == 13


def test_the_credential_verifies_with_the_published_jwks_and_matches_the_record(
    granted: Certificate, client: Client, settings: Any
) -> None:
    token = client.get(f"{API}/NBC-2026-00001/credential")
    assert token.status_code == 200
    assert token["Content-Type"] == "application/jose"
    key_set = client.get("/.well-known/jwks.json").json()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        verified = jws.deserialize_compact(token.content.decode(), KeySet.import_key_set(key_set), algorithms=["EdDSA"])
    payload = json.loads(verified.payload)
    assert payload["iss"] == "https://registry.example.test"
    assert payload["sub"] == "NBC-2026-00001"
    assert isinstance(payload["iat"], int)
    assert payload["certificate"] == client.get(f"{API}/NBC-2026-00001").json()
    assert verified.headers()["kid"] == key_set["keys"][0]["kid"]


def test_the_jwks_lists_okp_keys(client: Client, db: Any) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert [(k["kty"], k["crv"]) for k in keys] == [("OKP", "Ed25519")]
    assert keys[0]["kid"]
    assert "d" not in keys[0]


def test_an_etag_answers_304(granted: Certificate, client: Client) -> None:
    first = client.get(f"{API}/NBC-2026-00001")
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(f"{API}/NBC-2026-00001", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    listing = client.get(API, {"q": "acme"})
    assert client.get(API, {"q": "acme"}, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    assert client.get(f"{API}/NBC-2026-00001", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_anonymous_clients_are_limited_with_429_and_retry_after(
    granted: Certificate, client: Client, settings: Any, cb_admin: Any
) -> None:
    settings.REGISTRY_RATE_LIMIT = "3/60"
    with time_machine.travel(date(2026, 6, 1), tick=False):
        statuses = [client.get(f"{API}/NBC-2026-00001").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get(API)
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 66  # a window and one slot (conformo/registry/ratelimit.py)
        assert limited.json()["code"] == "rate_limited"
        page = client.get("/verify/NBC-2026-00001")
        assert page.status_code == 429
        assert page["Retry-After"]
        other_ip = Client(REMOTE_ADDR="10.0.0.9")
        assert other_ip.get(f"{API}/NBC-2026-00001").status_code == 200
        assert login(cb_admin).get(f"{API}/NBC-2026-00001").status_code == 200
    with time_machine.travel(date(2026, 6, 1).replace(day=2), tick=False):
        assert client.get(f"{API}/NBC-2026-00001").status_code == 200


def test_the_limit_can_be_switched_off(granted: Certificate, client: Client, settings: Any) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    assert all(client.get(f"{API}/NBC-2026-00001").status_code == 200 for _ in range(5))
