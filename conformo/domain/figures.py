"""Summaries for the figures a CB shows its accreditation body and its management review (ISO/IEC 17021-1
8.4 records, 9.9; its management review 10.2.5 asks for the results of audits, complaints and appeals).

The database counts and sums (`conformo.figures`); what it cannot do alike on SQLite and PostgreSQL is a
median (PostgreSQL has `percentile_cont`, SQLite has none). So the database gives a *histogram*: how many
cases took each number of days (grouped by the database, or counted from its one row per case when each case
needs its own aggregate first, as a decision's lead time does), and `summarize` reads count, median, mean and
maximum from it. Its work grows with the number of distinct day counts (at most a few hundred).

The median is `percentile_cont(0.5)`'s: the middle value, or the mean of the two middle values of an even
count. Figures are Decimals rounded to one place, half up ([P] Conformo's choice for a report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from conformo.domain.errors import InvalidInput

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Summary:
    """Count, median, mean and maximum of a set of day counts (None for an empty set)."""

    count: int
    median: Decimal | None
    mean: Decimal | None
    maximum: int | None


def summarize(histogram: Iterable[tuple[int, int]]) -> Summary:
    """The summary of the values a histogram `(value, how many)` describes; a pair seen twice adds up.

    >>> summarize([(3, 1), (10, 2), (5, 1)])
    Summary(count=4, median=Decimal('7.5'), mean=Decimal('7.0'), maximum=10)
    """
    counts: dict[int, int] = {}
    for value, times in histogram:
        if times < 0:
            raise InvalidInput(f"a histogram cannot count {times} cases")
        if times:
            counts[value] = counts.get(value, 0) + times
    total = sum(counts.values())
    if total == 0:
        return Summary(0, None, None, None)
    values = sorted(counts)
    low_rank, high_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    seen = 0
    low = high = None
    for value in values:
        if low is None and seen + counts[value] > low_rank:
            low = value
        if seen + counts[value] > high_rank:
            high = value
            break
        seen += counts[value]
    # total > 0: both ranks fall inside the histogram
    assert low is not None
    assert high is not None
    median = (Decimal(low) + Decimal(high)) / 2
    mean = Decimal(sum(value * times for value, times in counts.items())) / total
    return Summary(
        total, median.quantize(ONE_PLACE, ROUND_HALF_UP), mean.quantize(ONE_PLACE, ROUND_HALF_UP), values[-1]
    )


def per_day(count: int, days: Decimal) -> Decimal | None:
    """`count` per audit day, to two places (None when no audit day was spent: no rate to give)."""
    if days <= 0:
        return None
    return (Decimal(count) / days).quantize(TWO_PLACES, ROUND_HALF_UP)


class Period(StrEnum):
    """How a figure over time is grouped."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


def period_label(start: date, period: Period) -> str:
    """The name of the period that starts on `start`: `2026`, `2026-Q2`, `2026-05`."""
    if period is Period.YEAR:
        return f"{start.year}"
    if period is Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def year_range(year: int) -> tuple[date, date]:
    """The first and the last day of `year` (the figures' default range is the current year)."""
    if not 1 <= year <= 9999:
        raise InvalidInput(f"{year} is not a year")
    return date(year, 1, 1), date(year, 12, 31)


def check_range(start: date, end: date) -> None:
    """Refuse a range whose end is before its start."""
    if end < start:
        raise InvalidInput(f"the range ends ({end}) before it starts ({start})")
