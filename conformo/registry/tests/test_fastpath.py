"""The registry's fast-path middleware answers exactly as the full path does, and steps aside otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from conformo.certificates.models import Certificate
from conformo.conftest import login
from conformo.registry.fastpath import RegistryFastPathMiddleware

pytestmark = pytest.mark.django_db
FAST_PATH = "conformo.registry.fastpath.RegistryFastPathMiddleware"
HEADERS_COMPARED = ("Content-Type", "ETag", "Cache-Control", "X-Content-Type-Options", "X-Frame-Options")


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def both(settings: Any, path: str, **params: Any) -> tuple[Any, Any]:
    settings.REGISTRY_RATE_LIMIT = "0"
    slow = Client().get(path, params)
    settings.MIDDLEWARE = [FAST_PATH, *settings.MIDDLEWARE]
    fast = Client().get(path, params)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    return slow, fast


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/registry/certificates/NBC-2026-00001", {}),
        ("/api/v1/registry/certificates/NO-SUCH-NUMBER", {}),
        ("/api/v1/registry/certificates", {"q": "ACMÉ"}),
        ("/api/v1/registry/certificates", {"status": "active", "page_size": "5"}),
        ("/api/v1/registry/certificates", {"q": "nothing like it"}),
        ("/api/v1/registry/certificates", {"q": "acme PRÉC"}),
        ("/api/v1/registry/certificates", {"q": "nbc-2026", "page": "2", "page_size": "1"}),
        ("/api/v1/registry/certificates", {"q": "-"}),
        ("/api/v1/registry/certificates", {"q": "-", "page": "3"}),
        ("/api/v1/registry/certificates", {"q": "acme", "standard": "iso-9001-2015", "country": "de"}),
        ("/api/v1/registry/certificates", {"q": "acme", "standard": "iso-9001-2015", "status": "active"}),
        ("/api/v1/registry/certificates", {"q": "acme", "status": "expired"}),
        ("/api/v1/registry/certificates", {"q": "acme", "status": "withdrawn"}),
        ("/api/v1/registry/certificates", {"q": "acme", "page": "5"}),
        ("/api/v1/registry/certificates", {"q": "acme donaudampfschifffahrtsgesellschaft"}),
        ("/api/v1/registry/certificates", {"country": "DE", "status": "suspended"}),
        ("/api/v1/registry/certificates", {"standard": "iso-14001-2015", "page_size": "100"}),
        ("/api/v1/registry/certificates", {"status": "sleeping"}),  # 422: falls through to the full path
        ("/api/v1/registry/certificates", {"page": "0"}),
        ("/api/v1/registry/certificates", {"page_size": "101"}),  # past the schema's limit: the full path's 422
        ("/api/v1/registry/certificates", {"page": "two"}),
        ("/api/v1/registry/certificates", {"country": "DEU"}),
        ("/api/v1/registry/certificates", {"q": "a" * 201}),
        ("/api/v1/registry/certificates", {"q": "a" * 200}),
    ],
)
def test_the_fast_path_gives_the_same_answer(granted: Certificate, settings: Any, path: str, params: Any) -> None:
    slow, fast = both(settings, path, **params)
    assert fast.status_code == slow.status_code
    assert fast.content == slow.content
    for name in HEADERS_COMPARED:
        assert fast.get(name) == slow.get(name), name


def test_the_fast_path_answers_304_and_counts_the_rate_limit(granted: Certificate, settings: Any) -> None:
    settings.MIDDLEWARE = [FAST_PATH, *settings.MIDDLEWARE]
    settings.REGISTRY_RATE_LIMIT = "2/60"
    client = Client()
    first = client.get("/api/v1/registry/certificates/NBC-2026-00001")
    assert first.status_code == 200
    again = client.get("/api/v1/registry/certificates/NBC-2026-00001", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    limited = client.get("/api/v1/registry/certificates/NBC-2026-00001")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert limited["Retry-After"]


def test_signed_in_users_take_the_full_path_and_are_not_limited(
    granted: Certificate, settings: Any, cb_admin: Any
) -> None:
    settings.MIDDLEWARE = [FAST_PATH, *settings.MIDDLEWARE]
    settings.REGISTRY_RATE_LIMIT = "1/60"
    client = login(cb_admin)
    for _ in range(3):
        assert client.get("/api/v1/registry/certificates/NBC-2026-00001").status_code == 200


def test_the_credential_and_other_methods_are_left_to_the_full_path(granted: Certificate, settings: Any) -> None:
    settings.MIDDLEWARE = [FAST_PATH, *settings.MIDDLEWARE]
    settings.REGISTRY_RATE_LIMIT = "0"
    response = Client().get("/api/v1/registry/certificates/NBC-2026-00001/credential")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jose"
    assert Client().post("/api/v1/registry/certificates/NBC-2026-00001").status_code == 405


def _fell_through(request: Any) -> Any:
    return "fell through"


@pytest.mark.parametrize(
    "params",
    [{"q": "acme"}, {"q": "acme", "page": "1", "page_size": "100"}, {"status": "active", "country": "de"}, {}],
)
def test_the_fast_path_answers_searches_the_schema_accepts_itself(granted: Certificate, params: Any) -> None:
    middleware = RegistryFastPathMiddleware(_fell_through)
    response = middleware(RequestFactory().get("/api/v1/registry/certificates", params))
    assert response != "fell through"
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "query",
    ["page_size=101", "page=0", "page=x", "country=DEU", "q=" + "a" * 201, "q=a&q=b", "unknown=1", "status=asleep"],
)
def test_the_fast_path_leaves_what_the_schema_refuses_to_the_full_path(granted: Certificate, query: str) -> None:
    middleware = RegistryFastPathMiddleware(_fell_through)
    assert middleware(RequestFactory().get(f"/api/v1/registry/certificates?{query}")) == "fell through"


def test_a_weak_or_listed_etag_answers_304_and_if_match_a_412(granted: Certificate, settings: Any) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    middleware = RegistryFastPathMiddleware(_fell_through)
    path = "/api/v1/registry/certificates/NBC-2026-00001"
    etag = middleware(RequestFactory().get(path))["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        assert middleware(RequestFactory().get(path, HTTP_IF_NONE_MATCH=header)).status_code == 304
    assert middleware(RequestFactory().get(path, HTTP_IF_NONE_MATCH='"other"')).status_code == 200
    assert middleware(RequestFactory().get(path, HTTP_IF_MATCH='"other"')).status_code == 412


def test_the_fast_paths_model_has_the_api_schemas_fields_and_limits() -> None:
    from conformo.registry.schemas import SearchIn, SearchQuery

    assert SearchQuery.model_fields.keys() == SearchIn.model_fields.keys()
    for name, field in SearchIn.model_fields.items():
        copy = SearchQuery.model_fields[name]
        assert (copy.annotation, copy.default, copy.metadata) == (field.annotation, field.default, field.metadata)
