from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.rounding import TieBreak, round_half_day


@pytest.mark.parametrize(
    ("days", "rounded"),
    [
        ("5.3", "5.5"),  # MD 5 cl. 2.2.3 example
        ("5.2", "5"),  # MD 5 cl. 2.2.3 example
        ("5.25", "5.5"),
        ("5.75", "6"),
        ("5.74", "5.5"),
        ("5.76", "6"),
        ("5.24", "5"),
        ("5", "5"),
        ("5.5", "5.5"),
        ("0.25", "0.5"),
        ("0.1", "0"),
    ],
)
def test_it_rounds_to_the_nearest_half_day_with_quarter_ties_up(days: str, rounded: str) -> None:
    assert round_half_day(Decimal(days)) == Decimal(rounded)


def test_a_cb_may_round_quarter_ties_down() -> None:
    assert round_half_day(Decimal("5.25"), TieBreak.DOWN) == Decimal(5)
    assert round_half_day(Decimal("5.75"), TieBreak.DOWN) == Decimal("5.5")
    assert round_half_day(Decimal("5.3"), TieBreak.DOWN) == Decimal("5.5")


def test_it_rounds_exact_fractions_without_float_error() -> None:
    assert round_half_day(Fraction(13, 3)) == Decimal("4.5")  # 4.333...
    assert round_half_day(Fraction(23, 6)) == Decimal(4)  # 3.8333...


def test_it_refuses_a_non_finite_number_of_days() -> None:
    with pytest.raises(InvalidInput):
        round_half_day(Decimal("NaN"))


@given(st.decimals(min_value=0, max_value=10_000, places=3))
def test_rounding_is_within_a_quarter_day_and_lands_on_a_half(days: Decimal) -> None:
    rounded = round_half_day(days)
    assert abs(rounded - days) <= Decimal("0.25")
    assert (rounded * 2) == (rounded * 2).to_integral_value()


@given(st.decimals(min_value=0, max_value=1000, places=2), st.decimals(min_value=0, max_value=1000, places=2))
def test_rounding_never_reverses_order(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert round_half_day(low) <= round_half_day(high)
