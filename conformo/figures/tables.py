"""The shape every figure takes: tables of rows (plain values, keys as stored) with their columns, and the bars
of its chart. The page, the CSV and XLSX downloads and the API all read the same `Figure`, so they give the same
numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from conformo.core.labels import human_label

# A label does not change while the process runs: one look-up per (key, field), not one per cell of a long table.
_label = lru_cache(maxsize=4096)(human_label)


@dataclass(frozen=True)
class Column:
    """A column: its key in the rows, its heading, and how a value reads (`label`: a stored key shown in
    words through `core.labels`, with the choices of `field`; `text`, `number`, `date`: as they are)."""

    key: str
    title: str
    kind: str = "text"
    field: str = ""

    def words(self, value: Any) -> Any:
        """The value as a person reads it (pages and downloads): a key in words, nothing as an empty cell."""
        if value is None:
            return ""
        if self.kind == "label":
            return _label(str(value), self.field)
        return value


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    note: str = ""

    def cells(self) -> list[list[Any]]:
        """The rows in words, column by column."""
        return [[column.words(row.get(column.key)) for column in self.columns] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """One figure group: its tables, and the bars (label, value) of its chart with their unit."""

    slug: str
    title: str
    tables: list[Table]
    bars: list[tuple[str, Any]] = field(default_factory=list)
    chart_title: str = ""
    unit: str = ""
    #: Figures beside the tables (the audit days' totals, each audit counted once).
    totals: dict[str, Any] = field(default_factory=dict)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def sum_by(rows: list[dict[str, Any]], key: str, value: str, words: Column) -> list[tuple[str, Any]]:
    """Bars for a chart: `value` added up per `key` over rows the database already grouped (a handful)."""
    totals: dict[Any, Any] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + (row[value] or 0)
    return [(str(words.words(name)), total) for name, total in totals.items()]


def plain(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a `values()` query as plain dictionaries, to rename and add keys."""
    return [dict(row) for row in rows]
