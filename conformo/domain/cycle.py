"""Certification cycle dates (ISO/IEC 17021-1:2015).

From the certification decision date: first surveillance due (9.1.3.3, <= 12 months), second surveillance
due (one audit per calendar year, 9.1.3.3), expiry (3-year cycle, 9.1.3.2; "- 1 day" is a CB convention),
recertification decision due before expiry (9.6.3.2.3/9.6.3.2.4), restoration deadline after expiry
(9.6.3.2.5, 6 months). From the last day of stage 2: the deadline to verify major nonconformities before
another stage 2 is needed (9.5.3.2, 6 months).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from conformo.domain.errors import InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, MonthArithmetic, RuleSettings
from conformo.domain.trace import TraceStep

C17021 = "ISO/IEC 17021-1:2015"


def add_months(
    start: date,
    months: int,
    arithmetic: MonthArithmetic = MonthArithmetic.CLAMP_TO_MONTH_END,
) -> date:
    """``start`` plus ``months`` calendar months (may be negative).

    A day missing in the target month becomes that month's last day (``CLAMP_TO_MONTH_END``, default:
    2024-01-31 + 1 month = 2024-02-29) or the first day of the following month (``ROLL_TO_NEXT_MONTH``).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise InvalidInput(f"{start.isoformat()} + {months} months is outside the calendar (years 1 to 9999)")
    last = calendar.monthrange(year, month0 + 1)[1]
    if start.day <= last:
        return date(year, month0 + 1, start.day)
    if arithmetic is MonthArithmetic.CLAMP_TO_MONTH_END:
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, last) + timedelta(days=1)


def parse_iso_date(text: str, what: str = "date") -> date:
    """A ``YYYY-MM-DD`` date, or ``InvalidInput`` saying what a valid date looks like."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{what} {text!r} is not a real calendar date; give it as YYYY-MM-DD (e.g. 2025-03-31)"
        ) from None


@dataclass(frozen=True, slots=True)
class CycleDates:
    """Due dates of one 3-year certification cycle."""

    decision_date: date
    surveillance_1_due: date
    surveillance_2_due: date
    recertification_due: date
    expires_on: date
    restoration_deadline: date
    major_nc_verification_deadline: date | None
    trace: tuple[TraceStep, ...]

    def as_dict(self) -> dict[str, Any]:
        """Exactly the JSON shape of ``conformo cycle --json`` (dates as ISO strings)."""
        result: dict[str, Any] = {
            "decision_date": self.decision_date.isoformat(),
            "surveillance_1_due": self.surveillance_1_due.isoformat(),
            "surveillance_2_due": self.surveillance_2_due.isoformat(),
            "recertification_due": self.recertification_due.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "restoration_deadline": self.restoration_deadline.isoformat(),
        }
        if self.major_nc_verification_deadline is not None:
            result["major_nc_verification_deadline"] = self.major_nc_verification_deadline.isoformat()
        return result


def expiry_date(decision_date: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """Expiry of a certificate decided on ``decision_date``: + 3 years (- 1 day by default)."""
    anniversary = add_months(decision_date, 12 * settings.validity_years, settings.month_arithmetic)
    return anniversary - timedelta(days=1) if settings.expiry_day_before_anniversary else anniversary


def planning_window_opens(due_by: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """The day an audit due by ``due_by`` enters its planning window: ``planning_window_days`` before its due
    date [P]. From then on it is to be planned (dates and team); the window closes at the due date itself."""
    return due_by - timedelta(days=settings.planning_window_days)


def planning_horizon(today: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """The latest due date whose planning window is open on ``today``: an audit is in its window on ``today``
    exactly when its due date is on or before this day (``planning_window_opens(due_by) <= today``). A query
    selects by this horizon, so a day on which nobody looked is caught up the next day."""
    return today + timedelta(days=settings.planning_window_days)


def major_nc_deadline(stage2_end: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """Last day to verify major nonconformities before stage 2 must be repeated (17021-1 9.5.3.2)."""
    return add_months(stage2_end, settings.major_nc_verification_months, settings.month_arithmetic)


def cycle_dates(
    decision_date: date,
    stage2_end: date | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> CycleDates:
    """The cycle's due dates from the certification decision (and the major-NC deadline from stage 2)."""
    if stage2_end is not None and stage2_end > decision_date:
        raise InvalidInput(
            f"stage 2 cannot end ({stage2_end.isoformat()}) after the certification decision "
            f"({decision_date.isoformat()}); give the last day of stage 2 on or before the decision date"
        )
    months = settings.month_arithmetic
    month_rule = f"calendar months, missing day: {months.value} (RuleSettings.month_arithmetic [P])"
    sv1 = add_months(decision_date, settings.surveillance_1_months, months)
    sv2 = add_months(decision_date, settings.surveillance_2_months, months)
    expires = expiry_date(decision_date, settings)
    recert = expires - timedelta(days=settings.recertification_margin_days)
    restoration = add_months(expires, settings.restoration_months, months)
    steps = [
        TraceStep(
            "first surveillance due",
            f"decision + {settings.surveillance_1_months} months; {month_rule}",
            f"{C17021} 9.1.3.3 (not more than 12 months from the certification decision) [N]",
            sv1.isoformat(),
        ),
        TraceStep(
            "second surveillance due",
            f"decision + {settings.surveillance_2_months} months",
            f"{C17021} 9.1.3.3 (at least once a calendar year) [N]; due date RuleSettings.surveillance_2_months [P]",
            sv2.isoformat(),
        ),
        TraceStep(
            "expiry",
            f"decision + {settings.validity_years} years"
            + (" - 1 day" if settings.expiry_day_before_anniversary else ""),
            f"{C17021} 9.1.3.2, 8.2.2 c) (3-year cycle) [N]; '- 1 day' RuleSettings.expiry_day_before_anniversary [?]",
            expires.isoformat(),
        ),
        TraceStep(
            "recertification decision due",
            f"expiry - {settings.recertification_margin_days} days",
            f"{C17021} 9.6.3.2.3, 9.6.3.2.4 (before expiry) [N]; margin RuleSettings.recertification_margin_days [P]",
            recert.isoformat(),
        ),
        TraceStep(
            "restoration deadline",
            f"expiry + {settings.restoration_months} months",
            f"{C17021} 9.6.3.2.5 (restore within 6 months after expiry) [N]",
            restoration.isoformat(),
        ),
    ]
    major: date | None = None
    if stage2_end is not None:
        major = major_nc_deadline(stage2_end, settings)
        steps.append(
            TraceStep(
                "major nonconformity verification deadline",
                f"last day of stage 2 + {settings.major_nc_verification_months} months, else stage 2 is repeated",
                f"{C17021} 9.5.3.2 [N]",
                major.isoformat(),
            )
        )
    return CycleDates(
        decision_date=decision_date,
        surveillance_1_due=sv1,
        surveillance_2_due=sv2,
        recertification_due=recert,
        expires_on=expires,
        restoration_deadline=restoration,
        major_nc_verification_deadline=major,
        trace=tuple(steps),
    )
