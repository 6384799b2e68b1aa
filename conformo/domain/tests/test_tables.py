"""Every band edge of every audit-time table, checked against the tables as printed in cb-rules.md
(sections 2.1 and 3), an independent transcription from the JSON the data files were built from."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest

from conformo.domain.audit_time import AuditTimeRequest, compute_audit_time
from conformo.domain.tables import TABLE_FILES, load_tables

MD5_BANDS = [
    (1, 5), (6, 10), (11, 15), (16, 25), (26, 45), (46, 65), (66, 85), (86, 125), (126, 175), (176, 275),
    (276, 425), (426, 625), (626, 875), (876, 1175), (1176, 1550), (1551, 2025), (2026, 2675), (2676, 3450),
    (3451, 4350), (4351, 5450), (5451, 6800), (6801, 8500), (8501, 10700),
]  # fmt: skip
ISMS_BANDS = [(1, 10), *MD5_BANDS[2:]]

EXPECTED = {
    ("iso-9001-2015", None): "1.5 2 2.5 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22",
    ("iso-14001-2015", "high"): "3 3.5 4.5 5.5 7 8 9 11 12 13 15 16 17 19 20 21 23 25 27 28 30 32 34",
    ("iso-14001-2015", "medium"): "2.5 3 3.5 4.5 5.5 6 7 8 9 10 11 12 13 15 16 17 18 19 20 21 23 25 27",
    ("iso-14001-2015", "low"): "2.5 3 3 3.5 4 4.5 5 5.5 6 7 8 9 10 11 12 12 13 14 15 16 17 19 20",
    ("iso-14001-2015", "limited"): "2.5 3 3 3 3 3.5 3.5 4 4.5 5 5.5 6 6.5 7 7.5 8 8.5 9 10 11 12 13 14",
    ("iso-45001-2018", "high"): "3 3.5 4.5 5.5 7 8 9 11 12 13 15 16 17 19 20 21 23 25 27 28 30 32 34",
    ("iso-45001-2018", "medium"): "2.5 3 3.5 4.5 5.5 6 7 8 9 10 11 12 13 15 16 17 18 19 20 21 23 25 27",
    ("iso-45001-2018", "low"): "2.5 3 3 3.5 4 4.5 5 5.5 6 7 8 9 10 11 12 12 13 14 15 16 17 19 20",
    ("iso-iec-27001-2022", None): "5 6 7 8.5 10 11 12 13 14 15 16.5 17.5 18.5 19.5 21 22 23 24 25 26 27 28",
}


def _edges() -> list[tuple[str, str | None, int, Decimal]]:
    cases = []
    for (standard, complexity), values in EXPECTED.items():
        bands = ISMS_BANDS if standard == "iso-iec-27001-2022" else MD5_BANDS
        days = [Decimal(v) for v in values.split()]
        assert len(days) == len(bands)
        for (low, high), value in zip(bands, days, strict=True):
            cases.append((standard, complexity, low, value))
            cases.append((standard, complexity, high, value))
    return cases


@pytest.mark.parametrize(("standard", "complexity", "persons", "days"), _edges())
def test_every_band_edge_gives_the_published_value(
    standard: str, complexity: str | None, persons: int, days: Decimal
) -> None:
    result = compute_audit_time(AuditTimeRequest((standard,), Decimal(persons), complexity))
    assert result.standards[0].table_days == days


def test_the_qms_table_starts_at_one_and_a_half_days_and_steps_at_six_persons() -> None:
    assert compute_audit_time(AuditTimeRequest(("iso-9001-2015",), Decimal(5))).initial_days == Decimal("1.5")
    assert compute_audit_time(AuditTimeRequest(("iso-9001-2015",), Decimal(6))).initial_days == Decimal(2)


def test_the_disputed_ems_limited_cell_uses_the_majority_value() -> None:
    request = AuditTimeRequest(("iso-14001-2015",), Decimal(700), "limited")
    assert compute_audit_time(request).standards[0].table_days == Decimal("6.5")


@pytest.mark.parametrize("name", TABLE_FILES)
def test_each_data_file_cites_document_clause_where_read_and_confidence(name: str) -> None:
    data = resources.files("conformo.domain").joinpath("data", name).read_text(encoding="utf-8")
    source = json.loads(data)["source"]
    for key in ("document", "clause", "where_read", "confidence"):
        assert source[key], f"{name} lacks source.{key}"


def test_tables_cover_the_four_supported_standards_up_to_10700_persons() -> None:
    tables = load_tables()
    assert set(tables) == {"iso-9001-2015", "iso-14001-2015", "iso-45001-2018", "iso-iec-27001-2022"}
    assert {table.max_personnel for table in tables.values()} == {10700}
    assert tables["iso-14001-2015"].case_by_case_columns == ("special",)
