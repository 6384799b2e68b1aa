from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.personnel import PartTimeGroup, PersonnelBreakdown, effective_personnel
from conformo.domain.settings import RepetitiveReduction, RuleSettings

D = Decimal


def test_it_counts_permanent_temporary_contractors_and_every_shift() -> None:
    result = effective_personnel(PersonnelBreakdown(permanent=40, temporary=5, contractors=3, shift_workers=12))
    assert result.value == D(60)
    assert result.trace[-1].value == "60 persons"
    assert all("IAF MD 5" in step.source for step in result.trace)


def test_it_converts_part_time_staff_by_hours_against_the_full_time_week() -> None:
    breakdown = PersonnelBreakdown(permanent=10, part_time=(PartTimeGroup(4, D(20)), PartTimeGroup(3, D(10))))
    assert effective_personnel(breakdown).value == D("12.75")  # 10 + 4 x 0.5 + 3 x 0.25
    assert effective_personnel(breakdown, settings=RuleSettings(full_time_hours_per_week=D(20))).value == D(15.5)


def test_it_counts_repetitive_functions_fully_unless_the_cb_chose_a_reduction() -> None:
    breakdown = PersonnelBreakdown(permanent=100, repetitive=64, repetitive_justification="packing line")
    assert effective_personnel(breakdown).value == D(100)


def test_a_weighted_repetitive_reduction_counts_each_at_the_cb_weight() -> None:
    breakdown = PersonnelBreakdown(permanent=100, repetitive=50, repetitive_justification="packing line")
    result = effective_personnel(breakdown, reduction=RepetitiveReduction.WEIGHT)
    assert result.value == D(60)  # 50 + 50 x 0.2
    assert "packing line" in result.trace[-2].rule


def test_a_square_root_repetitive_reduction_counts_the_rounded_up_root() -> None:
    breakdown = PersonnelBreakdown(permanent=100, repetitive=50, repetitive_justification="call centre agents")
    assert effective_personnel(breakdown, reduction=RepetitiveReduction.SQUARE_ROOT).value == D(58)  # 50 + 8


def test_a_repetitive_reduction_needs_a_written_justification() -> None:
    with pytest.raises(InvalidInput, match="justification"):
        effective_personnel(PersonnelBreakdown(permanent=10, repetitive=5), reduction=RepetitiveReduction.WEIGHT)


def test_it_refuses_more_repetitive_personnel_than_whole_persons() -> None:
    with pytest.raises(InvalidInput, match="cannot exceed"):
        effective_personnel(PersonnelBreakdown(permanent=3, repetitive=4, repetitive_justification="x"))


def test_it_refuses_negative_counts_zero_personnel_and_impossible_part_time_hours() -> None:
    with pytest.raises(InvalidInput, match="0 or more"):
        effective_personnel(PersonnelBreakdown(permanent=-1))
    with pytest.raises(InvalidInput, match="above 0"):
        effective_personnel(PersonnelBreakdown())
    with pytest.raises(InvalidInput, match="exceed the full-time week"):
        effective_personnel(PersonnelBreakdown(part_time=(PartTimeGroup(1, D(50)),)))
    with pytest.raises(InvalidInput, match="above 0"):
        effective_personnel(PersonnelBreakdown(part_time=(PartTimeGroup(1, D(0)),)))


@given(
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.sampled_from(list(RepetitiveReduction)),
    st.data(),
)
def test_a_repetitive_reduction_never_raises_the_count_nor_drops_below_the_other_staff(
    permanent: int, contractors: int, extra: int, method: RepetitiveReduction, data: st.DataObject
) -> None:
    total = permanent + contractors + extra
    if total == 0:
        return
    repetitive = data.draw(st.integers(0, total))
    breakdown = PersonnelBreakdown(
        permanent=permanent, contractors=contractors, temporary=extra, repetitive=repetitive,
        repetitive_justification="similar simple tasks",
    )  # fmt: skip
    value = effective_personnel(breakdown, reduction=method).value
    assert total - repetitive <= value <= total
