"""Audit-time tables loaded from ``conformo/domain/data/*.json``; each file cites its source.

A table maps inclusive bands of effective personnel to initial audit time (stage 1 + stage 2) in days,
per column (a single ``days`` column, or complexity categories). The loader checks the shape: bands start
at 1, are contiguous and each column never decreases.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

from conformo.domain.errors import InvalidInput

SINGLE_COLUMN = "days"


@dataclass(frozen=True, slots=True)
class Band:
    """Personnel ``low``..``high`` (inclusive) -> days per column."""

    low: int
    high: int
    days: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class TableSource:
    document: str
    clause: str
    where_read: tuple[str, ...]
    confidence: str


@dataclass(frozen=True, slots=True)
class AuditTimeTable:
    """One audit-time table (e.g. IAF MD 5 Table QMS 1) as read from its data file."""

    id: str
    title: str
    standards: tuple[str, ...]
    source: TableSource
    columns: tuple[str, ...]
    case_by_case_columns: tuple[str, ...]
    bands: tuple[Band, ...]

    @property
    def has_complexity(self) -> bool:
        """True when the table has complexity columns (EMS, OH&S) rather than a single ``days`` column."""
        return self.columns != (SINGLE_COLUMN,)

    @property
    def max_personnel(self) -> int:
        """The upper end of the last band (10,700 in every table)."""
        return self.bands[-1].high

    def band_for(self, persons: int) -> Band:
        """The band holding ``persons`` (1 <= persons <= ``max_personnel``)."""
        if persons < 1 or persons > self.max_personnel:
            raise InvalidInput(f"{persons} persons is outside table {self.id} (1 to {self.max_personnel})")
        for band in self.bands:
            if persons <= band.high:
                return band
        raise AssertionError("unreachable: bands are contiguous")  # pragma: no cover


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"expected a number, got {value!r}")
    return Decimal(value)


def _parse(raw: dict[str, Any]) -> AuditTimeTable:
    columns = tuple(cast(list[str], raw["columns"]))
    bands: list[Band] = []
    for row in cast(list[dict[str, Any]], raw["bands"]):
        low, high = int(row["min"]), int(row["max"])
        days = MappingProxyType({column: _decimal(row[column]) for column in columns})
        bands.append(Band(low=low, high=high, days=days))
    source = cast(dict[str, Any], raw["source"])
    table = AuditTimeTable(
        id=str(raw["id"]),
        title=str(raw["title"]),
        standards=tuple(cast(list[str], raw["standards"])),
        source=TableSource(
            document=str(source["document"]),
            clause=str(source["clause"]),
            where_read=tuple(cast(list[str], source["where_read"])),
            confidence=str(source["confidence"]),
        ),
        columns=columns,
        case_by_case_columns=tuple(cast(list[str], raw["case_by_case_columns"])),
        bands=tuple(bands),
    )
    _check(table)
    return table


def _check(table: AuditTimeTable) -> None:
    if not table.bands or table.bands[0].low != 1:
        raise ValueError(f"table {table.id}: the first band must start at 1 person")
    for before, after in zip(table.bands, table.bands[1:], strict=False):
        if after.low != before.high + 1:
            raise ValueError(f"table {table.id}: band {after.low}-{after.high} does not follow {before.high}")
        for column in table.columns:
            if after.days[column] < before.days[column]:
                raise ValueError(f"table {table.id}: column {column} decreases at {after.low}")
    for band in table.bands:
        if band.high < band.low:
            raise ValueError(f"table {table.id}: empty band {band.low}-{band.high}")


TABLE_FILES = (
    "iaf_md5_qms_1.json",
    "iaf_md5_ems_1.json",
    "iaf_md5_ohsms_1.json",
    "iso_iec_27006_1_c1.json",
)


@cache
def load_tables() -> Mapping[str, AuditTimeTable]:
    """All audit-time tables, by standard id (``iso-9001-2015`` -> IAF MD 5 Table QMS 1, ...)."""
    by_standard: dict[str, AuditTimeTable] = {}
    data = resources.files("conformo.domain").joinpath("data")
    for name in TABLE_FILES:
        raw = json.loads(data.joinpath(name).read_text(encoding="utf-8"), parse_float=Decimal)
        table = _parse(raw)
        for standard in table.standards:
            by_standard[standard] = table
    return MappingProxyType(by_standard)
