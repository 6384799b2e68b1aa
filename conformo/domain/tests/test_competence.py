from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.competence import (
    MonitoringState,
    QualificationState,
    QualificationStatus,
    period_refusal,
    qualification_status,
    qualification_valid_until,
    witness_anchor_limit,
    witness_due,
)


def status(**kwargs: Any) -> QualificationStatus:
    values: dict[str, Any] = {"valid_from": date(2024, 1, 10), "valid_until": date(2026, 12, 31), "last_audit": None}
    values.update(kwargs)
    return qualification_status(lapse_months=36, **values)


def test_a_qualification_is_current_between_its_dates_with_recent_audits():
    found = status(last_audit=date(2025, 6, 1), on=date(2026, 3, 1))
    assert found.state == QualificationState.CURRENT
    assert found.lapses_on == date(2028, 6, 1)


def test_it_says_when_a_qualification_expired():
    found = status(on=date(2027, 1, 1))
    assert found.state == QualificationState.EXPIRED
    assert found.reason == "expired on 2026-12-31"


def test_it_is_not_valid_before_it_starts():
    assert status(on=date(2024, 1, 9)).state == QualificationState.NOT_YET_VALID


def test_it_lapses_after_the_period_without_an_audit_in_the_standard():
    found = status(valid_until=None, last_audit=date(2022, 5, 1), on=date(2027, 1, 11))
    assert found.state == QualificationState.LAPSED
    assert found.reason == "lapsed: no audit since it became valid on 2024-01-10 (36 months)"
    later = status(valid_until=None, last_audit=date(2024, 3, 1), on=date(2027, 3, 2))
    assert later.reason == "lapsed: no audit since 2024-03-01 (36 months)"
    assert status(valid_until=None, last_audit=date(2024, 3, 1), on=date(2027, 3, 1)).current


def test_validity_ends_the_day_before_the_anniversary():
    assert qualification_valid_until(date(2024, 1, 10), 36) == date(2027, 1, 9)


def test_witnessing_is_due_after_the_interval_and_listed_before():
    never = witness_due(
        last_witnessed=None, qualified_since=date(2022, 1, 1), interval_months=36, notice_days=60, on=date(2026, 1, 1)
    )
    assert never.state == MonitoringState.OVERDUE
    assert never.due_on == date(2025, 1, 1)
    soon = witness_due(
        last_witnessed=date(2023, 2, 1),
        qualified_since=date(2020, 1, 1),
        interval_months=36,
        notice_days=60,
        on=date(2026, 1, 1),
    )
    assert soon.state == MonitoringState.DUE_SOON
    fine = witness_due(
        last_witnessed=date(2025, 2, 1),
        qualified_since=date(2020, 1, 1),
        interval_months=36,
        notice_days=60,
        on=date(2026, 1, 1),
    )
    assert fine.state == MonitoringState.SCHEDULED


@given(
    anchor=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    on=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    months=st.integers(min_value=1, max_value=120),
    notice=st.integers(min_value=0, max_value=365),
)
def test_the_database_limit_selects_exactly_the_due_auditors(anchor, on, months, notice):
    due = witness_due(last_witnessed=anchor, qualified_since=anchor, interval_months=months, notice_days=notice, on=on)
    limit = witness_anchor_limit(interval_months=months, notice_days=notice, on=on)
    assert (anchor <= limit) == (due.state != MonitoringState.SCHEDULED)
    assert limit + timedelta(days=1) > limit


def test_periods_are_one_month_to_ten_years():
    assert period_refusal(36) is None
    assert period_refusal(0) is not None
    assert period_refusal(121) is not None
