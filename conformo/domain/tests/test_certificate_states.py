from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.certificate_states import (
    ALLOWED_MOVES,
    CONDITIONS,
    CertificateState,
    Decision,
    TransitionContext,
    allowed_decisions,
    certification_ended,
    effective_state,
    suspension_overdue,
    transition,
)
from conformo.domain.errors import IllegalTransition

S, D = CertificateState, Decision
EXPIRES = date(2028, 3, 13)


def satisfying(decision: Decision) -> TransitionContext:
    """A context meeting every condition of ``decision``."""
    on = {D.EXPIRE: date(2028, 3, 14), D.RESTORE_AFTER_EXPIRY: date(2028, 9, 13)}.get(decision, date(2026, 5, 1))
    return TransitionContext(
        on=on,
        expires_on=EXPIRES,
        reason="client request",
        stage2_completed=True,
        issue_resolved=True,
        remaining_scope_items=1,
        extension_audited=True,
        recertification_audit_completed=True,
        outstanding_activities_completed=True,
        basis_report_issued=True,
        transition_audit_completed=True,
    )


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("decision", list(D))
def test_the_machine_admits_exactly_the_documented_moves(state: CertificateState, decision: Decision) -> None:
    if (state, decision) in ALLOWED_MOVES:
        assert transition(state, decision, context=satisfying(decision)) is ALLOWED_MOVES[state, decision]
    else:
        with pytest.raises(IllegalTransition) as raised:
            transition(state, decision, context=satisfying(decision))
        message = str(raised.value)
        assert message.startswith(f"cannot {decision.value.replace('_', ' ')} a certificate that is {state.value}")
        for allowed in allowed_decisions(state):
            assert allowed.value in message


def test_withdrawn_and_refused_are_final() -> None:
    assert allowed_decisions(S.WITHDRAWN) == ()
    assert allowed_decisions(S.REFUSED) == ()
    with pytest.raises(IllegalTransition, match="no decision is allowed"):
        transition(S.WITHDRAWN, D.RESTORE, context=satisfying(D.RESTORE))


def test_every_decision_has_its_conditions_documented() -> None:
    assert set(CONDITIONS) == set(D)
    assert {decision for (_, decision) in ALLOWED_MOVES} == set(D)


def fails(state: CertificateState, decision: Decision, match: str, **changes: object) -> None:
    context = dataclasses.replace(satisfying(decision), **changes)  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition, match=match):
        transition(state, decision, context=context)


def test_grant_needs_every_major_verified_and_minor_plans_accepted() -> None:
    fails(S.PENDING, D.GRANT, "2 major nonconformity", majors_unverified=2)
    fails(S.PENDING, D.GRANT, "2 minor nonconformity", minors_without_accepted_plan=2)
    fails(S.PENDING, D.GRANT, "completed stage 2", stage2_completed=False)


def test_grant_after_six_months_from_stage_2_with_majors_needs_a_new_stage_2() -> None:
    late: dict[str, object] = {"stage2_end": date(2025, 10, 31), "major_ncs_raised": True}
    fails(S.PENDING, D.GRANT, "a new stage 2 is required", **late)
    on_time = dataclasses.replace(satisfying(D.GRANT), on=date(2026, 4, 30), **late)  # type: ignore[arg-type]
    assert transition(S.PENDING, D.GRANT, context=on_time) is S.ACTIVE
    no_majors = dataclasses.replace(satisfying(D.GRANT), stage2_end=date(2025, 10, 31))
    assert transition(S.PENDING, D.GRANT, context=no_majors) is S.ACTIVE


def test_no_decision_is_taken_by_a_member_of_the_audit_team() -> None:
    for state, decision in ALLOWED_MOVES:
        if decision is not D.EXPIRE:
            fails(state, decision, "9.5.1.2", decided_by_audit_team_member=True)


def test_suspend_withdraw_refuse_and_reduce_need_a_reason() -> None:
    fails(S.ACTIVE, D.SUSPEND, "reason", reason=" ")
    fails(S.ACTIVE, D.WITHDRAW, "reason", reason="")
    fails(S.PENDING, D.REFUSE, "reason", reason="")
    fails(S.ACTIVE, D.REDUCE_SCOPE, "reason", reason="")


def test_restore_needs_the_issue_resolved_before_expiry() -> None:
    fails(S.SUSPENDED, D.RESTORE, "not resolved", issue_resolved=False)
    fails(S.SUSPENDED, D.RESTORE, "expired on 2028-03-13", on=date(2028, 3, 14))


def test_reducing_the_whole_scope_is_a_withdrawal() -> None:
    fails(S.ACTIVE, D.REDUCE_SCOPE, "withdraw the certification instead", remaining_scope_items=0)
    fails(S.ACTIVE, D.REDUCE_SCOPE, "withdraw the certification instead", remaining_scope_items=None)


def test_a_scope_extension_must_be_audited() -> None:
    fails(S.ACTIVE, D.EXTEND_SCOPE, "9.6.4.1", extension_audited=False)
    fails(S.ACTIVE, D.EXTEND_SCOPE, "not yet verified", majors_unverified=1)


def test_renewal_needs_the_recertification_audit_verified_majors_and_a_date_before_expiry() -> None:
    fails(S.ACTIVE, D.RENEW, "recertification audit is not completed", recertification_audit_completed=False)
    fails(S.ACTIVE, D.RENEW, "not yet verified", majors_unverified=1)
    fails(S.ACTIVE, D.RENEW, "restore it after expiry instead", on=date(2028, 3, 14))
    on_expiry_day = dataclasses.replace(satisfying(D.RENEW), on=EXPIRES)
    assert transition(S.ACTIVE, D.RENEW, context=on_expiry_day) is S.ACTIVE


def test_a_certificate_expires_only_after_its_expiry_date() -> None:
    fails(S.ACTIVE, D.EXPIRE, "valid until 2028-03-13", on=EXPIRES)
    fails(S.ACTIVE, D.EXPIRE, "expiry date is needed", expires_on=None)


def test_restoration_after_expiry_is_possible_for_six_months_only() -> None:
    last_day = dataclasses.replace(satisfying(D.RESTORE_AFTER_EXPIRY), on=date(2028, 9, 13))
    assert transition(S.EXPIRED, D.RESTORE_AFTER_EXPIRY, context=last_day) is S.ACTIVE
    fails(S.EXPIRED, D.RESTORE_AFTER_EXPIRY, "new initial certification", on=date(2028, 9, 14))
    fails(S.EXPIRED, D.RESTORE_AFTER_EXPIRY, "outstanding", outstanding_activities_completed=False)


def test_a_certificate_read_after_expiry_says_expired_even_if_no_job_ran() -> None:
    assert effective_state(S.ACTIVE, EXPIRES, date(2028, 3, 14)) is S.EXPIRED
    assert effective_state(S.SUSPENDED, EXPIRES, date(2028, 3, 14)) is S.EXPIRED
    assert effective_state(S.ACTIVE, EXPIRES, EXPIRES) is S.ACTIVE
    assert effective_state(S.WITHDRAWN, EXPIRES, date(2030, 1, 1)) is S.WITHDRAWN


def test_a_certification_has_ended_once_withdrawn_refused_or_past_its_expiry_date() -> None:
    assert certification_ended(S.WITHDRAWN, EXPIRES, EXPIRES)
    assert certification_ended(S.REFUSED, None, EXPIRES)
    assert certification_ended(S.EXPIRED, EXPIRES, EXPIRES)
    assert certification_ended(S.ACTIVE, EXPIRES, date(2028, 3, 14))
    assert certification_ended(S.SUSPENDED, EXPIRES, date(2028, 3, 14))
    assert not certification_ended(S.ACTIVE, EXPIRES, EXPIRES)
    assert not certification_ended(S.PENDING, None, date(2030, 1, 1))


def test_a_suspension_is_overdue_after_six_months() -> None:
    assert not suspension_overdue(date(2025, 8, 31), date(2026, 2, 28))
    assert suspension_overdue(date(2025, 8, 31), date(2026, 3, 1))


contexts = st.builds(
    TransitionContext,
    on=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)),
    expires_on=st.one_of(st.none(), st.just(EXPIRES)),
    stage2_end=st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 1, 1))),
    major_ncs_raised=st.booleans(),
    majors_unverified=st.integers(0, 3),
    stage2_completed=st.booleans(),
    minors_without_accepted_plan=st.integers(0, 2),
    reason=st.sampled_from(["", "client request"]),
    decided_by_audit_team_member=st.booleans(),
    issue_resolved=st.booleans(),
    remaining_scope_items=st.one_of(st.none(), st.integers(0, 3)),
    extension_audited=st.booleans(),
    recertification_audit_completed=st.booleans(),
    outstanding_activities_completed=st.booleans(),
)


@given(st.sampled_from(list(S)), st.sampled_from(list(D)), contexts)
def test_any_accepted_move_is_a_documented_move(
    state: CertificateState, decision: Decision, context: TransitionContext
) -> None:
    if (state, decision) not in ALLOWED_MOVES:
        with pytest.raises(IllegalTransition):
            transition(state, decision, context=context)
        return
    try:
        target = transition(state, decision, context=context)
    except IllegalTransition:
        return  # a documented move whose conditions this context does not meet
    assert ALLOWED_MOVES[state, decision] is target


@given(st.lists(st.sampled_from(list(D)), max_size=30))
def test_a_history_of_decisions_only_ever_follows_the_table(decisions: list[Decision]) -> None:
    state = S.PENDING
    for decision in decisions:
        move = ALLOWED_MOVES.get((state, decision))
        if move is None:
            with pytest.raises(IllegalTransition):
                transition(state, decision, context=satisfying(decision))
        else:
            state = transition(state, decision, context=satisfying(decision))
            assert state is move


REFUSALS = [
    # (state, decision, facts that break one precondition, code, clause)
    (S.PENDING, D.GRANT, {"decided_by_audit_team_member": True}, "decision_maker_on_team", "9.5.1.2"),
    (S.ACTIVE, D.SUSPEND, {"reason": " "}, "reason_required", "9.5.1.2"),
    (S.PENDING, D.GRANT, {"stage2_completed": False}, "stage2_not_completed", "9.5.2"),
    (
        S.PENDING,
        D.GRANT,
        {"stage2_end": date(2025, 10, 31), "major_ncs_raised": True},
        "stage2_limit_passed",
        "9.5.3.2",
    ),
    (S.PENDING, D.GRANT, {"majors_unverified": 1}, "major_nc_unverified", "9.5.2"),
    (S.PENDING, D.GRANT, {"minors_without_accepted_plan": 1}, "minor_plan_not_accepted", "9.5.2"),
    (S.ACTIVE, D.RENEW, {"recertification_audit_completed": False}, "recertification_not_completed", "9.6.3.2.4"),
    (S.ACTIVE, D.RENEW, {"majors_unverified": 2}, "major_nc_unverified", "9.5.2"),
    (S.PENDING, D.GRANT, {"basis_report_issued": False}, "report_not_issued", "9.5.1"),
    (S.ACTIVE, D.RENEW, {"basis_report_issued": False}, "report_not_issued", "9.5.1"),
    (
        S.EXPIRED,
        D.RESTORE_AFTER_EXPIRY,
        {"outstanding_activities_completed": False},
        "recertification_not_completed",
        "9.6.3.2.5",
    ),
    (S.ACTIVE, D.EXTEND_SCOPE, {"extension_audited": False}, "extension_not_audited", "9.6.4.1"),
    (S.SUSPENDED, D.RESTORE, {"issue_resolved": False}, "illegal_transition", "9.6.5.4"),
]


@pytest.mark.parametrize(("state", "decision", "changes", "code", "clause"), REFUSALS)
def test_each_decision_precondition_is_refused_by_the_domain_with_its_code_and_clause(
    state: CertificateState, decision: Decision, changes: dict[str, object], code: str, clause: str
) -> None:
    context = dataclasses.replace(satisfying(decision), **changes)  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition) as raised:
        transition(state, decision, context=context)
    assert raised.value.code == code
    assert raised.value.clause == f"ISO/IEC 17021-1:2015 {clause}"


def test_a_move_the_table_forbids_has_the_code_illegal_transition() -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition(S.WITHDRAWN, D.GRANT, context=satisfying(D.GRANT))
    assert raised.value.code == "illegal_transition"


def test_a_late_grant_is_refused_for_the_stage_2_limit_even_when_the_majors_are_now_verified() -> None:
    late = dataclasses.replace(satisfying(D.GRANT), stage2_end=date(2025, 10, 31), major_ncs_raised=True)
    with pytest.raises(IllegalTransition) as raised:
        transition(S.PENDING, D.GRANT, context=dataclasses.replace(late, majors_unverified=1))
    assert raised.value.code == "stage2_limit_passed"
    assert "by 2026-04-30" in raised.value.message
