"""Searches too broad to answer cheaply are a 422 with a clear message — the same on the fast path, the normal
path and the /registry page: a name search matching more than REGISTRY_SEARCH_MAX_MATCHES certificates, and
(PostgreSQL) a browse without words past REGISTRY_SEARCH_TIMEOUT_MS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test import Client

from conformo.certificates.models import Certificate
from conformo.registry import selectors
from conformo.registry.tests.test_search import holder

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certificates"
FAST_PATH = "conformo.registry.fastpath.RegistryFastPathMiddleware"
TOO_BROAD = {"detail": "This search matches too many certificates; add a word or a filter.", "code": "search_too_broad"}
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's; SQLite has no time limit"
)


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> Iterator[None]:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "0"
    selectors._statistics.clear()
    yield
    selectors._statistics.clear()


def statistics_saying(monkeypatch: pytest.MonkeyPatch, shares: dict[str, float], rows: float) -> None:
    """ANALYZE's statistics as `shares` of `rows` (the rarest listed share bounds every other word)."""
    monkeypatch.setattr(selectors, "_lexeme_statistics", lambda: (shares, min(shares.values()), rows))


@pytest.fixture
def three_acmes(granted: Certificate) -> list[Certificate]:
    """Three public certificates whose holder names start with "Acme"."""
    return [granted, holder(granted, "ACM-2", "Acme Foods Ltd"), holder(granted, "ACM-3", "Acme Tools AG")]


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


def test_a_name_search_matching_more_than_the_maximum_is_a_422_on_every_path(
    three_acmes: list[Certificate], settings: Any
) -> None:
    settings.REGISTRY_SEARCH_MAX_MATCHES = 2
    assert_too_broad(*both(settings, API, q="acme"))
    assert_too_broad(*both(settings, API, q="acme", page="2", page_size="1"))
    assert_too_broad(*both(settings, API, q="acme", page="9"))  # past the end: still too broad
    page = Client().get("/registry", {"q": "acme"})
    assert page.status_code == 422
    assert TOO_BROAD["detail"] in page.content.decode()
    assert "certificates found" not in page.content.decode()


def test_a_name_search_matching_exactly_the_maximum_answers(three_acmes: list[Certificate], settings: Any) -> None:
    settings.REGISTRY_SEARCH_MAX_MATCHES = 3
    slow, fast = both(settings, API, q="acme", page_size="2")
    assert slow.status_code == fast.status_code == 200
    assert fast.content == slow.content
    assert slow.json()["count"] == 3
    assert [r["holder"]["name"] for r in slow.json()["items"]] == ["Acme Foods Ltd", three_acmes[0].holder_name]
    past_the_end = both(settings, API, q="acme", page="5")
    assert [r.json() for r in past_the_end] == [{"items": [], "count": 3}] * 2
    for asked in ("99999999999999999999999", "-1", "x"):
        assert Client().get("/registry", {"q": "acme", "page": asked}).status_code == 200
    page = Client().get("/registry", {"q": "acme", "page": "7"})  # the last page
    assert page.status_code == 200
    assert "3 certificates found" in page.content.decode()
    assert "Page 1 of 1" not in page.content.decode()  # one page: no pager
    assert "Acme Tools AG" in page.content.decode()


def test_the_maximum_counts_the_matches_not_the_browse(three_acmes: list[Certificate], settings: Any) -> None:
    settings.REGISTRY_SEARCH_MAX_MATCHES = 1
    slow, fast = both(settings, API, country="DE")
    assert slow.status_code == fast.status_code == 200
    assert slow.json()["count"] == 3
    assert Client().get(API, {"q": "foods"}).json()["count"] == 1


@pytest.fixture
def slow_browse(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every row a browse looks at costs 50 ms; the limit is 10 ms."""
    settings.REGISTRY_SEARCH_TIMEOUT_MS = 10
    original = selectors._search_rows

    def sleeping(*args: Any, **kwargs: Any) -> Any:
        sleep = RawSQL("(SELECT true FROM pg_sleep(0.05))", [], BooleanField())
        return original(*args, **kwargs).filter(sleep)

    monkeypatch.setattr(selectors, "_search_rows", sleeping)
    selectors._page_statement.cache_clear()
    yield
    selectors._page_statement.cache_clear()


@only_postgresql
def test_a_browse_past_the_time_limit_is_a_422_on_every_path(
    three_acmes: list[Certificate], settings: Any, slow_browse: None
) -> None:
    assert_too_broad(*both(settings, API, country="DE"))
    assert_too_broad(*both(settings, API, status="active", page="2", page_size="1"))
    page = Client().get("/registry", {"country": "DE"})
    assert page.status_code == 422
    assert TOO_BROAD["detail"] in page.content.decode()


@only_postgresql
def test_the_time_limit_ends_with_the_browse(three_acmes: list[Certificate], settings: Any, slow_browse: None) -> None:
    Client().get(API, {"country": "DE"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] != "10ms"


@only_postgresql
def test_a_name_search_of_rare_words_runs_without_the_time_limit(
    three_acmes: list[Certificate], settings: Any, slow_browse: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    statistics_saying(monkeypatch, {"gmbh": 0.2, "ag": 0.1}, rows=1_000_000)  # "acme", "tools": rarer than 10 %
    settings.REGISTRY_SEARCH_MAX_MATCHES = 200_000
    slow, fast = both(settings, API, q="acme tools")  # one match: 50 ms, past the 10 ms limit
    assert slow.status_code == fast.status_code == 200
    assert slow.json()["count"] == 1


@only_postgresql
def test_a_name_search_of_common_words_runs_within_the_time_limit(
    three_acmes: list[Certificate], settings: Any, slow_browse: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    statistics_saying(monkeypatch, {"acme": 0.3, "tools": 0.2, "ag": 0.1}, rows=1_000_000)
    settings.REGISTRY_SEARCH_MAX_MATCHES = 5000  # every word: more than 5000 rows by the statistics
    assert_too_broad(*both(settings, API, q="acme tools"))
    page = Client().get("/registry", {"q": "acme tools"})
    assert page.status_code == 422


@only_postgresql
def test_without_statistics_every_name_search_runs_within_the_time_limit(
    three_acmes: list[Certificate], settings: Any, slow_browse: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "_lexeme_statistics", lambda: None)
    assert_too_broad(*both(settings, API, q="acme tools"))


@only_postgresql
def test_a_broad_search_gets_the_time_limit_and_the_memory_for_an_exact_bitmap(db: Any, settings: Any) -> None:
    settings.REGISTRY_SEARCH_TIMEOUT_MS = 1500
    # (Inside the test's transaction the blocks are savepoints, whose SET LOCAL outlives them: browse first.)
    with selectors.search_time_limit(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('work_mem')")
        assert cursor.fetchone()[1] != selectors.BROAD_SEARCH_WORK_MEM
    with selectors.search_time_limit(broad=True), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('work_mem')")
        assert cursor.fetchone() == ("1500ms", selectors.BROAD_SEARCH_WORK_MEM)


@only_postgresql
def test_the_statistics_come_from_analyze(three_acmes: list[Certificate], settings: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Certificate._meta.db_table}")
    statistics = selectors._lexeme_statistics()
    assert statistics is not None
    shares, rarest, rows = statistics
    assert rows == 3
    assert shares["acme"] == 1.0  # every public certificate's holder starts with "Acme"
    assert rarest <= min(shares.values())
    settings.REGISTRY_SEARCH_MAX_MATCHES = 2
    assert selectors._maybe_broad(["acme"])
    settings.REGISTRY_SEARCH_MAX_MATCHES = 5
    assert not selectors._maybe_broad(["acme"])


def test_sqlite_has_no_statistics_and_no_time_limit(db: Any) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("SQLite")
    assert not selectors._maybe_broad(["acme"])


def test_the_registry_page_without_a_search_runs_no_search(
    three_acmes: list[Certificate], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise AssertionError("searched")

    monkeypatch.setattr(selectors, "registry_search_page", refuse)
    assert Client().get("/registry").status_code == 200
