"""The stage-1 agreement rule (ISO/IEC 17021-1 5.1.2) and the mark-use duty told on suspension or withdrawal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.agreement import AGREEMENT_SOURCE, MARK_USE_DUTY_FALLBACK, stage1_agreement_refusal


def test_an_accepted_agreement_lets_stage_1_start_whatever_the_setting():
    assert stage1_agreement_refusal(accepted=True, deferral_allowed=False, deferral_reason="") is None


def test_without_an_agreement_stage_1_waits_and_the_refusal_cites_5_1_2():
    refusal = stage1_agreement_refusal(accepted=False, deferral_allowed=False, deferral_reason="Signed on site")
    assert refusal is not None
    assert AGREEMENT_SOURCE in refusal
    assert "why it will be signed at stage 1" not in refusal  # the CB's setting does not allow it: not offered


def test_the_cb_setting_lets_stage_1_start_only_with_a_recorded_reason():
    assert stage1_agreement_refusal(accepted=False, deferral_allowed=True, deferral_reason="Signed on site") is None
    refusal = stage1_agreement_refusal(accepted=False, deferral_allowed=True, deferral_reason="   ")
    assert refusal is not None
    assert "why it will be signed at stage 1" in refusal


@given(st.booleans(), st.booleans(), st.text(max_size=20))
def test_stage_1_starts_exactly_when_accepted_or_deferred_with_a_reason(accepted, allowed, reason):
    starts = stage1_agreement_refusal(accepted=accepted, deferral_allowed=allowed, deferral_reason=reason) is None
    assert starts == (accepted or (allowed and bool(reason.strip())))


def test_the_fallback_duty_cites_the_suspension_and_withdrawal_clauses():
    assert "9.6.5.3" in MARK_USE_DUTY_FALLBACK
    assert "9.6.5.6" in MARK_USE_DUTY_FALLBACK
