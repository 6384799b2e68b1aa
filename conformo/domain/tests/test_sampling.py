from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.sampling import ceil_isqrt, least_root, sample_sizes, site_audit_time
from conformo.domain.settings import RuleSettings

D = Decimal


def test_sample_sizes_match_a_slow_exact_reference_for_1_to_10000_sites() -> None:
    """Reference without square roots: for each factor p/q, count y up until q²·y² >= p²·x (y never
    decreases as x grows, so one counter per factor walks all x)."""
    factors = {"initial": (1, 1), "surveillance": (3, 5), "recertification": (4, 5)}
    counters = dict.fromkeys(factors, 0)
    for x in range(1, 10_001):
        result = sample_sizes(x)
        for name, (p, q) in factors.items():
            while q * q * counters[name] ** 2 < p * p * x:
                counters[name] += 1
            assert getattr(result, name) == counters[name], (name, x)


@pytest.mark.parametrize(
    ("sites", "initial", "surveillance", "recertification"),
    [
        (1, 1, 1, 1),
        (2, 2, 1, 2),
        (4, 2, 2, 2),  # 0.6 x 2 = 1.2 -> 2; 0.8 x 2 = 1.6 -> 2
        (25, 5, 3, 4),  # exact: 0.6 x 5 = 3, 0.8 x 5 = 4
        (100, 10, 6, 8),
        (101, 11, 7, 9),
        (10_000, 100, 60, 80),
        (10_001, 101, 61, 81),
    ],
)
def test_it_computes_md1_sample_sizes_exactly_at_perfect_squares_and_just_above(
    sites: int, initial: int, surveillance: int, recertification: int
) -> None:
    result = sample_sizes(sites)
    assert (result.initial, result.surveillance, result.recertification) == (initial, surveillance, recertification)


def test_floats_get_large_counts_wrong_but_integer_arithmetic_does_not() -> None:
    x = (5 * 10**8 + 5) ** 2 + 1  # one more than a perfect square: the root must round up
    assert math.ceil(math.sqrt(x)) == 5 * 10**8 + 5  # float sqrt loses the "+ 1"
    assert ceil_isqrt(x) == 5 * 10**8 + 6


@given(st.integers(min_value=0, max_value=10**30))
def test_ceil_isqrt_is_the_least_root(n: int) -> None:
    y = ceil_isqrt(n)
    assert y * y >= n
    assert y == 0 or (y - 1) * (y - 1) < n


@given(st.integers(min_value=1, max_value=10**18), st.sampled_from([Fraction(3, 5), Fraction(4, 5), Fraction(1)]))
def test_least_root_is_exact_for_huge_site_counts(x: int, factor: Fraction) -> None:
    y = least_root(x, factor)
    assert y * y >= factor * factor * x
    assert y == 0 or (y - 1) * (y - 1) < factor * factor * x


def test_it_includes_the_central_function_and_the_random_share() -> None:
    result = sample_sizes(50).as_dict()
    assert result["central_function_included"] is True
    assert result["random_share"] == 0.25
    assert result["initial"] == 8
    assert result["random_minimum"] == {"initial": 2, "surveillance": 2, "recertification": 2}


@pytest.mark.parametrize(("sites", "per_year"), [(1, 1), (3, 1), (10, 3), (11, 4), (20, 6), (21, 7)])
def test_without_sampling_it_audits_30_percent_of_sites_per_surveillance_year_rounded_up(
    sites: int, per_year: int
) -> None:
    assert sample_sizes(sites).no_sampling_surveillance_per_year == per_year


def test_a_single_site_is_computed_with_a_warning() -> None:
    assert sample_sizes(1).warnings
    assert sample_sizes(2).warnings == ()


@pytest.mark.parametrize("sites", [0, -3, True])
def test_it_refuses_zero_negative_or_non_integer_site_counts(sites: int) -> None:
    with pytest.raises(InvalidInput, match="at least 1"):
        sample_sizes(sites)


def test_a_site_reduction_beyond_50_percent_is_cut_with_a_warning() -> None:
    result = site_audit_time(D(4), D(70))
    assert result.reduction_percent == D(50)
    assert result.days == D(2)
    assert "50 % cap" in result.warnings[0]
    assert site_audit_time(D(4), D(50)).warnings == ()
    assert site_audit_time(D(4), D(25)).days == D(3)


def test_it_refuses_negative_site_reductions_and_empty_site_times() -> None:
    with pytest.raises(InvalidInput):
        site_audit_time(D(4), D(-1))
    with pytest.raises(InvalidInput):
        site_audit_time(D(0), D(10))


@given(st.decimals(min_value="0.5", max_value=100, places=1), st.decimals(min_value=0, max_value=100, places=1))
def test_a_site_is_never_reduced_by_more_than_its_cap(full: Decimal, reduction: Decimal) -> None:
    result = site_audit_time(full, reduction, RuleSettings())
    assert result.days >= full / 2
    assert result.days <= full
