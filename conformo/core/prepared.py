"""ORM queries compiled once and run many times: for the few endpoints that carry load.

Compiling a Django queryset to SQL costs more than running a simple indexed query. `PreparedValues` builds
the `.values()` queryset once per database connection vendor with a placeholder for one parameter, keeps
the SQL and the value converters the ORM would apply, and afterwards only executes. The rows are the dicts
`.values()` would give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Field, QuerySet


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
