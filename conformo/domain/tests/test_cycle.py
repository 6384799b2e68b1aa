from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.cycle import add_months, cycle_dates, parse_iso_date, planning_horizon, planning_window_opens
from conformo.domain.errors import InvalidInput
from conformo.domain.settings import MonthArithmetic, RuleSettings


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_a_cb_may_roll_a_missing_day_into_the_next_month() -> None:
    roll = MonthArithmetic.ROLL_TO_NEXT_MONTH
    assert add_months(date(2025, 1, 31), 1, roll) == date(2025, 3, 1)
    assert add_months(date(2024, 1, 31), 1, roll) == date(2024, 3, 1)
    assert add_months(date(2024, 1, 29), 1, roll) == date(2024, 2, 29)


def test_it_gives_the_cli_json_keys_exactly() -> None:
    assert cycle_dates(date(2025, 3, 14)).as_dict() == {
        "decision_date": "2025-03-14",
        "surveillance_1_due": "2026-03-14",
        "surveillance_2_due": "2027-03-14",
        "recertification_due": "2028-03-13",
        "expires_on": "2028-03-13",
        "restoration_deadline": "2028-09-13",
    }


def test_it_adds_the_major_nc_deadline_when_stage_2_end_is_given() -> None:
    result = cycle_dates(date(2025, 3, 14), date(2025, 2, 28)).as_dict()
    assert result["major_nc_verification_deadline"] == "2025-08-28"


def test_a_decision_on_29_february_gives_due_dates_on_28_february() -> None:
    result = cycle_dates(date(2024, 2, 29))
    assert result.surveillance_1_due == date(2025, 2, 28)
    assert result.surveillance_2_due == date(2026, 2, 28)
    # + 3 years clamps to 2027-02-28, then the day before: the contract's literal rule
    assert result.expires_on == date(2027, 2, 27)
    assert result.restoration_deadline == date(2027, 8, 27)


def test_a_decision_at_a_month_end_keeps_month_ends() -> None:
    result = cycle_dates(date(2025, 8, 31), stage2_end=date(2025, 8, 31))
    assert result.expires_on == date(2028, 8, 30)
    assert result.restoration_deadline == date(2029, 2, 28)
    assert result.major_nc_verification_deadline == date(2026, 2, 28)


def test_a_cb_may_expire_on_the_anniversary_and_decide_recertification_early() -> None:
    settings = RuleSettings(expiry_day_before_anniversary=False, recertification_margin_days=30)
    result = cycle_dates(date(2025, 3, 14), settings=settings)
    assert result.expires_on == date(2028, 3, 14)
    assert result.recertification_due == date(2028, 2, 13)


def test_stage_2_cannot_end_after_the_decision() -> None:
    with pytest.raises(InvalidInput, match="on or before the decision date"):
        cycle_dates(date(2025, 3, 14), date(2025, 3, 15))


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "2025-13-01", "14/03/2025", "2025-3-1", "", "20250314"])
def test_it_refuses_impossible_dates_naming_the_format(text: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_iso_date(text, "decision date")


def test_it_reads_a_leap_day() -> None:
    assert parse_iso_date("2024-02-29") == date(2024, 2, 29)


def test_every_cycle_step_cites_iso_iec_17021_1() -> None:
    result = cycle_dates(date(2025, 1, 1), date(2024, 12, 1))
    assert len(result.trace) == 6
    assert all("ISO/IEC 17021-1" in step.source for step in result.trace)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_on_the_same_or_an_earlier_day(start: date, months: int) -> None:
    result = add_months(start, months)
    assert result.year * 12 + result.month == start.year * 12 + start.month + months
    assert result.day == start.day or (result.day < start.day and (result + timedelta(days=1)).day == 1)


@given(dates)
def test_cycle_dates_come_in_order(decision: date) -> None:
    result = cycle_dates(decision)
    assert decision < result.surveillance_1_due < result.surveillance_2_due < result.expires_on
    assert result.recertification_due <= result.expires_on < result.restoration_deadline
    assert (result.surveillance_1_due - decision).days <= 366


def test_an_audits_planning_window_opens_ninety_days_before_its_due_date() -> None:
    assert planning_window_opens(date(2026, 6, 30)) == date(2026, 4, 1)
    assert planning_window_opens(date(2026, 6, 30), RuleSettings(planning_window_days=30)) == date(2026, 5, 31)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 400), st.integers(0, 365))
def test_an_audit_is_in_its_window_exactly_when_due_by_the_horizon(today: date, ahead: int, window: int) -> None:
    settings = RuleSettings(planning_window_days=window)
    due_by = today + timedelta(days=ahead)
    assert (planning_window_opens(due_by, settings) <= today) == (due_by <= planning_horizon(today, settings))


def test_a_negative_planning_window_is_refused() -> None:
    with pytest.raises(InvalidInput, match="planning_window_days"):
        RuleSettings(planning_window_days=-1)
