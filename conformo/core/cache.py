"""A database cache whose counters are safe to share between processes (the registry's rate limit).

Django's `DatabaseCache` increments by reading the value and writing it back, so two workers counting at
the same moment can lose a count; it also counts the whole table before every write. `CounterDatabaseCache`
keeps its table and every other behaviour, and changes three operations:

- a whole number is stored as text (`i:42`, never a valid pickle in base64, which has no `:`), so `incr` is one
  `UPDATE ... SET value = value + n ... RETURNING` statement: atomic on SQLite and PostgreSQL alike, with no
  transaction around it. A value stored by Django's own `set` (a pickle) is incremented in a transaction that
  holds the row's lock (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's writes run one at a time);
- `add` is one `INSERT ... ON CONFLICT` statement (it replaces only an expired entry), and expired entries are
  removed on about one `add` in `CULL_EVERY`, instead of counting the table on each write;
- `get_many` reads both forms;
- `incr_and_sum(key, others)`, for the rate limit, increments one counter and sums others: one statement on
  PostgreSQL (one round trip per counted request), two on SQLite (in-process, no round trip).

The table is created by the migration `core.0002_cache_table` (Django's `createcachetable`).
"""

from __future__ import annotations

import base64
import pickle
import random
from datetime import UTC, datetime
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

CULL_EVERY = 200
INTEGER = "i:"


class CounterDatabaseCache(DatabaseCache):
    """`DatabaseCache` with one-statement atomic `incr`/`decr` and `add` (module docstring)."""

    _table: str

    def _encode(self, value: Any) -> str:
        if type(value) is int:
            return f"{INTEGER}{value}"
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    @staticmethod
    def _decode(text: str) -> Any:
        if text.startswith(INTEGER):
            return int(text[len(INTEGER) :])
        return pickle.loads(base64.b64decode(text.encode(), validate=True))  # noqa: S301 - our own table

    def _expiry(self, timeout: float | None) -> datetime:
        seconds = self.get_backend_timeout(timeout)
        expires = datetime.max.replace(tzinfo=UTC) if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
        return expires.replace(microsecond=0)

    def _connection(self, write: bool) -> tuple[str, Any, Any, str]:
        db = router.db_for_write(self.cache_model_class) if write else router.db_for_read(self.cache_model_class)
        connection = connections[db]
        return db, connection, connection.ops.quote_name, connection.ops.quote_name(self._table)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        _, connection, quote, table = self._connection(write=False)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('cache_key')}, {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608 - quoted names, values bound
                f"WHERE {quote('cache_key')} IN ({', '.join(['%s'] * len(key_map))})",
                list(key_map),
            )
            rows = cursor.fetchall()
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        now = tz_now()
        found: dict[str, Any] = {}
        for key, value, expires in rows:
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires >= now:
                found[key_map[key]] = self._decode(connection.ops.process_clob(value))
        return found

    def add(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        _, connection, quote, table = self._connection(write=True)
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            if random.randrange(CULL_EVERY) == 0:  # noqa: S311 - a sampling rate, not a secret
                cursor.execute(f"DELETE FROM {table} WHERE {quote('expires')} < %s", [now])  # noqa: S608 - quoted names, values bound
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "  # noqa: S608 - quoted names, values bound
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE "
                f"SET {quote('value')} = excluded.{quote('value')}, {quote('expires')} = excluded.{quote('expires')} "
                f"WHERE {table}.{quote('expires')} < %s",
                [key, self._encode(value), connection.ops.adapt_datetimefield_value(self._expiry(timeout)), now],
            )
            return bool(cursor.rowcount)

    def _increment_sql(self, quote: Any, table: str) -> str:
        value, expires = quote("value"), quote("expires")
        return (
            f"UPDATE {table} SET {value} = %s || CAST(CAST(SUBSTR({value}, 3) AS INTEGER) + %s AS TEXT) "  # noqa: S608 - quoted names, values bound
            f"WHERE {quote('cache_key')} = %s AND {expires} >= %s AND {value} LIKE %s RETURNING {value}"
        )

    def _sum_sql(self, quote: Any, table: str, count: int) -> str:
        value = quote("value")
        return (
            f"SELECT COALESCE(SUM(CAST(SUBSTR({value}, 3) AS INTEGER)), 0) FROM {table} "  # noqa: S608 - quoted names, values bound
            f"WHERE {quote('cache_key')} IN ({', '.join(['%s'] * count)}) AND {quote('expires')} >= %s "
            f"AND {value} LIKE %s"
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        _, connection, quote, table = self._connection(write=True)
        now = connection.ops.adapt_datetimefield_value(tz_now())
        with connection.cursor() as cursor:
            cursor.execute(self._increment_sql(quote, table), [INTEGER, int(delta), key, now, f"{INTEGER}%"])
            row = cursor.fetchone()
        if row is not None:
            return int(self._decode(row[0]))
        return self._incr_locked(key, delta)

    def incr_and_sum(
        self, key: str, others: list[str], delta: int = 1, version: int | None = None
    ) -> tuple[int, int] | None:
        """Add `delta` to the whole number at `key` and sum the whole numbers at `others` (missing ones count 0):
        (new value, sum), or None when `key` holds no whole number (missing or expired)."""
        key = self.make_and_validate_key(key, version=version)
        other_keys = [self.make_and_validate_key(other, version=version) for other in others]
        _, connection, quote, table = self._connection(write=True)
        now = connection.ops.adapt_datetimefield_value(tz_now())
        increment = [INTEGER, int(delta), key, now, f"{INTEGER}%"]
        total = [*other_keys, now, f"{INTEGER}%"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and other_keys:
                cursor.execute(
                    f"WITH up AS ({self._increment_sql(quote, table)}) "  # noqa: S608 - quoted names, bound values
                    f"SELECT (SELECT {quote('value')} FROM up), ({self._sum_sql(quote, table, len(other_keys))})",
                    [*increment, *total],
                )
                value, summed = cursor.fetchone()
                return None if value is None else (int(self._decode(value)), int(summed))
            cursor.execute(self._increment_sql(quote, table), increment)
            row = cursor.fetchone()
            if row is None:
                return None
            summed = 0
            if other_keys:
                cursor.execute(self._sum_sql(quote, table, len(other_keys)), total)
                summed = int(cursor.fetchone()[0])
        return int(self._decode(row[0])), summed

    def _incr_locked(self, key: str, delta: int) -> int:
        """`incr` of a value that is missing (ValueError) or not stored as a whole number: read and rewrite it
        under the row's lock."""
        db, connection, quote, table = self._connection(write=True)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608 - quoted names, values bound
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            expires = row[1]
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < tz_now():
                raise ValueError(f"Key '{key}' not found.")
            new = self._decode(connection.ops.process_clob(row[0])) + delta
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608 - quoted names, values bound
                [self._encode(new), key],
            )
        return int(new)
