"""Text in, domain results out: the one place the CLI, the API and the calculator page turn user input into
calls of the rules engine (``conformo.domain``).

Every function takes what a user typed (strings, or numbers from JSON) and raises a ``DomainError`` whose
message is one sentence naming what is valid; callers print it (CLI), return it as 422 (API) or show it
(page). The public calculators use Conformo's documented defaults (``DEFAULT_SETTINGS``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from conformo.domain.audit_time import (
    COMPLEXITY_LEVELS,
    SUPPORTED_STANDARDS,
    AuditTimeRequest,
    AuditTimeResult,
    check_standard,
    compute_audit_time,
)
from conformo.domain.cycle import CycleDates, cycle_dates, parse_iso_date
from conformo.domain.errors import InvalidInput
from conformo.domain.parsing import parse_adjustment, parse_decimal, parse_personnel, parse_sites
from conformo.domain.personnel import (
    EffectivePersonnel,
    PartTimeGroup,
    PersonnelBreakdown,
    effective_personnel,
)
from conformo.domain.sampling import SamplingResult, sample_sizes
from conformo.domain.settings import DEFAULT_SETTINGS, RepetitiveReduction, RuleSettings
from conformo.domain.trace import to_json_number

Number = str | int | float | Decimal

STANDARD_LABELS: dict[str, str] = {
    "iso-9001-2015": "ISO 9001:2015 (quality, IAF MD 5 Table QMS 1)",
    "iso-14001-2015": "ISO 14001:2015 (environment, IAF MD 5 Table EMS 1)",
    "iso-45001-2018": "ISO 45001:2018 (OH&S, IAF MD 5 Table OH&SMS 1)",
    "iso-iec-27001-2022": "ISO/IEC 27001:2022 (information security, ISO/IEC 27006-1 Table C.1)",
}
"""The standards whose audit time Conformo computes, with the table each uses (page labels)."""

COMPLEXITY_CHOICES: tuple[str, ...] = COMPLEXITY_LEVELS
"""Every complexity category any table knows (EMS: high, medium, low, limited, special; OH&S: high, medium, low)."""


MAX_NUMBER_LENGTH = 30
"""Longest number text accepted: the calculators are public, and a number such as 1e999999999 is refused
before any arithmetic (the domain would try to build a billion-digit integer)."""

MAX_PERSONNEL = 10_000_000
"""Upper bound on effective personnel and on each head count (the tables end at 10,700 persons)."""

MAX_SITES = 1_000_000
"""Upper bound on the number of sites."""

MAX_ADJUSTMENT_PERCENT = 1000
"""Upper bound on the size of one adjustment percent (reductions are cut to 30 % by the rules anyway)."""


def _text(value: Number, what: str = "the value") -> str:
    """A number from JSON or a form as the text the domain parsers read (floats by their shortest repr)."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a number, got {value!r}")
    text = str(value)
    if len(text.strip()) > MAX_NUMBER_LENGTH:
        raise InvalidInput(f"{what} must be a number of at most {MAX_NUMBER_LENGTH} characters")
    return text


MAX_DECIMAL_PLACES = 10


def _at_most(value: Decimal, limit: int, what: str, text: str) -> Decimal:
    """``value`` if it is at most ``limit`` in size with at most 10 decimal places, else ``InvalidInput``.

    Only comparisons here: arithmetic on 1e999999999 would overflow the context, and rendering 1e-999999999
    (the domain's ``fmt``) would write a billion zeros.
    """
    if value > limit or value < -limit:
        raise InvalidInput(f"{what} must be at most {limit:,} in size, got {text.strip()!r}")
    _, digits, exponent = value.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if isinstance(exponent, int) and exponent + trailing_zeros < -MAX_DECIMAL_PLACES:
        raise InvalidInput(f"{what} must have at most {MAX_DECIMAL_PLACES} decimal places, got {text.strip()!r}")
    return value


def _blank(value: Number | None) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def split_ids(values: Iterable[str]) -> tuple[str, ...]:
    """Standard ids from repeated values and/or comma lists (``["iso-9001-2015,iso-14001-2015"]``)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _add_adjustment(adjustments: dict[str, list[Decimal]], standard: str, percent: Decimal) -> None:
    adjustments.setdefault(standard, []).append(percent)


def _adjustments(
    pairs: Iterable[str] = (),
    mapping: Mapping[str, Number | Sequence[Number]] | None = None,
) -> dict[str, Decimal | tuple[Decimal, ...]]:
    """``ID=PERCENT`` strings and/or ``{id: percent or [percents]}`` into the domain's adjustments.

    One standard given several percents keeps them apart (``(+20, -40)``), so the 30 % cap applies to the
    reductions alone (docs/rules.md §7).
    """
    collected: dict[str, list[Decimal]] = {}
    for pair in pairs:
        standard, percent = parse_adjustment(pair)
        what = f"the adjustment for {standard}"
        _add_adjustment(collected, standard, _at_most(percent, MAX_ADJUSTMENT_PERCENT, what, pair.partition("=")[2]))
    for raw_standard, raw in (mapping or {}).items():
        standard = raw_standard.strip()
        check_standard(standard)
        values: Sequence[Number] = (raw,) if isinstance(raw, str | int | float | Decimal) else raw
        for value in values:
            if _blank(value):
                continue
            what = f"the adjustment for {standard}"
            text = _text(value, what)
            _add_adjustment(
                collected, standard, _at_most(parse_decimal(text, what), MAX_ADJUSTMENT_PERCENT, what, text)
            )
    return {
        standard: percents[0] if len(percents) == 1 else tuple(percents) for standard, percents in collected.items()
    }


def audit_time(
    *,
    standards: Iterable[str],
    personnel: Number | None,
    complexity: str | None = None,
    adjust: Iterable[str] = (),
    adjustments: Mapping[str, Number | Sequence[Number]] | None = None,
    integration_percent: Number | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> AuditTimeResult:
    """Audit time from user input: ``adjust`` holds ``ID=PERCENT`` strings, ``adjustments`` a map."""
    ids = split_ids(standards)
    if not ids:
        raise InvalidInput(f"give at least one standard; supported: {', '.join(SUPPORTED_STANDARDS)}")
    for standard in ids:
        check_standard(standard)
    if personnel is None or _blank(personnel):
        raise InvalidInput("give the effective personnel, a number greater than 0 (e.g. 5 or 5.2)")
    text = _text(personnel, "personnel")
    persons = _at_most(parse_personnel(text), MAX_PERSONNEL, "personnel", text)
    level = None if complexity is None or not complexity.strip() else complexity.strip()
    integration = Decimal(0)
    if integration_percent is not None and not _blank(integration_percent):
        what = "the integration reduction"
        text = _text(integration_percent, what)
        integration = _at_most(parse_decimal(text, what), MAX_ADJUSTMENT_PERCENT, what, text)
    request = AuditTimeRequest(
        standards=ids,
        personnel=persons,
        complexity=level,
        adjustments=_adjustments(adjust, adjustments),
        integration_percent=integration,
    )
    return compute_audit_time(request, settings)


def sampling(*, sites: Number | None, settings: RuleSettings = DEFAULT_SETTINGS) -> SamplingResult:
    """IAF MD 1 sample sizes for ``sites`` sites (a whole number of at least 1)."""
    text = "" if sites is None else _text(sites, "the number of sites")
    count = parse_sites(text)
    if count > MAX_SITES:
        raise InvalidInput(f"the number of sites must be at most {MAX_SITES:,}, got {text.strip()!r}")
    return sample_sizes(count, settings)


def cycle(
    *,
    decision_date: str | None,
    stage2_end: str | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> CycleDates:
    """Cycle dates from the certification decision date (and the last day of stage 2, when given)."""
    if decision_date is None or not decision_date.strip():
        raise InvalidInput("give the certification decision date as YYYY-MM-DD (e.g. 2025-03-31)")
    decided = parse_iso_date(decision_date.strip(), "the decision date")
    stage2 = (
        None if stage2_end is None or not stage2_end.strip() else parse_iso_date(stage2_end.strip(), "the stage 2 end")
    )
    return cycle_dates(decided, stage2, settings)


def _whole(value: Number | None, what: str) -> int:
    if value is None or _blank(value):
        return 0
    text = _text(value, what)
    number = _at_most(parse_decimal(text, what), MAX_PERSONNEL, what, text)
    if number != number.to_integral_value() or number < 0:
        raise InvalidInput(f"{what} must be a whole number of persons, 0 or more; got {text!r}")
    return int(number)


def _hours(value: Number) -> Decimal:
    what = "part-time hours per week"
    text = _text(value, what)
    return _at_most(parse_decimal(text, what), MAX_ADJUSTMENT_PERCENT, what, text)


def _reduction(value: str | None) -> RepetitiveReduction | None:
    if value is None or not value.strip():
        return None
    try:
        return RepetitiveReduction(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in RepetitiveReduction)
        raise InvalidInput(f"unknown repetitive-function reduction {value!r}; choose one of: {choices}") from None


def personnel(
    *,
    permanent: Number | None = None,
    temporary: Number | None = None,
    contractors: Number | None = None,
    shift_workers: Number | None = None,
    part_time: Iterable[tuple[Number | None, Number | None]] = (),
    repetitive: Number | None = None,
    repetitive_justification: str = "",
    reduction: str | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> EffectivePersonnel:
    """Effective personnel (IAF MD 5 cl. 2.3) from head counts by type; ``part_time`` is (persons, hours)."""
    groups = []
    for persons, hours in part_time:
        if _blank(persons) and _blank(hours):
            continue
        if hours is None or _blank(hours):
            raise InvalidInput("give the hours per week worked by each group of part-time persons")
        groups.append(
            PartTimeGroup(
                persons=_whole(persons, "part-time persons"),
                hours_per_week=_hours(hours),
            )
        )
    breakdown = PersonnelBreakdown(
        permanent=_whole(permanent, "permanent"),
        temporary=_whole(temporary, "temporary"),
        contractors=_whole(contractors, "contractors"),
        shift_workers=_whole(shift_workers, "shift workers"),
        part_time=tuple(groups),
        repetitive=_whole(repetitive, "repetitive"),
        repetitive_justification=repetitive_justification or "",
    )
    return effective_personnel(breakdown, reduction=_reduction(reduction), settings=settings)


def personnel_as_dict(result: EffectivePersonnel) -> dict[str, Any]:
    """The JSON shape of ``/api/v1/tools/effective-personnel``."""
    return {
        "effective_personnel": to_json_number(result.value),
        "whole_persons": math.ceil(result.value),
        "warnings": list(result.warnings),
        "trace": [step.as_dict() for step in result.trace],
    }
