"""Each figure against the hand-built history of `world.py`, whose answers are known (see its docstring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conformo.core.errors import ValidationFailed
from conformo.figures.filters import figure_filter
from conformo.figures.selectors import figure_for
from conformo.figures.tests.world import TODAY, World

QMS, EMS = "iso-9001-2015", "iso-14001-2015"


def rows(world: World, slug: str, table: str, **filters: Any) -> list[dict[str, Any]]:
    chosen = figure_filter(cb=world.cb, today=TODAY, **{"year": 2025, **filters})
    found = figure_for(slug, chosen, full=True).table(table)
    assert found is not None
    return found.rows


def picked(found: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(row[key] for key in keys) for row in found]


def test_audit_days_fall_in_the_quarter_of_their_last_day(world: World) -> None:
    found = rows(world, "audit-days", "audit_days")
    assert picked(found, "period", "standard", "iaf", "kind", "audits", "days") == [
        ("2025-Q1", QMS, "17", "stage1", 1, Decimal("1.0")),
        ("2025-Q1", QMS, "17", "stage2", 1, Decimal("3.0")),
        ("2025-Q2", EMS, "—", "stage2", 1, Decimal("4.0")),
        ("2025-Q2", QMS, "17", "surveillance1", 1, Decimal("1.5")),
        ("2025-Q2", QMS, "—", "stage2", 1, Decimal("4.0")),
    ]


def test_audit_days_total_counts_an_integrated_audit_once(world: World) -> None:
    chosen = figure_filter(cb=world.cb, today=TODAY, year=2025)
    assert figure_for("audit-days", chosen).totals == {"audits": 4, "days": Decimal("9.5")}


def test_audit_days_by_year_and_month_and_for_one_standard(world: World) -> None:
    by_year = rows(world, "audit-days", "audit_days", period="year", standard=EMS)
    assert picked(by_year, "period", "standard", "days") == [("2025", EMS, Decimal("4.0"))]
    by_month = rows(world, "audit-days", "audit_days", period="month", standard=QMS)
    assert [row["period"] for row in by_month] == ["2025-01", "2025-03", "2025-04", "2025-06"]


def test_a_range_includes_both_its_days(world: World) -> None:
    edge = rows(world, "audit-days", "audit_days", start=date(2024, 12, 31), end=date(2025, 3, 31), period="year")
    assert picked(edge, "period", "kind", "days") == [
        ("2024", "surveillance2", Decimal("2.0")),
        ("2025", "stage1", Decimal("1.0")),
        ("2025", "stage2", Decimal("3.0")),
    ]
    assert rows(world, "audit-days", "audit_days", start=date(2025, 4, 2), end=date(2025, 6, 29)) == []


def test_certificates_are_counted_by_the_status_read_today(world: World) -> None:
    found = rows(world, "certificates", "certificates")
    assert picked(found, "standard", "status", "certificates") == [
        (EMS, "expired", 1),
        (EMS, "withdrawn", 1),
        (QMS, "active", 1),
        (QMS, "expired", 1),
    ]


def test_lead_times_run_from_the_end_of_stage_2_to_the_decision(world: World) -> None:
    found = rows(world, "lead-times", "lead_times")
    assert picked(found, "standard", "kind", "decisions", "median_days", "mean_days", "max_days") == [
        (EMS, "grant", 1, Decimal("10.0"), Decimal("10.0"), 10),
        (QMS, "grant", 2, Decimal("15.0"), Decimal("15.0"), 20),
    ]
    later = rows(world, "lead-times", "lead_times", start=date(2025, 4, 21))
    assert picked(later, "standard", "decisions", "median_days", "max_days") == [
        (EMS, 1, Decimal("10.0"), 10),
        (QMS, 1, Decimal("10.0"), 10),
    ]


def test_nonconformities_per_audit_day_leave_out_withdrawn_findings_and_other_grades(world: World) -> None:
    found = rows(world, "nonconformities", "nonconformities")
    assert picked(found, "standard", "grade", "count", "days", "per_day") == [
        (EMS, "major", 1, Decimal("4.0"), Decimal("0.25")),
        (QMS, "major", 2, Decimal("9.5"), Decimal("0.21")),
        (QMS, "minor", 3, Decimal("9.5"), Decimal("0.32")),
    ]
    assert picked(rows(world, "nonconformities", "nonconformities", standard=EMS), "standard") == [(EMS,)]


def test_overdue_surveillance_leaves_out_ended_certifications(world: World) -> None:
    assert picked(rows(world, "overdue-surveillance", "overdue_counts"), "standard", "kind", "audits") == [
        (QMS, "surveillance2", 1)
    ]
    [audit] = rows(world, "overdue-surveillance", "overdue_list")
    assert (audit["audit_id"], audit["organization"], audit["days_overdue"]) == (
        world.overdue.public_id,
        "Acme Ltd",
        28,
    )
    assert rows(world, "overdue-surveillance", "overdue_counts", standard=EMS) == []


def test_suspensions_and_withdrawals_are_counted_by_reason_in_the_range(world: World) -> None:
    counts = rows(world, "suspensions", "ending_counts")
    assert picked(counts, "standard", "kind", "reason", "decisions") == [
        (EMS, "suspend", "Surveillance not allowed", 1),
        (EMS, "withdraw", "Surveillance not allowed", 1),
    ]
    assert picked(rows(world, "suspensions", "ending_list"), "decided_on", "kind") == [
        (date(2025, 8, 1), "withdraw"),
        (date(2025, 5, 1), "suspend"),
    ]


def test_complaints_and_appeals_give_their_days_to_close(world: World) -> None:
    handling = rows(world, "complaints-appeals", "handling")
    assert picked(handling, "case", "received", "open", "closed", "median_days", "mean_days", "max_days") == [
        ("complaint", 3, 1, 2, Decimal("15.0"), Decimal("15.0"), 20),
        ("appeal", 1, 0, 1, Decimal("30.0"), Decimal("30.0"), 30),
    ]
    assert picked(rows(world, "complaints-appeals", "by_status"), "case", "status", "cases") == [
        ("complaint", "closed", 2),
        ("complaint", "received", 1),
        ("appeal", "upheld", 1),
    ]


def test_auditors_are_counted_by_the_qualifications_valid_on_the_day(world: World) -> None:
    today = rows(world, "auditors", "auditors")
    assert picked(today, "standard", "qualification", "auditors") == [
        (EMS, "lead_auditor", 1),
        (QMS, "lead_auditor", 1),
    ]
    last_day = rows(world, "auditors", "auditors", on=date(2025, 12, 31), standard=QMS)
    assert picked(last_day, "standard", "qualification", "auditors") == [(QMS, "auditor", 1), (QMS, "lead_auditor", 1)]


def test_another_cbs_history_counts_nothing(world: World, other_cb: Any) -> None:
    chosen = figure_filter(cb=other_cb, today=TODAY, year=2025)
    for slug in ("audit-days", "certificates", "lead-times", "suspensions", "auditors"):
        assert all(not table.rows for table in figure_for(slug, chosen).tables), slug


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"standard": "iso-0000-1999"}, "standard"),
        ({"period": "week"}, "period"),
        ({"start": date(2025, 2, 1), "end": date(2025, 1, 1)}, "end"),
        ({"year": 0}, "year"),
    ],
)
def test_a_bad_filter_is_refused_by_field(world: World, filters: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        figure_filter(cb=world.cb, today=TODAY, **filters)
    assert field in (refused.value.fields or {})
