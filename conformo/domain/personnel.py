"""Effective number of personnel (IAF MD 5 cl. 2.3; ISO/IEC 27006-1 C.3.4 for ISMS).

Everyone within the scope counts: permanent staff, temporary staff, contractors' personnel working under
the organization's control, and the people of every shift [N]; part-time staff are converted to full-time
equivalents by hours worked [N]. Personnel doing similar, repetitive, simple functions may be counted
with a reduction the CB must justify (cl. 2.3.4) [N]; the formula is the CB's (``RuleSettings``) [?].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from conformo.domain.errors import InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, RepetitiveReduction, RuleSettings
from conformo.domain.trace import TraceStep, fmt

MD5_PERSONNEL = "IAF MD 5:2019 cl. 2.3"


@dataclass(frozen=True, slots=True)
class PartTimeGroup:
    """``persons`` part-time staff who each work ``hours_per_week`` hours."""

    persons: int
    hours_per_week: Decimal


@dataclass(frozen=True, slots=True)
class PersonnelBreakdown:
    """Head counts within the scope of certification, by type.

    ``repetitive`` is the number of the whole-person counts (permanent, temporary, contractors, shift
    workers) who perform similar, repetitive, simple functions; it is a subset, not an addition.
    """

    permanent: int = 0
    temporary: int = 0
    contractors: int = 0
    shift_workers: int = 0
    part_time: tuple[PartTimeGroup, ...] = ()
    repetitive: int = 0
    repetitive_justification: str = ""


@dataclass(frozen=True, slots=True)
class EffectivePersonnel:
    """The effective number of personnel (possibly fractional) and how it was reached."""

    value: Decimal
    trace: tuple[TraceStep, ...]
    warnings: tuple[str, ...] = ()


def _count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{name} must be a whole number of persons, 0 or more; got {value!r}")
    return value


def effective_personnel(
    breakdown: PersonnelBreakdown,
    *,
    reduction: RepetitiveReduction | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> EffectivePersonnel:
    """Effective personnel from a breakdown by type; ``reduction`` overrides the CB's default method."""
    method = settings.repetitive_reduction if reduction is None else reduction
    whole = {
        "permanent": _count("permanent", breakdown.permanent),
        "temporary": _count("temporary", breakdown.temporary),
        "contractors": _count("contractors", breakdown.contractors),
        "shift workers": _count("shift workers", breakdown.shift_workers),
    }
    repetitive = _count("repetitive", breakdown.repetitive)
    steps: list[TraceStep] = []
    warnings: list[str] = []
    total = Decimal(0)
    for label, count in whole.items():
        total += count
        if count:
            steps.append(
                TraceStep(
                    step=f"count {label}",
                    rule="all personnel within the scope count, including contractors under the "
                    "organization's control and every shift",
                    source=MD5_PERSONNEL,
                    value=f"{count} persons",
                )
            )
    hours = settings.full_time_hours_per_week
    for group in breakdown.part_time:
        persons = _count("part-time persons", group.persons)
        if not group.hours_per_week.is_finite() or group.hours_per_week <= 0:
            raise InvalidInput(f"part-time hours per week must be above 0, got {group.hours_per_week}")
        if group.hours_per_week > hours:
            raise InvalidInput(
                f"part-time hours per week ({fmt(group.hours_per_week)}) exceed the full-time week "
                f"({fmt(hours)}); count these persons as permanent"
            )
        equivalent = persons * group.hours_per_week / hours
        total += equivalent
        steps.append(
            TraceStep(
                step="convert part-time to full-time equivalents",
                rule=f"{persons} persons x {fmt(group.hours_per_week)} h / {fmt(hours)} h full-time week",
                source=f"{MD5_PERSONNEL} (part-time converted by hours); full-time week: CB setting [P]",
                value=f"{fmt(equivalent)} persons",
            )
        )
    whole_total = sum(whole.values())
    if repetitive > whole_total:
        raise InvalidInput(
            f"repetitive-function personnel ({repetitive}) cannot exceed the whole-person head count "
            f"({whole_total}: permanent, temporary, contractors, shift workers)"
        )
    if repetitive and method is not RepetitiveReduction.NONE:
        if not breakdown.repetitive_justification.strip():
            raise InvalidInput(
                "a repetitive-function reduction needs a written justification (IAF MD 5 cl. 2.3.4); "
                "give one or choose reduction 'none'"
            )
        if method is RepetitiveReduction.WEIGHT:
            counted = repetitive * settings.repetitive_function_weight
            rule = f"{repetitive} persons x weight {fmt(settings.repetitive_function_weight)}"
            source = "IAF MD 5:2019 cl. 2.3.4 allows it; weight: CB setting [P]"
        else:
            counted = Decimal(math.isqrt(repetitive - 1) + 1)
            rule = f"ceil(sqrt({repetitive})) persons, the maximum reduction"
            source = "ISO/IEC 27006-1:2024 C.3.4 [N for ISMS]; for MD 5 standards a CB setting [P]"
        total = total - repetitive + counted
        steps.append(
            TraceStep(
                step="reduce repetitive-function personnel",
                rule=f"{rule}; justification: {breakdown.repetitive_justification.strip()}",
                source=source,
                value=f"{fmt(counted)} persons instead of {repetitive}",
            )
        )
    if total <= 0:
        raise InvalidInput("effective personnel must be above 0; give at least one person within the scope")
    steps.append(
        TraceStep(
            step="effective personnel",
            rule="sum of the counts above",
            source=MD5_PERSONNEL,
            value=f"{fmt(total)} persons",
        )
    )
    return EffectivePersonnel(value=total, trace=tuple(steps), warnings=tuple(warnings))
