"""Audit time (initial, surveillance, recertification) for one or several standards.

Rules, in order (each is a step of the result's trace):

1. Effective personnel rounded up to whole persons for the band look-up.
2. Table value per standard: IAF MD 5 Table QMS 1, EMS 1 (by complexity), OH&SMS 1 (by complexity);
   ISO/IEC 27006-1 Table C.1 for ISMS. Above 10,700 persons "follow progression" (``Extrapolation``).
3. Per-standard adjustments in percent: the reductions together are capped at 30 % (cut, with a warning);
   increases are not capped (IAF MD 5).
4. Several standards: sum of the adjusted times, then the IAF MD 11 integration reduction, capped at 20 %.
5. Initial time rounded to the nearest half day (MD 5 cl. 2.2.3); surveillance 1/3 (cl. 5) and
   recertification 2/3 (cl. 6) of it, rounded the same way; on-site at least 80 % (cl. 4.1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from conformo.domain.errors import CaseByCase, InvalidInput
from conformo.domain.rounding import round_half_day
from conformo.domain.settings import DEFAULT_SETTINGS, Extrapolation, RuleSettings
from conformo.domain.tables import AuditTimeTable, load_tables
from conformo.domain.trace import TraceStep, fmt, to_json_number

QMS = "iso-9001-2015"
EMS = "iso-14001-2015"
OHS = "iso-45001-2018"
ISMS = "iso-iec-27001-2022"

SUPPORTED_STANDARDS: tuple[str, ...] = (QMS, EMS, OHS, ISMS)
"""Standards whose audit time Conformo computes."""

CATALOG_STANDARDS: tuple[str, ...] = (
    QMS,
    EMS,
    OHS,
    ISMS,
    "iso-22301-2019",
    "iso-22000-2018",
    "iso-13485-2016",
)
"""Every standard id of Conformo's catalog."""

COMPLEXITY_LEVELS: tuple[str, ...] = ("high", "medium", "low", "limited", "special")
"""Every complexity category any table knows (MD 5 EMS has five; OH&S three)."""

MD5 = "IAF MD 5:2019"
MD11 = "IAF MD 11:2019"
REDUCTION_CAP_SOURCE = f"{MD5} (30 % cap, quoted in IAF MD 1:2018 cl. 7.3.1 and EA FAQ 37.5)"

Adjustment = Decimal | Sequence[Decimal]


@dataclass(frozen=True, slots=True)
class AuditTimeRequest:
    """What the audit time is computed from.

    ``adjustments`` maps a standard id to a percent (negative = reduction), or to several percents kept
    apart (e.g. ``(Decimal(10), Decimal(-35))``) so that the 30 % cap applies to the reductions alone.
    ``complexity`` applies to the standards whose table has complexity columns (EMS, OH&S);
    ``complexity_by_standard`` overrides it per standard. ``integration_percent`` is the IAF MD 11
    reduction (0 to 20) for a combined audit of several standards.
    """

    standards: tuple[str, ...]
    personnel: Decimal
    complexity: str | None = None
    adjustments: Mapping[str, Adjustment] = field(default_factory=lambda: MappingProxyType({}))
    integration_percent: Decimal = Decimal(0)
    complexity_by_standard: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class StandardTime:
    """Audit time of one standard: table value, net adjustment applied, adjusted days (not rounded)."""

    id: str
    table_id: str
    complexity: str | None
    table_days: Decimal
    adjustment_percent: Decimal
    days: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "table_days": to_json_number(self.table_days),
            "adjustment_percent": to_json_number(self.adjustment_percent),
            "days": to_json_number(self.days),
        }


@dataclass(frozen=True, slots=True)
class AuditTimeResult:
    """Audit time with its justification (``trace``) and ``warnings`` for the auditor to act on."""

    standards: tuple[StandardTime, ...]
    persons: int
    integration_percent: Decimal
    total_days: Decimal
    initial_days: Decimal
    surveillance_days: Decimal
    recertification_days: Decimal
    minimum_onsite_days: Decimal
    warnings: tuple[str, ...]
    trace: tuple[TraceStep, ...]
    warning_codes: tuple[str, ...] = ()
    """A stable code for each of ``warnings``, in the same order: ``above_table``, ``reduction_capped``,
    ``integration_capped``, ``complexity_unused`` (not part of the calculator's JSON)."""

    def as_dict(self) -> dict[str, Any]:
        """Exactly the JSON shape of ``conformo audit-time --json``."""
        return {
            "standards": [standard.as_dict() for standard in self.standards],
            "initial_days": to_json_number(self.initial_days),
            "surveillance_days": to_json_number(self.surveillance_days),
            "recertification_days": to_json_number(self.recertification_days),
            "minimum_onsite_days": to_json_number(self.minimum_onsite_days),
            "warnings": list(self.warnings),
            "trace": [step.as_dict() for step in self.trace],
        }


def check_standard(standard: str) -> AuditTimeTable:
    """The table for ``standard``, or ``InvalidInput`` naming the supported ids."""
    tables = load_tables()
    if standard in tables:
        return tables[standard]
    supported = ", ".join(SUPPORTED_STANDARDS)
    if standard in CATALOG_STANDARDS:
        raise InvalidInput(
            f"audit time for {standard} is not covered by IAF MD 5 / ISO/IEC 27006-1; supported: {supported}"
        )
    raise InvalidInput(f"unknown standard {standard!r}; supported for audit time: {supported}")


def _check_finite(value: Decimal, what: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(f"{what} must be a finite number, got {value!r}")
    return value


def _persons(personnel: Decimal) -> int:
    _check_finite(personnel, "personnel")
    if personnel <= 0:
        raise InvalidInput(f"personnel must be a number greater than 0, got {fmt(personnel)}")
    return math.ceil(personnel)


def _complexity_for(table: AuditTimeTable, standard: str, request: AuditTimeRequest) -> str | None:
    raw = request.complexity_by_standard.get(standard, request.complexity)
    if raw is None:
        if table.has_complexity:
            raise InvalidInput(
                f"{standard} needs a complexity (Table {table.id}); choose one of: {', '.join(table.columns)}"
            )
        return None
    level = raw.strip().lower()
    if level not in COMPLEXITY_LEVELS:
        raise InvalidInput(f"unknown complexity {raw!r}; choose one of: {', '.join(COMPLEXITY_LEVELS[:4])}")
    if not table.has_complexity:
        return None
    if level in table.case_by_case_columns:
        raise CaseByCase(
            f"complexity {level!r} for {standard} has no column in {table.source.clause}; the CB determines "
            f"its audit time case by case (valid table columns: {', '.join(table.columns)})"
        )
    if level not in table.columns:
        raise InvalidInput(
            f"complexity {level!r} is not a category of {table.source.clause}; "
            f"choose one of: {', '.join(table.columns)}"
        )
    return level


def _table_days(
    table: AuditTimeTable,
    column: str,
    persons: int,
    settings: RuleSettings,
    steps: list[TraceStep],
    warnings: list[tuple[str, str]],
    standard: str,
) -> Decimal:
    label = f"{table.source.clause}" + (f", column {column}" if column != "days" else "")
    if persons <= table.max_personnel:
        band = table.band_for(persons)
        days = band.days[column]
        steps.append(
            TraceStep(
                step=f"table value for {standard}",
                rule=f"{persons} persons fall in band {band.low}-{band.high}",
                source=label,
                value=f"{fmt(days)} days",
            )
        )
        return days
    last, before = table.bands[-1], table.bands[-2]
    last_days = last.days[column]
    method = settings.above_table
    if method is Extrapolation.REFUSE:
        raise CaseByCase(
            f"{persons} persons is above the last band of {table.source.clause} ({table.max_personnel}); "
            "the table says 'follow progression', so the CB determines this audit time case by case"
        )
    if method is Extrapolation.HOLD_LAST_BAND:
        days = last_days
        rule = f"above {table.max_personnel} persons: held at the last band's value (CB setting)"
    else:
        width = last.high - last.low + 1
        step = last_days - before.days[column]
        blocks = -(-(persons - last.high) // width)
        days = last_days + blocks * step
        rule = (
            f"above {table.max_personnel} persons: last band {fmt(last_days)} days + {blocks} further "
            f"block(s) of {width} persons x {fmt(step)} day(s), the last band's step (CB setting)"
        )
    warnings.append(
        (
            "above_table",
            f"{persons} persons is above the last band of {table.source.clause} ({table.max_personnel}); "
            f"the table says 'follow progression' and {fmt(days)} days is the CB's documented extrapolation "
            f"({method.value}) - justify it in the audit programme",
        )
    )
    steps.append(
        TraceStep(
            step=f"table value for {standard}",
            rule=rule,
            source=f"{label} 'follow progression' [N]; extrapolation method: RuleSettings.above_table [P]",
            value=f"{fmt(days)} days",
        )
    )
    return days


def _percents(standard: str, raw: Adjustment) -> tuple[Decimal, ...]:
    values = (raw,) if isinstance(raw, Decimal) else tuple(raw)
    for value in values:
        _check_finite(value, f"the adjustment for {standard}")
    return values


def _adjust(
    standard: str,
    table_days: Decimal,
    raw: Adjustment | None,
    settings: RuleSettings,
    steps: list[TraceStep],
    warnings: list[tuple[str, str]],
) -> tuple[Decimal, Decimal]:
    if raw is None:
        return Decimal(0), table_days
    percents = _percents(standard, raw)
    increases = sum((p for p in percents if p > 0), Decimal(0))
    reductions = -sum((p for p in percents if p < 0), Decimal(0))
    cap = settings.max_reduction_percent
    if reductions > cap:
        warnings.append(
            (
                "reduction_capped",
                f"the reductions for {standard} ({fmt(reductions)} %) exceed the {fmt(cap)} % cap of IAF MD 5 "
                f"and were cut to {fmt(cap)} %",
            )
        )
        steps.append(
            TraceStep(
                step=f"cap reductions for {standard}",
                rule=f"reductions from the table value together at most {fmt(cap)} %; "
                f"{fmt(reductions)} % cut to {fmt(cap)} %",
                source=REDUCTION_CAP_SOURCE,
                value=f"-{fmt(cap)} %",
            )
        )
        reductions = cap
    net = increases - reductions
    days = table_days * (100 + net) / 100
    steps.append(
        TraceStep(
            step=f"adjust {standard}",
            rule=f"{fmt(table_days)} days x (100 {'+' if net >= 0 else '-'} {fmt(abs(net))}) % "
            f"(increases +{fmt(increases)} %, not capped; reductions -{fmt(reductions)} %)",
            source=f"{MD5} adjustment factors (increases not capped; reductions capped at {fmt(cap)} %)",
            value=f"{fmt(days)} days",
        )
    )
    return net, days


def compute_audit_time(request: AuditTimeRequest, settings: RuleSettings = DEFAULT_SETTINGS) -> AuditTimeResult:
    """Initial, surveillance and recertification audit time for ``request``, with trace and warnings."""
    if not request.standards:
        raise InvalidInput(f"give at least one standard; supported: {', '.join(SUPPORTED_STANDARDS)}")
    seen: set[str] = set()
    for standard in request.standards:
        check_standard(standard)
        if standard in seen:
            raise InvalidInput(f"standard {standard} is given twice; give each standard once")
        seen.add(standard)
    for standard in list(request.adjustments) + list(request.complexity_by_standard):
        if standard not in seen:
            raise InvalidInput(
                f"{standard} is not among the standards audited; adjustments and complexities apply to: "
                f"{', '.join(request.standards)}"
            )
    persons = _persons(request.personnel)
    integration = _check_finite(request.integration_percent, "the integration reduction")
    steps: list[TraceStep] = []
    warnings: list[tuple[str, str]] = []
    steps.append(
        TraceStep(
            step="whole persons",
            rule=f"effective personnel {fmt(request.personnel)} rounded up to whole persons",
            source=f"{MD5} cl. 2.3 (effective personnel) and Table notes (personnel bands)",
            value=f"{persons} persons",
        )
    )
    times: list[StandardTime] = []
    if request.complexity is not None and not any(check_standard(s).has_complexity for s in request.standards):
        warnings.append(
            (
                "complexity_unused",
                f"complexity {request.complexity!r} was not used: the tables of {', '.join(request.standards)} "
                "have a single column (apply risk or complexity as an adjustment)",
            )
        )
    for standard in request.standards:
        table = check_standard(standard)
        complexity = _complexity_for(table, standard, request)
        column = complexity or "days"
        table_days = _table_days(table, column, persons, settings, steps, warnings, standard)
        net, days = _adjust(
            standard,
            table_days,
            request.adjustments.get(standard),
            settings,
            steps,
            warnings,
        )
        times.append(
            StandardTime(
                id=standard,
                table_id=table.id,
                complexity=complexity,
                table_days=table_days,
                adjustment_percent=net,
                days=days,
            )
        )
    total = sum((time.days for time in times), Decimal(0))
    if len(times) > 1:
        steps.append(
            TraceStep(
                step="sum of the standards",
                rule=" + ".join(fmt(time.days) for time in times),
                source=f"{MD11} cl. 2.2 (T = A + B + C, each with its own factors)",
                value=f"{fmt(total)} days",
            )
        )
    if integration < 0:
        raise InvalidInput(
            f"the integration reduction is a percent from 0 to {fmt(settings.max_integration_reduction_percent)}, "
            f"got {fmt(integration)}"
        )
    if integration > 0 and len(times) < 2:
        raise InvalidInput("an integration reduction (IAF MD 11) needs at least two standards audited together")
    if integration > 0:
        cap = settings.max_integration_reduction_percent
        if integration > cap:
            warnings.append(
                (
                    "integration_capped",
                    f"the integration reduction ({fmt(integration)} %) exceeds the {fmt(cap)} % cap of IAF MD 11 "
                    f"and was cut to {fmt(cap)} %",
                )
            )
            integration = cap
        total = total * (100 - integration) / 100
        steps.append(
            TraceStep(
                step="integration reduction",
                rule=f"sum x (100 - {fmt(integration)}) %, at most {fmt(cap)} %",
                source=f"{MD11} (20 % cap, EA FAQ 37.5, 37.23, 43070)",
                value=f"{fmt(total)} days",
            )
        )
    ties = settings.half_day_ties
    initial = round_half_day(total, ties)
    steps.append(
        TraceStep(
            step="initial audit time",
            rule=f"{fmt(total)} days to the nearest half day (ties {ties.value})",
            source=f"{MD5} cl. 2.2.3 (nearest half day); ties: RuleSettings.half_day_ties [?]",
            value=f"{fmt(initial)} days",
        )
    )
    surveillance = round_half_day(Fraction(initial) * settings.surveillance_fraction, ties)
    steps.append(
        TraceStep(
            step="surveillance audit time",
            rule=f"{fmt(initial)} x {fmt(settings.surveillance_fraction)}, to the nearest half day",
            source=f"{MD5} cl. 5 (about 1/3 of the initial audit time, per year)",
            value=f"{fmt(surveillance)} days",
        )
    )
    recertification = round_half_day(Fraction(initial) * settings.recertification_fraction, ties)
    steps.append(
        TraceStep(
            step="recertification audit time",
            rule=f"{fmt(initial)} x {fmt(settings.recertification_fraction)}, to the nearest half day",
            source=f"{MD5} cl. 6 (about 2/3 of the initial audit time)",
            value=f"{fmt(recertification)} days",
        )
    )
    onsite = initial * settings.min_onsite_share
    steps.append(
        TraceStep(
            step="minimum on-site time",
            rule=f"{fmt(initial)} x {fmt(settings.min_onsite_share)} (not rounded)",
            source=f"{MD5} cl. 4.1 (audit duration normally at least 80 % of audit time)",
            value=f"{fmt(onsite)} days",
        )
    )
    return AuditTimeResult(
        standards=tuple(times),
        persons=persons,
        integration_percent=integration,
        total_days=total,
        initial_days=initial,
        surveillance_days=surveillance,
        recertification_days=recertification,
        minimum_onsite_days=onsite,
        warnings=tuple(message for _, message in warnings),
        trace=tuple(steps),
        warning_codes=tuple(code for code, _ in warnings),
    )
