"""The summaries the figures read from a database histogram (conformo.domain.figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from statistics import mean, median

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.figures import Period, Summary, check_range, per_day, period_label, summarize, year_range


def test_an_empty_histogram_has_no_median() -> None:
    assert summarize([]) == Summary(0, None, None, None)
    assert summarize([(4, 0)]) == Summary(0, None, None, None)


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values() -> None:
    assert summarize([(10, 1), (20, 1)]) == Summary(2, Decimal("15.0"), Decimal("15.0"), 20)
    assert summarize([(3, 1), (10, 2), (5, 1)]) == Summary(4, Decimal("7.5"), Decimal("7.0"), 10)


def test_a_value_given_twice_adds_up() -> None:
    assert summarize([(7, 2), (7, 1), (1, 1)]).count == 4
    assert summarize([(7, 2), (7, 1), (1, 1)]).median == Decimal("7.0")


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(InvalidInput):
        summarize([(3, -1)])


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_the_histogram_gives_what_the_list_of_values_gives(values: list[int]) -> None:
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    summary = summarize(histogram.items())
    assert summary.count == len(values)
    assert summary.maximum == max(values)
    assert summary.median == Decimal(str(median(values))).quantize(Decimal("0.1"))
    assert summary.mean is not None
    assert abs(summary.mean - Decimal(str(mean(values)))) <= Decimal("0.05")


def test_a_rate_per_audit_day_needs_audit_days() -> None:
    assert per_day(3, Decimal("9.5")) == Decimal("0.32")
    assert per_day(1, Decimal(0)) is None


def test_periods_are_named_as_a_report_names_them() -> None:
    assert period_label(date(2026, 1, 1), Period.YEAR) == "2026"
    assert period_label(date(2026, 4, 1), Period.QUARTER) == "2026-Q2"
    assert period_label(date(2026, 12, 1), Period.QUARTER) == "2026-Q4"
    assert period_label(date(2026, 5, 1), Period.MONTH) == "2026-05"


def test_a_year_runs_from_january_to_december_and_a_range_may_not_run_backwards() -> None:
    assert year_range(2025) == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(InvalidInput):
        year_range(0)
    with pytest.raises(InvalidInput):
        check_range(date(2025, 2, 1), date(2025, 1, 31))
