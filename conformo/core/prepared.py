"""The one mechanism for the few queries that carry load: an ORM queryset compiled once, run prepared.

Building and compiling a Django queryset costs more than running a simple indexed query: 0.3–0.4 ms for the
registry's name search and 0.5–1 ms for the API token look-up and the assessment detail, against 40 µs to run
each compiled (docs/performance.md, measured). So, for those hot reads only:

- The queryset is written as usual (`.values(...)`), with a `Placeholder` — an ordinary query expression that
  compiles to one bound parameter — wherever a value changes between calls.
- `Compiled(build)` compiles `build()` to SQL once per database vendor and keeps the value converters the ORM
  would apply; `rows(values)` / `first(values)` then only bind the values (through each placeholder's field,
  as the ORM would prepare them), execute, and give the dicts `.values()` would give.
- `fetch_rows` runs the SQL. On PostgreSQL it is a server-side prepared statement (parsed and planned once per
  connection, with a generic plan: `plan_cache_mode = force_generic_plan` in the connection's options).

Everything else uses ordinary querysets (Django binds their parameters client-side and never prepares them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, Field, QuerySet


class Placeholder(Expression):
    """A named value of a compiled queryset: compiles to one `%s` parameter that `Statement.bind` fills."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "%s", (self,)


@dataclass(frozen=True)
class Statement:
    """A `.values()` queryset compiled for one database: its SQL, its parameters, where each placeholder
    stands among them, the names of its columns and the ORM's converters of each column."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, Placeholder], ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]

    def bind(self, values: Mapping[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        """The parameters, each placeholder's value from `values` prepared by its field for the database."""
        connection = connections[using]
        params = list(self.params)
        for index, placeholder in self.slots:
            params[index] = placeholder.output_field.get_db_prep_value(
                values[placeholder.name], connection, prepared=False
            )
        return params

    def convert(self, row: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
        """A fetched row as `.values()` gives it."""
        connection = connections[using]
        values = list(row)
        for index, funcs, expression in self.converters:
            for func in funcs:
                values[index] = func(values[index], expression, connection)
        return dict(zip(self.names, values, strict=True))


def statement(queryset: QuerySet[Any, Any], *, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """Compile a `.values()` queryset once (Django's own SQL, parameters and converters)."""
    query = queryset.query
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    slots = tuple((index, param) for index, param in enumerate(params) if isinstance(param, Placeholder))
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    converters = tuple(
        (index, tuple(funcs), expression)
        for index, (funcs, expression) in compiler.get_converters([column[0] for column in compiler.select]).items()
    )
    return Statement(sql, tuple(params), slots, names, converters)


class Compiled:
    """`build()` — a `.values()` queryset with Placeholders — compiled once per database vendor."""

    def __init__(self, build: Callable[[], QuerySet[Any, Any]]) -> None:
        self.build = build
        self._statements: dict[str, Statement] = {}

    def statement(self, *, using: str = DEFAULT_DB_ALIAS) -> Statement:
        vendor = connections[using].vendor
        found = self._statements.get(vendor)
        if found is None:
            found = self._statements[vendor] = statement(self.build(), using=using)
        return found

    def rows(self, values: Mapping[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> list[dict[str, Any]]:
        """The rows for `values`, as `.values()` gives them."""
        compiled = self.statement(using=using)
        found = fetch_rows(compiled.sql, compiled.bind(values, using=using), using=using)
        return [compiled.convert(row, using=using) for row in found]

    def first(self, values: Mapping[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any] | None:
        """The first row for `values` (the queryset should order or be unique), or None."""
        found = self.rows(values, using=using)
        return found[0] if found else None


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
