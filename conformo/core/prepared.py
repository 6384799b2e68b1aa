"""The one mechanism for the few queries that carry load: an ORM queryset compiled once, run prepared.

Building and compiling a Django queryset costs more than running a simple indexed query (0.3–0.4 ms for the
registry's name search, which PostgreSQL answers in well under a millisecond; docs/performance.md). So:

- A hot queryset is written as usual, with a `Placeholder` (an ordinary query expression that compiles to one
  bound parameter) wherever a value changes between requests. `statement(queryset)` compiles it to SQL once;
  the caller keeps the `Statement` per shape (and per database vendor) and binds each request's values.
- `fetch_rows` runs the SQL. On PostgreSQL it is a server-side prepared statement (parsed and planned once per
  connection, with a generic plan: `plan_cache_mode = force_generic_plan` in the connection's options).

Everything else uses ordinary querysets on Django's cursors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, Field, QuerySet


class Placeholder(Expression):
    """A named value of a compiled queryset: compiles to one `%s` parameter that `Statement.bind` fills."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [self]


@dataclass(frozen=True)
class Statement:
    """The SQL of a compiled queryset, its parameters, and where each `Placeholder` stands among them."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        """The parameters with each placeholder's value from `values` (as the database takes it: a date
        through `connection.ops.adapt_datefield_value`, for instance)."""
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        return params


def statement(queryset: QuerySet[Any, Any]) -> Statement:
    """Compile `queryset` (Django's own SQL and parameters, for the default database) once."""
    sql, params = queryset.query.sql_with_params()
    slots = tuple((index, param.name) for index, param in enumerate(params) if isinstance(param, Placeholder))
    return Statement(sql, tuple(params), slots)


def _postgresql_rows(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    import psycopg
    from psycopg.types.numeric import Int8

    # Integers as bigint whatever their size: psycopg would otherwise bind 5 as smallint and 50,000 as integer,
    # and prepare one statement per combination of widths.
    bound = [Int8(p) if type(p) is int else p for p in params]
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, bound, prepare=True)  # type: ignore[arg-type]
        return cursor.fetchall()


def fetch_rows(sql: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
    """The rows of a read-only statement on a hot path (`%s` placeholders, as for Django's cursors).

    On PostgreSQL the statement is prepared on the server the first time a connection runs it and afterwards
    only executed with new parameters: no parsing, and no planning with the settings' `plan_cache_mode =
    force_generic_plan` (the planner would otherwise keep planning an index search whose generic estimate
    looks costlier). It runs on the persistent connection without
    the health-check query Django sends before a request's first statement (`CONN_HEALTH_CHECKS`): a
    connection found broken is reopened and the statement run once more, outside a transaction. Errors are
    Django's database errors. Elsewhere (SQLite), and while queries are being logged or wrapped (DEBUG, a
    test counting queries), it runs on Django's cursor."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.execute_wrappers or connection.queries_logged:
        # SQLite, or someone watching the queries (a test counting them, DEBUG's log): Django's cursor.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    from django.db import InterfaceError, OperationalError

    connection.ensure_connection()
    try:
        with connection.wrap_database_errors:
            return _postgresql_rows(connection, sql, params)
    except (OperationalError, InterfaceError):
        broken = connection.connection is not None and connection.connection.closed
        if connection.in_atomic_block or not connection.get_autocommit() or not broken:
            raise
    connection.close()  # the server closed it (restart, idle timeout): open a new one, once
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return _postgresql_rows(connection, sql, params)
