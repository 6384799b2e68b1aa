"""ORM queries compiled once and run many times: for the few endpoints that carry load.

Compiling a Django queryset to SQL costs more than running a simple indexed query. `PreparedValues` builds
the `.values()` queryset once per database connection vendor with a placeholder for one parameter, keeps
the SQL and the value converters the ORM would apply, and afterwards only executes. The rows are the dicts
`.values()` would give.

`fetch_rows` runs such a statement as a server-side prepared statement on PostgreSQL (parsed and planned once
per connection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, QuerySet


def _postgresql_rows(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    import psycopg
    from psycopg.types.numeric import Int8

    # Integers as bigint whatever their size: psycopg would otherwise bind 5 as smallint and 50,000 as integer,
    # and prepare one statement per combination of widths.
    bound = [Int8(p) if type(p) is int else p for p in params]
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, bound, prepare=True)
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


class PreparedValues:
    """`build(placeholder)` returns a `.values()` queryset filtering `field` on `placeholder`."""

    def __init__(self, build: Callable[[Any], QuerySet[Any]], *, field: Field[Any, Any], placeholder: Any) -> None:
        self.build = build
        self.field = field
        self.placeholder = placeholder
        self._compiled: dict[str, tuple[str, list[Any], int, list[str], list[tuple[Any, Any]]]] = {}

    def _compile(self, using: str) -> tuple[str, list[Any], int, list[str], list[tuple[Any, Any]]]:
        connection = connections[using]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            queryset = self.build(self.placeholder)
            query = queryset.query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            marker = self.field.get_db_prep_value(self.placeholder, connection, prepared=False)
            positions = [i for i, param in enumerate(params) if param == marker]
            if len(positions) != 1:
                raise ValueError("The placeholder must appear exactly once among the query's parameters.")
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            converters = list(compiler.get_converters([column[0] for column in compiler.select]).items())
            compiled = (sql, list(params), positions[0], names, converters)
            self._compiled[connection.vendor] = compiled
        return compiled

    def first(self, value: Any, *, using: str = "default") -> dict[str, Any] | None:
        """The first row for `value`, or None."""
        connection = connections[using]
        sql, params, position, names, converters = self._compile(using)
        params = list(params)
        params[position] = self.field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, (funcs, expression) in converters:
            for func in funcs:
                values[index] = func(values[index], expression, connection)
        return dict(zip(names, values, strict=True))
