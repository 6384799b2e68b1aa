"""The certificate state machine (ISO/IEC 17021-1:2015 9.5, 9.6.3, 9.6.4, 9.6.5).

``ALLOWED_MOVES`` is the complete table of (state, decision) -> new state; ``transition`` also checks the
conditions each decision needs (``CONDITIONS`` describes them) and raises ``IllegalTransition`` saying why.
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
        D.GRANT: "no major nonconformity left unverified and every minor's plan accepted (9.5.2); if majors "
        "were raised, decided within 6 months after the last day of stage 2 (9.5.3.2)",
        D.REFUSE: "a reason is recorded (9.5.1.2)",
        D.SUSPEND: "a reason is recorded: serious or persistent failure, surveillance or recertification "
        "not allowed at the required frequency, or the client's request (9.6.5.2); not after expiry",
        D.RESTORE: "the issue that caused the suspension is resolved (9.6.5.4), before expiry",
        D.WITHDRAW: "a reason is recorded (9.6.5.4, 9.6.5.6)",
        D.REDUCE_SCOPE: "a reason is recorded and some scope remains (9.6.5.5); from suspended it also "
        "lifts the suspension for the remaining scope (9.6.5.4)",
        D.EXTEND_SCOPE: "the extension was audited and no major nonconformity is left unverified (9.6.4.1)",
        D.RENEW: "recertification audit completed, no major nonconformity left unverified, decided on or "
        "before expiry (9.6.3.2.3, 9.6.3.2.4)",
        D.EXPIRE: "the date is after the expiry date (9.6.3.2.4)",
        D.RESTORE_AFTER_EXPIRY: "outstanding recertification activities completed and no major left "
        "unverified, within 6 months after expiry (9.6.3.2.5)",
    }
)
"""What each decision needs, in words (read by docs and the UI)."""


@dataclass(frozen=True, slots=True)
class TransitionContext:
    """The facts a decision is checked against. Defaults are the cautious answer (e.g. "not completed")."""

    on: date
    """The decision date (for ``expire``: the day the certificate is found expired)."""
    expires_on: date | None = None
    stage2_end: date | None = None
    major_ncs_raised: bool = False
    """Whether major nonconformities were raised at the audit this decision rests on."""
    majors_unverified: int = 0
    minor_plans_accepted: bool = True
    reason: str = ""
    decided_by_audit_team_member: bool = False
    issue_resolved: bool = False
    remaining_scope_items: int | None = None
    extension_audited: bool = False
    recertification_audit_completed: bool = False
    outstanding_activities_completed: bool = False


def _why(decision: Decision, text: str) -> IllegalTransition:
    return IllegalTransition(f"cannot {decision.value.replace('_', ' ')}: {text}")


def _check(decision: Decision, context: TransitionContext, settings: RuleSettings) -> None:
    c = context
    if c.majors_unverified < 0:
        raise InvalidInput("majors_unverified must be 0 or more")
    if decision is not D.EXPIRE and c.decided_by_audit_team_member:
        raise _why(
            decision,
            f"the decision maker was on the audit team; {C17021} 9.5.1.2 requires someone else",
        )
    needs_reason = (D.REFUSE, D.SUSPEND, D.WITHDRAW, D.REDUCE_SCOPE)
    if decision in needs_reason and not c.reason.strip():
        raise _why(decision, "record the reason for the decision")
    if decision in (D.GRANT, D.EXTEND_SCOPE, D.RENEW, D.RESTORE_AFTER_EXPIRY) and c.majors_unverified:
        raise _why(
            decision,
            f"{c.majors_unverified} major nonconformity(ies) not yet verified ({C17021} 9.5.2)",
        )
    expires_on = c.expires_on
    if decision is D.GRANT:
        if not c.minor_plans_accepted:
            raise _why(
                decision,
                f"the action plans of minor nonconformities are not all accepted ({C17021} 9.5.2)",
            )
        if c.major_ncs_raised and c.stage2_end is not None:
            limit = add_months(
                c.stage2_end,
                settings.major_nc_verification_months,
                settings.month_arithmetic,
            )
            if c.on > limit:
                raise _why(
                    decision,
                    f"majors were not verified by {limit.isoformat()}, 6 months after stage 2; another stage 2 "
                    f"is required ({C17021} 9.5.3.2)",
                )
    elif decision in (D.SUSPEND, D.RESTORE, D.RENEW, D.EXPIRE, D.RESTORE_AFTER_EXPIRY):
        if expires_on is None:
            raise _why(decision, "the certificate's expiry date is needed")
        if decision in (D.SUSPEND, D.RESTORE) and c.on > expires_on:
            raise _why(
                decision,
                f"the certificate expired on {expires_on.isoformat()}; it can only expire now",
            )
        if decision is D.RESTORE and not c.issue_resolved:
            raise _why(
                decision,
                f"the issue that caused the suspension is not resolved ({C17021} 9.6.5.4)",
            )
        if decision is D.RENEW:
            if not c.recertification_audit_completed:
                raise _why(
                    decision,
                    f"the recertification audit is not completed ({C17021} 9.6.3.2.4)",
                )
            if c.on > expires_on:
                raise _why(
                    decision,
                    f"the certificate expired on {expires_on.isoformat()}; restore it after expiry instead "
                    f"({C17021} 9.6.3.2.5)",
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
                )
            if not c.outstanding_activities_completed:
                raise _why(
                    decision,
                    f"outstanding recertification activities are not completed ({C17021} 9.6.3.2.5)",
                )
    elif decision is D.REDUCE_SCOPE:
        if c.remaining_scope_items is None or c.remaining_scope_items < 1:
            raise _why(decision, "no scope would remain; withdraw the certification instead")
    elif decision is D.EXTEND_SCOPE and not c.extension_audited:
        raise _why(decision, f"the extension of scope has not been audited ({C17021} 9.6.4.1)")


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
