"""Deadlines for answering and verifying audit findings.

The client answers each nonconformity within a time the CB defines (ISO/IEC 17021-1 9.4.9) and the CB
verifies it (9.4.10); the periods per grade are CB settings [P]. Two normative hard stops clip them:

* at an initial audit, majors are verified within 6 months after the last day of stage 2, else stage 2
  is repeated (9.5.3.2);
* at recertification, the time limits fall before the certificate expires (9.6.3.2.2, 9.6.3.2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from conformo.domain.cycle import C17021, major_nc_deadline
from conformo.domain.errors import InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, RuleSettings
from conformo.domain.trace import TraceStep


class Grade(StrEnum):
    """Finding grades. Majors and minors are defined in ISO/IEC 17021-1 3.12 / 3.13; an observation
    (opportunity for improvement) needs no response [P]."""

    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


def parse_grade(grade: Grade | str) -> Grade:
    """A ``Grade`` from its name, or ``InvalidInput`` naming the valid grades."""
    if isinstance(grade, Grade):
        return grade
    try:
        return Grade(grade.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"unknown finding grade {grade!r}; choose one of: {', '.join(g.value for g in Grade)}"
        ) from None


@dataclass(frozen=True, slots=True)
class FindingDeadlines:
    """When the client's response and the CB's verification are due (``None``: not required / next audit)."""

    grade: Grade
    raised_on: date
    response_due: date | None
    verification_due: date | None
    hard_stop: date | None
    warnings: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    def as_dict(self) -> dict[str, Any]:
        def iso(value: date | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "grade": self.grade.value,
            "raised_on": self.raised_on.isoformat(),
            "response_due": iso(self.response_due),
            "verification_due": iso(self.verification_due),
            "hard_stop": iso(self.hard_stop),
            "warnings": list(self.warnings),
            "trace": [step.as_dict() for step in self.trace],
        }


def finding_deadlines(
    grade: Grade | str,
    raised_on: date,
    *,
    stage2_end: date | None = None,
    expires_on: date | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> FindingDeadlines:
    """Response and verification due dates for a finding raised on ``raised_on``.

    Give ``stage2_end`` for a finding of an initial certification (majors stop at stage 2 + 6 months) and
    ``expires_on`` for a finding of a recertification audit (every deadline falls on or before expiry,
    less ``RuleSettings.recertification_margin_days``).
    """
    level = parse_grade(grade)
    steps: list[TraceStep] = []
    warnings: list[str] = []
    if level is Grade.OBSERVATION:
        steps.append(
            TraceStep(
                "observation",
                "an observation / opportunity for improvement needs no response",
                "no definition in ISO/IEC 17021-1; CB practice [P]",
                "no deadline",
            )
        )
        return FindingDeadlines(level, raised_on, None, None, None, (), tuple(steps))
    if level is Grade.MAJOR:
        response_days: int = settings.major_response_days
        verification_days: int | None = settings.major_verification_days
    else:
        response_days = settings.minor_response_days
        verification_days = settings.minor_verification_days
    response = raised_on + timedelta(days=response_days)
    steps.append(
        TraceStep(
            "response due",
            f"raised on + {response_days} days ({level.value}_response_days)",
            f"{C17021} 9.4.9 (time defined by the CB) [N]; period RuleSettings [P]",
            response.isoformat(),
        )
    )
    verification: date | None = None
    if verification_days is None:
        steps.append(
            TraceStep(
                "verification due",
                "verified at the next audit (minor_verification_days = None)",
                f"{C17021} 9.4.10, 9.5.2 (minors: plan accepted, verified later) [N]; timing [P]",
                "next audit",
            )
        )
    else:
        verification = raised_on + timedelta(days=verification_days)
        steps.append(
            TraceStep(
                "verification due",
                f"raised on + {verification_days} days ({level.value}_verification_days)",
                f"{C17021} 9.4.10 [N]; period RuleSettings [P]",
                verification.isoformat(),
            )
        )
    stops: list[tuple[date, str, str]] = []
    if stage2_end is not None and level is Grade.MAJOR:
        stops.append(
            (
                major_nc_deadline(stage2_end, settings),
                f"last day of stage 2 + {settings.major_nc_verification_months} months, else stage 2 is repeated",
                f"{C17021} 9.5.3.2 [N]",
            )
        )
    if expires_on is not None:
        stops.append(
            (
                expires_on - timedelta(days=settings.recertification_margin_days),
                (
                    f"before the certificate expires ({expires_on.isoformat()}), less "
                    f"{settings.recertification_margin_days} days' margin"
                ),
                f"{C17021} 9.6.3.2.2, 9.6.3.2.4 [N]; margin RuleSettings.recertification_margin_days [P]",
            )
        )
    hard_stop: date | None = None
    for stop, rule, source in stops:
        if hard_stop is not None and stop >= hard_stop:
            continue
        hard_stop = stop
        if response > stop:
            response = stop
            steps.append(TraceStep("response clipped by hard stop", rule, source, stop.isoformat()))
        if verification is not None and verification > stop:
            verification = stop
            steps.append(TraceStep("verification clipped by hard stop", rule, source, stop.isoformat()))
    if hard_stop is not None and raised_on > hard_stop:
        warnings.append(
            f"the finding was raised on {raised_on.isoformat()}, after its hard stop {hard_stop.isoformat()}: "
            "the deadline has already passed"
        )
    return FindingDeadlines(
        grade=level,
        raised_on=raised_on,
        response_due=response,
        verification_due=verification,
        hard_stop=hard_stop,
        warnings=tuple(warnings),
        trace=tuple(steps),
    )
