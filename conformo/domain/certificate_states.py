"""The certificate state machine (ISO/IEC 17021-1:2015 9.5, 9.6.3, 9.6.4, 9.6.5).

``ALLOWED_MOVES`` is the complete table of (state, decision) -> new state; ``transition`` also checks the
conditions each decision needs (``CONDITIONS`` describes them) and raises ``IllegalTransition`` saying why,
with a ``code`` (``illegal_transition`` for the table and the state machine's own conditions; a code of its
own, e.g. ``major_nc_unverified``, for each precondition of a decision) and the clause. This is the only place
these rules are checked: the caller (``certification.services.decision_take``) gathers the facts into a
``TransitionContext`` and maps the code to its own error type.
Every decision except ``expire`` (which follows from the calendar) is taken by a person independent of
the audit team (9.5.1.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from conformo.domain.cycle import C17021, add_months
from conformo.domain.errors import IllegalTransition, InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, RuleSettings


class CertificateState(StrEnum):
    """Where a certification stands. The public names follow IAF CertSearch (active, suspended,
    withdrawn, expired); ``pending`` and ``refused`` come before any certificate exists."""

    PENDING = "pending"
    """Audits done, certification decision not yet taken."""
    ACTIVE = "active"
    SUSPENDED = "suspended"
    """Temporarily invalid (9.6.5.3)."""
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REFUSED = "refused"


class Decision(StrEnum):
    """Certification decisions (9.5.1.2) and the calendar event ``expire``."""

    GRANT = "grant"
    REFUSE = "refuse"
    SUSPEND = "suspend"
    RESTORE = "restore"
    WITHDRAW = "withdraw"
    REDUCE_SCOPE = "reduce_scope"
    EXTEND_SCOPE = "extend_scope"
    RENEW = "renew"
    EXPIRE = "expire"
    RESTORE_AFTER_EXPIRY = "restore_after_expiry"
    TRANSITION = "transition"
    """Move the certification to a new edition of its standard after a successful transition audit
    (cb-rules §8c; ``conformo.domain.transitions``)."""


S, D = CertificateState, Decision

ALLOWED_MOVES: Mapping[tuple[CertificateState, Decision], CertificateState] = MappingProxyType(
    {
        (S.PENDING, D.GRANT): S.ACTIVE,
        (S.PENDING, D.REFUSE): S.REFUSED,
        (S.ACTIVE, D.SUSPEND): S.SUSPENDED,
        (S.ACTIVE, D.WITHDRAW): S.WITHDRAWN,
        (S.ACTIVE, D.REDUCE_SCOPE): S.ACTIVE,
        (S.ACTIVE, D.EXTEND_SCOPE): S.ACTIVE,
        (S.ACTIVE, D.RENEW): S.ACTIVE,
        (S.ACTIVE, D.EXPIRE): S.EXPIRED,
        (S.ACTIVE, D.TRANSITION): S.ACTIVE,
        (S.SUSPENDED, D.RESTORE): S.ACTIVE,
        (S.SUSPENDED, D.WITHDRAW): S.WITHDRAWN,
        (S.SUSPENDED, D.REDUCE_SCOPE): S.ACTIVE,
        (S.SUSPENDED, D.EXPIRE): S.EXPIRED,
        (S.EXPIRED, D.RESTORE_AFTER_EXPIRY): S.ACTIVE,
    }
)
"""Every legal move; anything else raises ``IllegalTransition``. Withdrawn and refused are final;
an expired certification comes back only by restoration within 6 months (after that: a new initial
certification, i.e. a new certificate)."""

CONDITIONS: Mapping[Decision, str] = MappingProxyType(
    {
        D.GRANT: "stage 2 (or the transfer review) completed and its report issued with a recommendation "
        "(9.5.1), no major nonconformity left unverified and every "
        "minor's plan accepted (9.5.2); if majors were raised, decided within 6 months after the last day of "
        "stage 2 (9.5.3.2)",
        D.REFUSE: "a reason is recorded (9.5.1.2)",
        D.SUSPEND: "a reason is recorded: serious or persistent failure, surveillance or recertification "
        "not allowed at the required frequency, or the client's request (9.6.5.2); not after expiry",
        D.RESTORE: "the issue that caused the suspension is resolved (9.6.5.4), before expiry",
        D.WITHDRAW: "a reason is recorded (9.6.5.4, 9.6.5.6)",
        D.REDUCE_SCOPE: "a reason is recorded and some scope remains (9.6.5.5); from suspended it also "
        "lifts the suspension for the remaining scope (9.6.5.4)",
        D.EXTEND_SCOPE: "the extension was audited and no major nonconformity is left unverified (9.6.4.1)",
        D.RENEW: "recertification audit completed and its report issued with a recommendation (9.5.1), "
        "no major nonconformity left unverified, decided on or "
        "before expiry (9.6.3.2.3, 9.6.3.2.4)",
        D.EXPIRE: "the date is after the expiry date (9.6.3.2.4)",
        D.RESTORE_AFTER_EXPIRY: "outstanding recertification activities completed and no major left "
        "unverified, within 6 months after expiry (9.6.3.2.5)",
        D.TRANSITION: "a transition audit against the new edition completed and its report issued with a "
        "recommendation, no major nonconformity of it left unverified, before expiry (cb-rules §8c)",
    }
)
"""What each decision needs, in words (read by docs and the UI)."""


@dataclass(frozen=True, slots=True)
class TransitionContext:
    """The facts a decision is checked against, gathered by the caller (plain values, no judgement).
    Defaults are the cautious answer (e.g. "not completed")."""

    on: date
    """The decision date (for ``expire``: the day the certificate is found expired)."""
    expires_on: date | None = None
    stage2_completed: bool = False
    """Whether the audit a grant rests on (stage 2, or the transfer review) is completed."""
    stage2_end: date | None = None
    """The last day of that audit."""
    major_ncs_raised: bool = False
    """Whether major nonconformities were raised at the audit this decision rests on."""
    majors_unverified: int = 0
    """Major nonconformities of that audit whose correction and corrective action are not yet verified."""
    minors_without_accepted_plan: int = 0
    """Minor nonconformities of that audit whose action plan is not yet accepted."""
    reason: str = ""
    decided_by_audit_team_member: bool = False
    issue_resolved: bool = False
    remaining_scope_items: int | None = None
    extension_audited: bool = False
    recertification_audit_completed: bool = False
    outstanding_activities_completed: bool = False
    basis_report_issued: bool = False
    """Whether the report a grant or renewal rests on (the stage 2 or transfer review report; the
    recertification report) is issued with the audit team's recommendation (9.4.8, 9.5.1)."""
    transition_audit_completed: bool = False
    """Whether the transition audit against the new edition is completed (a transition decision)."""


def _why(decision: Decision, text: str, clause: str = "") -> IllegalTransition:
    """A refusal of a condition the state machine itself states (code ``illegal_transition``)."""
    return IllegalTransition(f"cannot {decision.value.replace('_', ' ')}: {text}", clause=clause)


def _refusal(code: str, text: str, clause: str = "") -> IllegalTransition:
    """A refusal with its own code, e.g. ``major_nc_unverified``; the text is the whole message."""
    return IllegalTransition(text, code=code, clause=clause)


def _majors_unverified(decision: Decision, count: int) -> IllegalTransition:
    if decision is D.GRANT:
        text = (
            f"{count} major nonconformity(ies) not yet verified; the decision must wait until correction and "
            f"corrective action are verified ({C17021} 9.5.2)"
        )
    elif decision is D.EXTEND_SCOPE:
        text = f"{count} major nonconformity(ies) of the scope extension audit not yet verified ({C17021} 9.6.4.1)"
    else:
        text = f"{count} major nonconformity(ies) of the recertification audit not yet verified ({C17021} 9.6.3.2.4)"
    return _refusal("major_nc_unverified", text, f"{C17021} 9.5.2")


def _check(decision: Decision, context: TransitionContext, settings: RuleSettings) -> None:
    c = context
    if c.majors_unverified < 0 or c.minors_without_accepted_plan < 0:
        raise InvalidInput("the numbers of nonconformities must be 0 or more")
    if decision is not D.EXPIRE and c.decided_by_audit_team_member:
        raise _refusal(
            "decision_maker_on_team",
            "the decision maker was on an audit team of this certification cycle; the decision must be taken by "
            f"someone else ({C17021} 9.5.1.2)",
            f"{C17021} 9.5.1.2",
        )
    needs_reason = (D.REFUSE, D.SUSPEND, D.WITHDRAW, D.REDUCE_SCOPE)
    if decision in needs_reason and not c.reason.strip():
        raise _refusal("reason_required", "record the reason for the decision", f"{C17021} 9.5.1.2")
    expires_on = c.expires_on
    if decision is D.GRANT:
        if not c.stage2_completed:
            raise _refusal(
                "stage2_not_completed", "the certification decision needs a completed stage 2 audit", f"{C17021} 9.5.2"
            )
        if c.major_ncs_raised and c.stage2_end is not None:
            limit = add_months(c.stage2_end, settings.major_nc_verification_months, settings.month_arithmetic)
            if c.on > limit:
                raise _refusal(
                    "stage2_limit_passed",
                    f"major nonconformities were not verified within {settings.major_nc_verification_months} months "
                    f"after stage 2 (by {limit.isoformat()}); a new stage 2 is required ({C17021} 9.5.3.2)",
                    f"{C17021} 9.5.3.2",
                )
    if decision in (D.GRANT, D.EXTEND_SCOPE, D.RENEW, D.RESTORE_AFTER_EXPIRY):
        if decision is D.EXTEND_SCOPE and not c.extension_audited:
            raise _refusal(
                "extension_not_audited",
                f"the extension of scope has not been audited ({C17021} 9.6.4.1)",
                f"{C17021} 9.6.4.1",
            )
        if decision is D.RENEW and not c.recertification_audit_completed:
            raise _refusal(
                "recertification_not_completed",
                f"the recertification audit is not completed ({C17021} 9.6.3.2.4)",
                f"{C17021} 9.6.3.2.4",
            )
        if decision is D.RESTORE_AFTER_EXPIRY and not c.outstanding_activities_completed:
            raise _refusal(
                "recertification_not_completed",
                f"outstanding recertification activities are not completed ({C17021} 9.6.3.2.5)",
                f"{C17021} 9.6.3.2.5",
            )
        if c.majors_unverified:
            raise _majors_unverified(decision, c.majors_unverified)
    if decision is D.GRANT and c.minors_without_accepted_plan:
        raise _refusal(
            "minor_plan_not_accepted",
            f"{c.minors_without_accepted_plan} minor nonconformity(ies) have no accepted action plan yet "
            f"({C17021} 9.5.2)",
            f"{C17021} 9.5.2",
        )
    if decision is D.TRANSITION:
        if not c.transition_audit_completed:
            raise _refusal(
                "transition_audit_not_completed", "the transition audit against the new edition is not completed"
            )
        if c.majors_unverified:
            raise _refusal(
                "major_nc_unverified",
                f"{c.majors_unverified} major nonconformity(ies) of the transition audit not yet verified",
                f"{C17021} 9.5.2",
            )
        if c.expires_on is not None and c.on > c.expires_on:
            raise _why(decision, f"the certificate expired on {c.expires_on.isoformat()}")
    if decision in (D.GRANT, D.RENEW, D.TRANSITION) and not c.basis_report_issued:
        audit = {D.GRANT: "stage 2 (or transfer review)", D.RENEW: "recertification"}.get(decision, "transition")
        raise _refusal(
            "report_not_issued",
            f"the decision rests on the issued {audit} audit report with the team's recommendation; "
            f"it is not issued yet ({C17021} 9.5.1)",
            f"{C17021} 9.5.1",
        )
    if decision in (D.SUSPEND, D.RESTORE, D.RENEW, D.EXPIRE, D.RESTORE_AFTER_EXPIRY):
        if expires_on is None:
            raise _why(decision, "the certificate's expiry date is needed")
        if decision in (D.SUSPEND, D.RESTORE) and c.on > expires_on:
            raise _why(decision, f"the certificate expired on {expires_on.isoformat()}; it can only expire now")
        if decision is D.RESTORE and not c.issue_resolved:
            raise _why(
                decision,
                f"the issue that caused the suspension is not resolved ({C17021} 9.6.5.4)",
                f"{C17021} 9.6.5.4",
            )
        if decision is D.RENEW and c.on > expires_on:
            raise _why(
                decision,
                f"the certificate expired on {expires_on.isoformat()}; restore it after expiry instead "
                f"({C17021} 9.6.3.2.5)",
                f"{C17021} 9.6.3.2.5",
            )
        if decision is D.EXPIRE and c.on <= expires_on:
            raise _why(decision, f"the certificate is valid until {expires_on.isoformat()}")
        if decision is D.RESTORE_AFTER_EXPIRY:
            limit = add_months(expires_on, settings.restoration_months, settings.month_arithmetic)
            if c.on > limit:
                raise _why(
                    decision,
                    f"the restoration deadline {limit.isoformat()} has passed; a new initial certification "
                    f"(at least stage 2) is required ({C17021} 9.6.3.2.5)",
                    f"{C17021} 9.6.3.2.5",
                )
    elif decision is D.REDUCE_SCOPE and (c.remaining_scope_items is None or c.remaining_scope_items < 1):
        raise _why(decision, "no scope would remain; withdraw the certification instead", f"{C17021} 9.6.5.5")


def allowed_decisions(state: CertificateState) -> tuple[Decision, ...]:
    """The decisions the table allows from ``state`` (conditions aside)."""
    return tuple(decision for (source, decision) in ALLOWED_MOVES if source is state)


def transition(
    state: CertificateState,
    decision: Decision,
    *,
    context: TransitionContext,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> CertificateState:
    """The state after ``decision``; ``IllegalTransition`` says why when the move or its conditions fail."""
    target = ALLOWED_MOVES.get((state, decision))
    if target is None:
        choices = allowed_decisions(state)
        allowed = (
            f"the allowed decisions are: {', '.join(d.value for d in choices)}"
            if choices
            else "no decision is allowed (final state)"
        )
        raise IllegalTransition(
            f"cannot {decision.value.replace('_', ' ')} a certificate that is {state.value}; "
            f"from {state.value} {allowed}"
        )
    _check(decision, context, settings)
    return target


def effective_state(state: CertificateState, expires_on: date | None, today: date) -> CertificateState:
    """The state to show on ``today``: active or suspended past the expiry date reads as expired, even if
    no job has recorded the ``expire`` move yet."""
    if state in (S.ACTIVE, S.SUSPENDED) and expires_on is not None and today > expires_on:
        return S.EXPIRED
    return state


ENDED_STATES = frozenset({S.WITHDRAWN, S.EXPIRED, S.REFUSED})
"""States in which the certification is over: no audit of its programme is due any more."""


def certification_ended(state: CertificateState, expires_on: date | None, today: date) -> bool:
    """True when the certification is over on ``today``: withdrawn (9.6.5.4), refused (9.5.1.2) or expired
    (9.6.3.2.4, read from the calendar by ``effective_state``). Its programme's open audits are then no longer
    overdue and it is no longer a candidate for suspension; an expired certification may still be restored
    within 6 months after a recertification audit (9.6.3.2.5), so expiry retires nothing by itself."""
    return effective_state(state, expires_on, today) in ENDED_STATES


def suspension_overdue(suspended_on: date, today: date, settings: RuleSettings = DEFAULT_SETTINGS) -> bool:
    """True when a suspension has lasted longer than ``suspension_max_months`` (9.6.5.4 NOTE: "in most
    cases the suspension would not exceed 6 months") - a prompt to restore, reduce or withdraw."""
    return today > add_months(suspended_on, settings.suspension_max_months, settings.month_arithmetic)
