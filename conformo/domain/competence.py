"""Competence and monitoring of a certification body's personnel (ISO/IEC 17021-1:2015 7.1, 7.2; Annex A).

17021-1 7.1.2 asks for documented competence criteria per function and technical area, 7.1.3 for an evaluation
of initial competence and of its maintenance, and 7.2 (7.2.10–7.2.11 [?]) for monitoring every auditor, on site
(witnessed) at a frequency the CB bases on all its monitoring information — reference/cb-rules.md 8b. The
standard fixes none of the periods below: each is the CB's choice [P] (``CBSettings``), with the defaults here.

- A qualification is valid from the positive evaluation that granted it until ``valid_until`` (the evaluation
  date plus the CB's validity, default ``DEFAULT_VALIDITY_MONTHS``): maintained competence is re-evaluated
  (7.1.3) at least once per certification cycle.
- It lapses when the person has not audited in the standard for ``DEFAULT_LAPSE_MONTHS`` (one 3-year
  certification cycle, 17021-1 9.1.3.2): counted from the later of the last completed audit in the standard and
  the day the qualification became valid (a fresh evaluation restores it).
- Each qualified auditor is witnessed on site at least every ``DEFAULT_WITNESS_MONTHS`` (the practice "many
  accreditation bodies expect": once per 3-year cycle, reference/cb-rules.md 8b [P]), counted from the last
  witnessed audit, or from the first qualification when never witnessed; the plan lists it
  ``DEFAULT_NOTICE_DAYS`` before it falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from conformo.domain.cycle import add_months

SOURCE = "ISO/IEC 17021-1:2015 7.1, 7.2"
DEFAULT_VALIDITY_MONTHS = 36
"""[P] How long a qualification stays valid after the evaluation that granted it (one certification cycle)."""
DEFAULT_LAPSE_MONTHS = 36
"""[P] A qualification lapses after this many months without an audit in its standard (one cycle)."""
DEFAULT_WITNESS_MONTHS = 36
"""[P] Each auditor is witnessed on site at least this often (17021-1 7.2; AB practice: once per cycle)."""
DEFAULT_NOTICE_DAYS = 60
"""[P] Monitoring shows as due this many days before its due date."""
MAX_PERIOD_MONTHS = 120
"""The longest period a CB may set for any of the three (ten years)."""


class QualificationState(StrEnum):
    CURRENT = "current"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class QualificationStatus:
    """A qualification's state on a day, why (words for people) and the day it lapses when still current."""

    state: QualificationState
    reason: str
    lapses_on: date | None

    @property
    def current(self) -> bool:
        return self.state == QualificationState.CURRENT


def qualification_status(
    *, valid_from: date, valid_until: date | None, last_audit: date | None, lapse_months: int, on: date
) -> QualificationStatus:
    """The state of a qualification on ``on``: not yet valid, expired (past ``valid_until``), lapsed (no audit in
    the standard within ``lapse_months`` of the later of ``valid_from`` and ``last_audit``) or current."""
    if on < valid_from:
        return QualificationStatus(QualificationState.NOT_YET_VALID, f"valid only from {valid_from.isoformat()}", None)
    if valid_until is not None and on > valid_until:
        return QualificationStatus(QualificationState.EXPIRED, f"expired on {valid_until.isoformat()}", None)
    anchor = max(valid_from, last_audit) if last_audit is not None else valid_from
    lapses_on = add_months(anchor, lapse_months)
    if on > lapses_on:
        since = (
            f"no audit since {anchor.isoformat()}"
            if last_audit is not None and last_audit >= valid_from
            else f"no audit since it became valid on {valid_from.isoformat()}"
        )
        return QualificationStatus(QualificationState.LAPSED, f"lapsed: {since} ({lapse_months} months)", None)
    return QualificationStatus(QualificationState.CURRENT, "current", lapses_on)


def qualification_valid_until(granted_on: date, validity_months: int) -> date:
    """The last day a qualification granted on ``granted_on`` is valid (the day before the anniversary)."""
    return add_months(granted_on, validity_months) - timedelta(days=1)


class MonitoringState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    SCHEDULED = "scheduled"


@dataclass(frozen=True)
class MonitoringDue:
    """When an auditor's next on-site witnessing is due, and its state on the day asked."""

    due_on: date
    state: MonitoringState


def witness_due(
    *, last_witnessed: date | None, qualified_since: date, interval_months: int, notice_days: int, on: date
) -> MonitoringDue:
    """The next witnessing of an auditor: ``interval_months`` after the last one (or after ``qualified_since``
    when never witnessed); overdue after that day, due soon within ``notice_days`` of it."""
    due_on = add_months(last_witnessed or qualified_since, interval_months)
    if on > due_on:
        state = MonitoringState.OVERDUE
    elif (due_on - on).days <= notice_days:
        state = MonitoringState.DUE_SOON
    else:
        state = MonitoringState.SCHEDULED
    return MonitoringDue(due_on, state)


def witness_anchor_limit(*, interval_months: int, notice_days: int, on: date) -> date:
    """The latest last-witnessed (or qualified-since) day whose monitoring is due soon or overdue on ``on``: a
    database filter ``anchor <= limit`` selects the same auditors as ``witness_due(...).state != SCHEDULED``."""
    limit = add_months(on + timedelta(days=notice_days), -interval_months)
    # add_months clamps to a month's end: step back while the limit's due day would fall after the window
    while add_months(limit, interval_months) > on + timedelta(days=notice_days):
        limit -= timedelta(days=1)
    return limit


def period_refusal(months: int) -> str | None:
    """Why ``months`` cannot be a competence or monitoring period (None when it can)."""
    if not 1 <= months <= MAX_PERIOD_MONTHS:
        return f"A period of 1 to {MAX_PERIOD_MONTHS} months, not {months}."
    return None
