"""Edition transitions on the certification body's side: the window, the transition audit's time, the expiry
cap of an old-edition certificate, validity after the transition end, and the clients at risk of missing it.

Sources (reference/cb-rules.md §8c):

- the transition period of the 2015 revisions of ISO 9001 and ISO 14001 was three years from publication
  (IAF Resolution 2014-11; IAF-ISO joint communiqué) — the standard-level default end;
- old-edition certificates are not valid after the transition end, and an old-edition certificate issued
  during the window has its expiry set no later than the transition end (IAF ID 10:2015, [N] for 2015);
- a transition audit may be combined with a surveillance or a recertification audit, and a successful one
  leads to a new certificate on the new edition keeping the cycle's expiry ([P] CB practice).

The extra audit time of a transition audit is not in the reference (IAF MD 26's figures are [?], not read):
it is the CB's choice (`TransitionPolicy`), with the defaults below marked [P].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from conformo.domain.certificate_states import CertificateState
from conformo.domain.errors import InvalidInput
from conformo.domain.rounding import TieBreak, round_half_day

DEFAULT_EXTRA_PERCENT = Decimal(0)
"""[P] Extra audit time of a transition audit as a share of its base time: none by default."""
DEFAULT_EXTRA_DAYS = Decimal("0.5")
"""[P] Extra audit time of a transition audit in days: half a day by default (the CB's choice; the reference
gives no figure — IAF MD 26, which sets the ISO/IEC 27001:2022 transition audit time, was not read)."""
DEFAULT_RISK_DAYS = 180
"""[P] A client whose transition is not audited and decided is at risk this many days before the end."""
MAX_EXTRA_PERCENT = Decimal(100)
MAX_EXTRA_DAYS = Decimal(20)


def transition_audit_days(
    base: Decimal, *, extra_percent: Decimal, extra_days: Decimal, ties: TieBreak = TieBreak.UP
) -> Decimal:
    """A transition audit's time: its base time (the surveillance or recertification it is combined with,
    or a surveillance's for a separate transition audit) plus `extra_percent` of it plus `extra_days`,
    rounded to the nearest half day (IAF MD 5 2.2.3, as every audit time)."""
    if base < 0 or extra_days < 0 or extra_percent < 0:
        raise InvalidInput("audit time and its extra must be 0 or more")
    if extra_percent > MAX_EXTRA_PERCENT or extra_days > MAX_EXTRA_DAYS:
        raise InvalidInput(f"the extra is at most {MAX_EXTRA_PERCENT} % and {MAX_EXTRA_DAYS} days")
    return round_half_day(base + base * extra_percent / 100 + extra_days, ties)


def capped_expiry(expires_on: date, *, issued_on: date, published_on: date, ends_on: date) -> date:
    """The expiry of a certificate on an old edition: no later than the transition end when issued during the
    window (on or after the new edition's publication) — IAF ID 10:2015 as summarized in cb-rules §8c."""
    if published_on <= issued_on and expires_on > ends_on:
        return ends_on
    return expires_on


def in_window(day: date, *, published_on: date, ends_on: date) -> bool:
    """Whether `day` is inside the transition window (publication to end, both included)."""
    return published_on <= day <= ends_on


def days_left(ends_on: date, today: date) -> int:
    """Days from `today` to the transition end (0 on the last day, negative after it)."""
    return (ends_on - today).days


def transition_ended(ends_on: date | None, today: date) -> bool:
    """Whether a certificate whose edition's transition ends on `ends_on` is past it on `today`."""
    return ends_on is not None and today > ends_on


def edition_state(state: CertificateState, ends_on: date | None, today: date) -> CertificateState:
    """The state to show past a transition end: an active or suspended certificate on the old edition reads
    expired the day after the end (cb-rules §8c: not valid after the transition end), even if no job ran.
    Apply after `effective_state` (the calendar's own expiry)."""
    if state in (CertificateState.ACTIVE, CertificateState.SUSPENDED) and transition_ended(ends_on, today):
        return CertificateState.EXPIRED
    return state


def ended_reason(edition: str, ends_on: date) -> str:
    """The words that say why an old-edition certificate is no longer valid."""
    return f"{edition or 'The certified edition'} transition ended on {ends_on.isoformat()}"


@dataclass(frozen=True, slots=True)
class TransitionAudit:
    """What is known of a client's transition audit: its planned last day (None: not planned), whether it
    is completed, whether the transition is decided (certificate re-issued on the new edition)."""

    planned_end: date | None = None
    completed: bool = False
    decided: bool = False


def at_risk_reason(audit: TransitionAudit | None, *, ends_on: date, today: date, risk_days: int) -> str:
    """Why a client on the old edition is at risk of missing the window ('' when it is not): no transition
    audit planned, or planned after the end, or the end within `risk_days` and the transition not decided."""
    if audit is not None and audit.decided:
        return ""
    if today > ends_on:
        return f"the transition ended on {ends_on.isoformat()}"
    if audit is None or audit.planned_end is None:
        return "no transition audit planned"
    if not audit.completed and audit.planned_end > ends_on:
        return f"the transition audit is planned after the end ({ends_on.isoformat()})"
    if days_left(ends_on, today) <= risk_days:
        return f"{days_left(ends_on, today)} days left and the transition is not decided"
    return ""
