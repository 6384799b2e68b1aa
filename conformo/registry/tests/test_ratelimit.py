"""The registry's rate limit: shared by processes through the database cache, over a sliding window."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from conformo.core.cache import CounterDatabaseCache
from conformo.registry.ratelimit import CACHE_ALIAS, count_request

pytestmark = pytest.mark.django_db
T0 = 1_800_000_000.0  # a whole number of minutes: a window edge for any window that divides an hour


def two_processes() -> tuple[CounterDatabaseCache, CounterDatabaseCache]:
    """Two cache clients of the same table, as two workers (or two servers) each hold one."""
    table = caches[CACHE_ALIAS]._table  # type: ignore[attr-defined]
    return CounterDatabaseCache(table, {}), CounterDatabaseCache(table, {})


def most_in_any_window(times: list[float], window: float) -> int:
    ordered = sorted(times)
    return max((sum(1 for u in ordered if t - window < u <= t) for t in ordered), default=0)


def test_migrate_creates_the_shared_cache_table() -> None:
    assert caches[CACHE_ALIAS]._table in connection.introspection.table_names()  # type: ignore[attr-defined]


def test_two_processes_share_one_count() -> None:
    first, second = two_processes()
    answers = [count_request([first, second][i % 2], "10.0.0.1", 4, 60, T0 + i) for i in range(6)]
    assert answers[:4] == [None] * 4
    assert all(isinstance(wait, int) and 1 <= wait <= 66 for wait in answers[4:])


def test_a_burst_at_a_windows_edge_gets_no_more_than_the_limit() -> None:
    first, second = two_processes()
    before = [count_request(first, "10.0.0.2", 10, 60, T0 - 0.1) for _ in range(10)]
    after = [count_request(second, "10.0.0.2", 10, 60, T0 + 0.1) for _ in range(10)]
    assert before == [None] * 10
    assert None not in after


def test_a_steady_client_on_two_processes_never_exceeds_the_limit_in_any_window() -> None:
    first, second = two_processes()
    allowed = []
    for i in range(600):  # one request every 0.3 s for three minutes, alternately to each process
        now = T0 - 45 + i * 0.3
        if count_request([first, second][i % 2], "10.0.0.3", 20, 60, now) is None:
            allowed.append(now)
    assert most_in_any_window(allowed, 60) <= 20
    # The conservative slot count costs at most one slot (6 s) of the window: ≥ 20 per 66 s get through.
    assert len(allowed) >= 20 * (180 // 66)


def test_a_refused_request_does_not_count_and_retry_after_is_when_the_client_is_let_in() -> None:
    store = caches[CACHE_ALIAS]
    assert all(count_request(store, "10.0.0.4", 3, 60, T0 + 1) is None for _ in range(3))
    waits = [count_request(store, "10.0.0.4", 3, 60, T0 + 30) for _ in range(5)]
    assert waits == [waits[0]] * 5
    assert waits[0] is not None
    assert count_request(store, "10.0.0.4", 3, 60, T0 + 30 + waits[0] - 1) is not None
    assert count_request(store, "10.0.0.4", 3, 60, T0 + 30 + waits[0]) is None


def test_clients_are_counted_apart() -> None:
    store = caches[CACHE_ALIAS]
    assert count_request(store, "10.0.0.5", 1, 60, T0) is None
    assert count_request(store, "10.0.0.5", 1, 60, T0) is not None
    assert count_request(store, "10.0.0.6", 1, 60, T0) is None


def test_two_clients_of_the_cache_add_and_increment_one_counter() -> None:
    first, second = two_processes()
    assert first.add("k", 1, timeout=60)
    assert not second.add("k", 1, timeout=60)
    assert second.incr("k") == 2
    assert first.incr("k", 3) == 5
    assert second.decr("k") == 4
    assert first.get_many(["k", "missing"]) == {"k": 4}
    with pytest.raises(ValueError, match="not found"):
        first.incr("missing")


def test_the_cache_keeps_djangos_behaviour_for_other_values() -> None:
    store = caches[CACHE_ALIAS]
    store.set("pickled", 5, timeout=60)  # Django's own set: a pickle
    assert store.incr("pickled") == 6
    store.set("text", {"a": [1, "i:2"]}, timeout=60)
    assert store.get("text") == {"a": [1, "i:2"]}
    assert store.add("expired", 1, timeout=-1)
    assert store.get("expired") is None
    assert store.add("expired", 7, timeout=60)  # an expired entry is replaced
    assert store.get("expired") == 7
    with pytest.raises(ValueError, match="not found"):
        store.incr("expired-again") if store.add("expired-again", 1, timeout=-1) else None


def test_counting_a_request_costs_one_statement_on_postgresql_two_on_sqlite(django_assert_num_queries: Any) -> None:
    store = caches[CACHE_ALIAS]
    count_request(store, "10.0.0.7", 100, 60, T0)
    # One atomic increment and one sum of the window's slots; PostgreSQL runs both as one statement.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert count_request(store, "10.0.0.7", 100, 60, T0) is None


def test_any_cache_with_atomic_increments_works_too() -> None:
    first, second = LocMemCache("shared-test", {}), LocMemCache("shared-test", {})  # one memory, two clients
    before = [count_request(first, "10.0.0.8", 5, 60, T0 - 0.1) for _ in range(5)]
    after = [count_request(second, "10.0.0.8", 5, 60, T0 + 0.1) for _ in range(5)]
    assert before == [None] * 5
    assert None not in after
    assert after[0] == 60  # their slot (from T0 - 6 s) leaves the counted span at T0 + 60 s


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_from_many_connections_lose_no_count() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    store = caches[CACHE_ALIAS]
    assert store.add("shared", 0, timeout=60)

    def work(_: int) -> None:
        try:
            for _ in range(50):
                CounterDatabaseCache(store._table, {}).incr("shared")  # type: ignore[attr-defined]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    assert store.get("shared") == 200
