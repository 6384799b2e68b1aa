from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.certificate_states import CertificateState
from conformo.domain.errors import InvalidInput
from conformo.domain.transitions import (
    TransitionAudit,
    at_risk_reason,
    capped_expiry,
    edition_state,
    ended_reason,
    transition_audit_days,
)

S = CertificateState
END = date(2029, 4, 30)


def test_the_transition_audit_adds_the_extra_to_its_base_time_rounded_to_half_days() -> None:
    assert transition_audit_days(Decimal("2.5"), extra_percent=Decimal(0), extra_days=Decimal("0.5")) == Decimal(3)
    assert transition_audit_days(Decimal(3), extra_percent=Decimal(10), extra_days=Decimal(0)) == Decimal("3.5")
    with pytest.raises(InvalidInput):
        transition_audit_days(Decimal(3), extra_percent=Decimal(-1), extra_days=Decimal(0))
    with pytest.raises(InvalidInput):
        transition_audit_days(Decimal(3), extra_percent=Decimal(0), extra_days=Decimal(21))


@given(st.decimals(min_value=0, max_value=100, places=1), st.decimals(min_value=0, max_value=20, places=1))
def test_the_transition_audit_never_takes_less_than_its_base(percent: Decimal, days: Decimal) -> None:
    base = Decimal("4.5")
    assert transition_audit_days(base, extra_percent=percent, extra_days=days) >= base


def test_an_old_edition_certificate_issued_in_the_window_expires_at_the_latest_at_the_end() -> None:
    published = date(2026, 4, 30)
    assert capped_expiry(date(2029, 6, 1), issued_on=date(2026, 6, 2), published_on=published, ends_on=END) == END
    assert capped_expiry(date(2029, 1, 1), issued_on=date(2026, 1, 2), published_on=published, ends_on=END) == date(
        2029, 1, 1
    )
    # Issued before publication: not capped (it reads as no longer valid after the end instead).
    assert capped_expiry(date(2029, 6, 1), issued_on=date(2026, 4, 29), published_on=published, ends_on=END) == date(
        2029, 6, 1
    )


def test_an_old_edition_certificate_reads_expired_the_day_after_the_end() -> None:
    assert edition_state(S.ACTIVE, END, END) is S.ACTIVE
    assert edition_state(S.ACTIVE, END, date(2029, 5, 1)) is S.EXPIRED
    assert edition_state(S.SUSPENDED, END, date(2029, 5, 1)) is S.EXPIRED
    assert edition_state(S.WITHDRAWN, END, date(2029, 5, 1)) is S.WITHDRAWN
    assert edition_state(S.ACTIVE, None, date(2040, 1, 1)) is S.ACTIVE
    assert ended_reason("ISO 14001:2015", END) == "ISO 14001:2015 transition ended on 2029-04-30"


def test_a_client_is_at_risk_without_a_planned_audit_with_one_past_the_end_or_close_to_the_end() -> None:
    today = date(2027, 1, 1)
    assert at_risk_reason(None, ends_on=END, today=today, risk_days=180) == "no transition audit planned"
    late = TransitionAudit(planned_end=date(2029, 5, 2))
    assert at_risk_reason(late, ends_on=END, today=today, risk_days=180).startswith("the transition audit is planned")
    planned = TransitionAudit(planned_end=date(2027, 3, 1))
    assert at_risk_reason(planned, ends_on=END, today=today, risk_days=180) == ""
    assert at_risk_reason(planned, ends_on=END, today=date(2028, 11, 1), risk_days=180).endswith("not decided")
    assert at_risk_reason(TransitionAudit(decided=True), ends_on=END, today=date(2030, 1, 1), risk_days=180) == ""
    assert at_risk_reason(planned, ends_on=END, today=date(2029, 5, 1), risk_days=180).startswith(
        "the transition ended"
    )
