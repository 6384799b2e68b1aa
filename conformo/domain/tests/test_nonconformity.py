from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.nonconformity import Grade, finding_deadlines
from conformo.domain.settings import RuleSettings


def test_a_major_is_answered_and_verified_within_the_cb_periods() -> None:
    result = finding_deadlines("major", date(2025, 3, 10))
    assert result.response_due == date(2025, 6, 8)  # + 90 days
    assert result.verification_due == date(2025, 6, 8)
    assert result.hard_stop is None


def test_a_minor_needs_a_plan_and_is_verified_at_the_next_audit_by_default() -> None:
    result = finding_deadlines(Grade.MINOR, date(2025, 3, 10))
    assert result.response_due == date(2025, 6, 8)
    assert result.verification_due is None
    assert result.as_dict()["verification_due"] is None


def test_an_observation_needs_no_response() -> None:
    result = finding_deadlines("observation", date(2025, 3, 10))
    assert (result.response_due, result.verification_due) == (None, None)


def test_the_periods_are_the_cbs_choice() -> None:
    settings = RuleSettings(major_response_days=30, major_verification_days=60, minor_verification_days=120)
    assert finding_deadlines("major", date(2025, 1, 1), settings=settings).response_due == date(2025, 1, 31)
    assert finding_deadlines("minor", date(2025, 1, 1), settings=settings).verification_due == date(2025, 5, 1)


def test_majors_stop_at_six_months_after_stage_2() -> None:
    settings = RuleSettings(major_response_days=300, major_verification_days=300)
    result = finding_deadlines("major", date(2025, 1, 31), stage2_end=date(2025, 1, 31), settings=settings)
    assert result.hard_stop == date(2025, 7, 31)
    assert result.response_due == date(2025, 7, 31)
    assert result.verification_due == date(2025, 7, 31)
    assert any("9.5.3.2" in step.source for step in result.trace)


def test_the_stage_2_stop_applies_to_majors_only() -> None:
    settings = RuleSettings(minor_response_days=300)
    result = finding_deadlines("minor", date(2025, 1, 31), stage2_end=date(2025, 1, 31), settings=settings)
    assert result.response_due == date(2025, 11, 27)  # + 300 days, not clipped
    assert result.hard_stop is None


def test_at_recertification_every_deadline_falls_before_expiry() -> None:
    result = finding_deadlines("minor", date(2028, 1, 15), expires_on=date(2028, 2, 29))
    assert result.response_due == date(2028, 2, 29)
    major = finding_deadlines("major", date(2028, 1, 15), expires_on=date(2028, 2, 29))
    assert major.verification_due == date(2028, 2, 29)
    early = RuleSettings(recertification_margin_days=14)
    assert finding_deadlines("major", date(2028, 1, 15), expires_on=date(2028, 2, 29), settings=early).response_due == (
        date(2028, 2, 15)
    )


def test_the_earlier_of_two_hard_stops_wins() -> None:
    result = finding_deadlines("major", date(2025, 1, 10), stage2_end=date(2025, 1, 10), expires_on=date(2025, 3, 1))
    assert result.hard_stop == date(2025, 3, 1)
    assert result.response_due == date(2025, 3, 1)


def test_it_warns_when_the_hard_stop_has_already_passed() -> None:
    result = finding_deadlines("major", date(2025, 9, 1), stage2_end=date(2025, 1, 10))
    assert result.warnings


def test_it_refuses_an_unknown_grade_naming_the_valid_ones() -> None:
    with pytest.raises(InvalidInput, match="choose one of: major, minor, observation"):
        finding_deadlines("critical", date(2025, 1, 1))


@given(
    st.sampled_from(list(Grade)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.one_of(st.none(), st.integers(0, 400)),
    st.one_of(st.none(), st.integers(0, 1200)),
    st.integers(0, 1000),
)
def test_deadlines_never_pass_a_hard_stop(
    grade: Grade, raised: date, stage2_offset: int | None, expiry_offset: int | None, days: int
) -> None:
    stage2 = None if stage2_offset is None else raised - timedelta(days=stage2_offset)
    expires = None if expiry_offset is None else raised + timedelta(days=expiry_offset)
    settings = RuleSettings(major_response_days=days, major_verification_days=days, minor_response_days=days)
    result = finding_deadlines(grade, raised, stage2_end=stage2, expires_on=expires, settings=settings)
    for due in (result.response_due, result.verification_due):
        if due is not None:
            assert due <= raised + timedelta(days=days)
            if expires is not None:
                assert due <= expires
            if stage2 is not None and grade is Grade.MAJOR:
                assert result.hard_stop is not None
                assert due <= result.hard_stop
