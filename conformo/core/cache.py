"""A database cache whose counters are safe to share between processes (the registry's rate limit).

Django's `DatabaseCache` increments by reading the value and writing it back, so two workers counting at
the same moment can lose a count; it also counts the whole table before every write. `CounterDatabaseCache`
keeps its table and every other behaviour, and changes two operations:

- `incr` (and so `decr`) reads and rewrites the row inside one transaction that holds the row's lock
  (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write transactions already run one at a time), so
  concurrent increments never overwrite each other;
- `add` is one `INSERT ... ON CONFLICT` statement (it replaces only an expired entry), and expired entries
  are removed on about one write in `CULL_EVERY` instead of counting the table on each write.

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


class CounterDatabaseCache(DatabaseCache):
    """`DatabaseCache` with atomic `incr`/`decr` and a one-statement `add` (module docstring)."""

    _table: str

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _expiry(self, timeout: float | None) -> datetime:
        seconds = self.get_backend_timeout(timeout)
        expires = datetime.max.replace(tzinfo=UTC) if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
        return expires.replace(microsecond=0)

    def add(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        now = tz_now().replace(microsecond=0)
        with connection.cursor() as cursor:
            if random.randrange(CULL_EVERY) == 0:  # noqa: S311 - a sampling rate, not a secret
                cursor.execute(
                    f"DELETE FROM {table} WHERE {quote('expires')} < %s",  # noqa: S608
                    [connection.ops.adapt_datetimefield_value(now)],
                )
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE "
                f"SET {quote('value')} = excluded.{quote('value')}, {quote('expires')} = excluded.{quote('expires')} "
                f"WHERE {table}.{quote('expires')} < %s",
                [
                    key,
                    self._encode(value),
                    connection.ops.adapt_datetimefield_value(self._expiry(timeout)),
                    connection.ops.adapt_datetimefield_value(now),
                ],
            )
            return bool(cursor.rowcount)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608
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
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode(), validate=True))  # noqa: S301 - our own table
            value += delta
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608
                [self._encode(value), key],
            )
        return int(value)
