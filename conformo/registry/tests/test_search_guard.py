"""A search too broad to count and sort in time (REGISTRY_SEARCH_TIMEOUT_MS, PostgreSQL) is a 422 with a clear
message — the same on the fast path, the normal path and the /registry page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from conformo.certificates.models import Certificate
from conformo.registry import selectors

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certificates"
FAST_PATH = "conformo.registry.fastpath.RegistryFastPathMiddleware"
TOO_BROAD = {"detail": "This search matches too many certificates; add a word or a filter.", "code": "search_too_broad"}
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's; SQLite has no time limit"
)


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "0"


def both(settings: Any, path: str, **params: Any) -> tuple[Any, Any]:
    slow = Client().get(path, params)
    settings.MIDDLEWARE = [FAST_PATH, *settings.MIDDLEWARE]
    fast = Client().get(path, params)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    return slow, fast


def assert_too_broad(slow: Any, fast: Any) -> None:
    assert slow.status_code == fast.status_code == 422
    assert slow.json() == TOO_BROAD
    assert fast.content == slow.content
    assert fast["Content-Type"] == slow["Content-Type"] == "application/json"


@pytest.fixture
def slow_search(settings: Any) -> None:
    """Every row the search condition is evaluated on costs 50 ms; the limit is 10 ms."""
    settings.REGISTRY_SEARCH_TIMEOUT_MS = 10
    with connection.cursor() as cursor:  # inside the test's transaction: rolled back with it
        cursor.execute(
            "CREATE OR REPLACE FUNCTION conformo_search_prefixes(text) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE"
            " AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN to_tsvector('simple', $1); END $$"
        )
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")


@only_postgresql
def test_a_search_past_the_time_limit_is_a_422_on_both_paths(
    granted: Certificate, settings: Any, slow_search: None
) -> None:
    assert_too_broad(*both(settings, API, q="acme"))
    assert_too_broad(*both(settings, API, q="acme", page="2", page_size="1"))


@only_postgresql
def test_the_registry_page_says_the_search_is_too_broad(granted: Certificate, slow_search: None) -> None:
    response = Client().get("/registry", {"q": "acme"})
    assert response.status_code == 422
    assert TOO_BROAD["detail"] in response.content.decode()
    assert "certificate found" not in response.content.decode()


@only_postgresql
def test_the_time_limit_ends_with_the_search(granted: Certificate, settings: Any, slow_search: None) -> None:
    Client().get(API, {"q": "acme"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.05), current_setting('statement_timeout')")
        assert cursor.fetchone()[1] != "10ms"


@only_postgresql
def test_a_search_within_the_limit_answers(granted: Certificate, settings: Any) -> None:
    settings.REGISTRY_SEARCH_TIMEOUT_MS = 2000
    slow, fast = both(settings, API, q="acme")
    assert slow.status_code == fast.status_code == 200
    assert fast.content == slow.content
    assert slow.json()["count"] == 1


@contextmanager
def _always_too_broad() -> Iterator[None]:
    raise selectors.SearchTooBroad
    yield  # pragma: no cover


def test_a_too_broad_search_answers_the_same_on_every_path(
    granted: Certificate, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "search_time_limit", _always_too_broad)
    assert_too_broad(*both(settings, API, q="acme"))
    page = Client().get("/registry", {"q": "acme"})
    assert page.status_code == 422
    assert TOO_BROAD["detail"] in page.content.decode()


def test_the_registry_page_without_a_search_runs_no_search(
    granted: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "search_time_limit", _always_too_broad)
    assert Client().get("/registry").status_code == 200
