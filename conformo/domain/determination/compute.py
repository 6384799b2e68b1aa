"""The audit-time determination of an application review or a re-determination, with its justification.

From a ``DeterminationInput`` (see ``determination_input``), in order — each step is part of the trace:

1. Effective personnel (IAF MD 5 cl. 2.3): per site, with the CB's repetitive-function method.
2. One organization (``Method.SINGLE``): the personnel of all sites together; ``audit_time.compute_audit_time``
   with each standard's complexity and its adjustments (MD 5 factors; for an ISMS the ISO/IEC 27006-1
   complexity percent) and the MD 11 integration reduction — the same figures as ``conformo audit-time``.
3. Multi-site (IAF MD 1): the same computation for every site on its own personnel (EA FAQ 42.6: never as one
   site); each site besides the central function may be reduced for processes the central function performs
   for it (at most 20 %) and in all by at most 50 % of its table time (MD 1 cl. 7.3.1, EA FAQ 37.5, 43126).
   An audit's time is the central function's plus that of each site it visits, to the nearest half day.
4. Stage 1 takes the CB's share of the initial time, stage 2 the rest; surveillance is 1/3 and recertification
   2/3 of the initial time of the sites visited (MD 5 cl. 5, 6), each to the nearest half day.
5. Remote (ICT) days: each audit's share, rounded down to half days, within the CB's policy (IAF MD 4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from conformo.domain.adjustments import (
    FACTORS_BY_CODE,
    INTEGRATION_BANDS,
    MD5_FACTORS_SOURCE,
    MD11_SOURCE,
    IntegrationLevel,
)
from conformo.domain.audit_time import (
    ISMS,
    QMS,
    AuditTimeRequest,
    AuditTimeResult,
    check_standard,
    compute_audit_time,
)
from conformo.domain.determination.checks import DeterminationRefused, Problem, complete, minimum_samples, problems
from conformo.domain.determination.inputs import AUDIT_LABELS, SAMPLED_AUDITS, DeterminationInput, Method, SiteFacts
from conformo.domain.determination.result import AuditDays, Determination, DeterminationWarning, SiteTime
from conformo.domain.errors import DomainError
from conformo.domain.isms_complexity import SOURCE as ISMS_SOURCE
from conformo.domain.isms_complexity import IsmsComplexity, isms_complexity
from conformo.domain.personnel import PersonnelBreakdown, effective_personnel
from conformo.domain.rounding import floor_half_day, round_half_day
from conformo.domain.sampling import MD1, sample_sizes
from conformo.domain.settings import DEFAULT_SETTINGS, RepetitiveReduction, RuleSettings
from conformo.domain.trace import TraceStep, fmt

MD1_SITE_SOURCE = f"{MD1} cl. 7.3.1 (EA FAQ 37.5, 43126)"
MD1_PER_SITE_SOURCE = f"{MD1} (audit time per site, never as one site: EA FAQ 42.6)"


class _Work:
    """The trace and warnings being collected (warnings without repeats, in order)."""

    def __init__(self) -> None:
        self.steps: list[TraceStep] = []
        self.warnings: list[DeterminationWarning] = []

    def step(self, step: str, rule: str, source: str, value: str) -> None:
        self.steps.append(TraceStep(step, rule, source, value))

    def warn(self, code: str, message: str) -> None:
        warning = DeterminationWarning(code, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def engine(self, result: AuditTimeResult, prefix: str = "", skip: frozenset[str] = frozenset()) -> None:
        for step in result.trace:
            if step.step in skip:
                continue
            self.steps.append(TraceStep(f"{prefix}{step.step}", step.rule, step.source, step.value) if prefix else step)
        for code, message in zip(result.warning_codes, result.warnings, strict=True):
            self.warn(code, message)


def _personnel(site: SiteFacts, inp: DeterminationInput, settings: RuleSettings) -> tuple[Decimal, list[TraceStep]]:
    method = RepetitiveReduction(inp.choices.repetitive)
    result = effective_personnel(
        site.breakdown(inp.choices.repetitive_justification), reduction=method, settings=settings
    )
    return result.value, list(result.trace)


def _together(sites: Sequence[SiteFacts], justification: str) -> PersonnelBreakdown:
    breakdowns = [site.breakdown(justification) for site in sites]
    return PersonnelBreakdown(
        permanent=sum(b.permanent for b in breakdowns),
        temporary=sum(b.temporary for b in breakdowns),
        contractors=sum(b.contractors for b in breakdowns),
        part_time=tuple(group for b in breakdowns for group in b.part_time),
        repetitive=sum(b.repetitive for b in breakdowns),
        repetitive_justification=justification,
    )


def _complexity_steps(inp: DeterminationInput, work: _Work) -> IsmsComplexity | None:
    for standard in inp.standards:
        level = inp.choices.complexity.get(standard)
        if standard == QMS:
            work.step(
                "QMS risk category",
                f"{level}: Table QMS 1 has one column; the risk is applied as an adjustment",
                "IAF MD 5:2019 Table QMS 1 and its notes [N-note]",
                str(level),
            )
            _check_qms_risk(inp, str(level), work)
        elif check_standard(standard).has_complexity:
            table = check_standard(standard)
            work.step(f"complexity of {standard}", f"category {level}", table.source.clause, str(level))
    isms = inp.choices.isms
    if ISMS not in inp.standards:
        return None
    if isms is None:
        work.warn(
            "isms_complexity_not_assessed",
            "no ISO/IEC 27006-1 business and IT complexity assessment is recorded: the Table C.1 time is used "
            "without its complexity adjustment",
        )
        return None
    assessed = isms_complexity(isms.business, isms.it)
    work.steps.extend(assessed.trace())
    work.step(
        "ISMS complexity adjustment",
        f"{fmt(isms.percent)} % chosen within {assessed.range_text()}"
        + (f"; justification: {isms.justification.strip()}" if isms.percent else ""),
        ISMS_SOURCE,
        f"{fmt(isms.percent)} %",
    )
    return assessed


def _check_qms_risk(inp: DeterminationInput, level: str, work: _Work) -> None:
    percents = [a.percent for a in inp.choices.adjustments if a.standard == QMS]
    if level == "high" and not any(p > 0 for p in percents):
        work.warn(
            "qms_risk_not_applied",
            "the QMS risk category is high but no increase is recorded for ISO 9001: IAF MD 5 applies the risk "
            "as an adjustment of Table QMS 1",
        )
    if level == "low" and not any(p < 0 for p in percents):
        work.warn(
            "qms_risk_not_applied",
            "the QMS risk category is low but no reduction is recorded for ISO 9001: IAF MD 5 applies the risk "
            "as an adjustment of Table QMS 1 (or keep the table time and say why)",
        )


def _adjustment_steps(inp: DeterminationInput, work: _Work) -> dict[str, tuple[Decimal, ...]]:
    by_standard: dict[str, list[Decimal]] = {}
    for adjustment in inp.choices.adjustments:
        factor = FACTORS_BY_CODE[adjustment.factor]
        by_standard.setdefault(adjustment.standard, []).append(adjustment.percent)
        work.step(
            f"adjustment of {adjustment.standard}",
            f"{factor.label}: {'+' if adjustment.percent > 0 else ''}{fmt(adjustment.percent)} %; "
            f"justification: {adjustment.justification.strip()}",
            MD5_FACTORS_SOURCE,
            f"{'+' if adjustment.percent > 0 else ''}{fmt(adjustment.percent)} %",
        )
    isms = inp.choices.isms
    if isms is not None and ISMS in inp.standards and isms.percent != 0:
        by_standard.setdefault(ISMS, []).append(isms.percent)
    return {standard: tuple(percents) for standard, percents in by_standard.items()}


def _integration(inp: DeterminationInput, work: _Work) -> Decimal:
    integration = inp.choices.integration
    percent = integration.percent
    if percent == 0:
        return percent
    level = IntegrationLevel(integration.level)
    low, high = INTEGRATION_BANDS[level]
    work.step(
        "integration level",
        f"{level.value}; evidence: {integration.evidence.strip()}",
        MD11_SOURCE,
        f"-{fmt(percent)} %",
    )
    if not low <= percent <= high:
        work.warn(
            "integration_outside_band",
            f"an integration reduction of {fmt(percent)} % is outside the typical band of the {level.value} level "
            f"({fmt(low)} % to {fmt(high)} %, a CB practice): check the level or the percent",
        )
    return percent


def _request(
    inp: DeterminationInput, personnel: Decimal, adjustments: dict[str, tuple[Decimal, ...]], integration: Decimal
) -> AuditTimeRequest:
    complexity = {
        standard: inp.choices.complexity[standard]
        for standard in inp.standards
        if check_standard(standard).has_complexity
    }
    return AuditTimeRequest(
        standards=inp.standards,
        personnel=personnel,
        adjustments=dict(adjustments),
        integration_percent=integration,
        complexity_by_standard=complexity,
    )


def _remote(inp: DeterminationInput, audit: str, days: Decimal, sites: tuple[str, ...], work: _Work) -> AuditDays:
    percent = inp.choices.remote_percent.get(audit, Decimal(0))
    remote = floor_half_day(Fraction(days) * Fraction(percent) / 100)
    if percent:
        work.step(
            f"remote part of {AUDIT_LABELS[audit]}",
            f"{fmt(days)} days x {fmt(percent)} %, rounded down to a half day (the CB allows at most "
            f"{fmt(inp.policy.max_remote_percent)} %)",
            "IAF MD 4 (remote time counts as audit time); the CB's remote-auditing policy [P]",
            f"{fmt(remote)} days remote, {fmt(days - remote)} on site",
        )
    return AuditDays(audit, days, days - remote, remote, percent, sites)


def _stages(
    inp: DeterminationInput, initial: Decimal, stage1_sites: tuple[str, ...], stage2_sites: tuple[str, ...], work: _Work
) -> list[AuditDays]:
    stage1 = round_half_day(Fraction(initial) * inp.policy.stage1_fraction)
    work.step(
        "stage 1 and stage 2",
        f"stage 1 = {fmt(initial)} x {inp.policy.stage1_percent} % to the nearest half day; stage 2 the rest",
        "the CB's share of stage 1 [P] (IAF MD 5 fixes no split)",
        f"{fmt(stage1)} + {fmt(initial - stage1)} days",
    )
    return [
        _remote(inp, "stage1", stage1, stage1_sites, work),
        _remote(inp, "stage2", initial - stage1, stage2_sites, work),
    ]


def _single(
    inp: DeterminationInput,
    settings: RuleSettings,
    work: _Work,
    adjustments: dict[str, tuple[Decimal, ...]],
    integration: Decimal,
    isms: IsmsComplexity | None,
) -> Determination:
    personnel_sites: list[SiteTime] = []
    result = effective_personnel(
        _together(inp.sites, inp.choices.repetitive_justification),
        reduction=RepetitiveReduction(inp.choices.repetitive),
        settings=settings,
    )
    work.steps.extend(result.trace)
    audit_time = compute_audit_time(_request(inp, result.value, adjustments, integration), settings)
    work.engine(audit_time)
    keys = tuple(site.key for site in inp.sites)
    for site in inp.sites:
        value, _ = _personnel(site, inp, settings)
        personnel_sites.append(
            SiteTime(
                key=site.key,
                name=site.name,
                central=site.central,
                personnel=value,
                persons=math.ceil(value),
                table_days=Decimal(0),
                adjusted_days=Decimal(0),
                reduction_percent=Decimal(0),
                days=Decimal(0),
                audits=tuple(a for a in inp.audits if a != "stage1" or site.central or inp.central is None),
                standards=(),
            )
        )
    central = inp.central
    stage1_sites = (central.key,) if central is not None and len(inp.sites) > 1 else keys
    rows: list[AuditDays] = []
    fractions = {
        "surveillance1": audit_time.surveillance_days,
        "surveillance2": audit_time.surveillance_days,
        "recertification": audit_time.recertification_days,
    }
    for audit in inp.audits:
        if audit == "stage1":
            rows.extend(_stages(inp, audit_time.initial_days, stage1_sites, keys, work))
        elif audit != "stage2":
            rows.append(_remote(inp, audit, fractions[audit], keys, work))
    return Determination(
        purpose=inp.purpose,
        method=Method.SINGLE.value,
        personnel=result.value,
        standards=audit_time.standards,
        isms=isms,
        sites=tuple(personnel_sites),
        minimum_samples=None,
        audits=_ordered(inp, rows),
        initial_days=audit_time.initial_days,
        surveillance_days=audit_time.surveillance_days,
        recertification_days=audit_time.recertification_days,
        minimum_onsite_days=audit_time.minimum_onsite_days,
        warnings=tuple(work.warnings),
        trace=tuple(work.steps),
    )


def _site_time(
    inp: DeterminationInput,
    site: SiteFacts,
    settings: RuleSettings,
    work: _Work,
    adjustments: dict[str, tuple[Decimal, ...]],
    integration: Decimal,
    audits: tuple[str, ...],
) -> SiteTime:
    prefix = f"{site.name}: "
    value, steps = _personnel(site, inp, settings)
    work.steps.extend(TraceStep(prefix + s.step, s.rule, s.source, s.value) for s in steps)
    result = compute_audit_time(_request(inp, value, adjustments, integration), settings)
    # the site's own time is not rounded: only an audit's total is (MD 5 cl. 2.2.3)
    work.engine(result, prefix, skip=_ROUNDED_STEPS)
    table = sum((standard.table_days for standard in result.standards), Decimal(0))
    adjusted = result.total_days
    plan = next((p for p in inp.choices.site_plans or () if p.key == site.key), None)
    reduction = Decimal(0) if plan is None or site.central else plan.reduction_percent
    days = adjusted
    if reduction:
        cap = settings.max_central_process_reduction_percent
        if reduction > cap:
            work.warn(
                "central_process_reduction_capped",
                f"the reduction for {site.name} ({fmt(reduction)} %) exceeds the {fmt(cap)} % IAF MD 1 allows for "
                f"processes the central function performs, and was cut to {fmt(cap)} %",
            )
            reduction = cap
        days = adjusted * (100 - reduction) / 100
        work.step(
            f"{prefix}reduction for central processes",
            f"{fmt(adjusted)} days x (100 - {fmt(reduction)}) %; justification: "
            f"{plan.reduction_justification.strip() if plan else ''}",
            MD1_SITE_SOURCE,
            f"{fmt(days)} days",
        )
    if not site.central:
        cap = settings.max_site_reduction_percent
        floor = table * (100 - cap) / 100
        if days < floor:
            work.warn(
                "site_reduction_capped",
                f"{site.name}: the reductions together ({fmt(_percent_below(days, table))} % below its table time) "
                f"exceed the {fmt(cap)} % IAF MD 1 allows per sampled site, and were cut to {fmt(cap)} %",
            )
            days = floor
            work.step(
                f"{prefix}per-site reduction limit",
                f"at least {fmt(100 - cap)} % of the site's table time {fmt(table)} days (all reductions together "
                f"at most {fmt(cap)} %)",
                MD1_SITE_SOURCE,
                f"{fmt(days)} days",
            )
    work.step(
        f"{prefix}site audit time",
        "initial audit time of the site, not rounded",
        MD1_PER_SITE_SOURCE,
        f"{fmt(days)} days",
    )
    return SiteTime(
        key=site.key,
        name=site.name,
        central=site.central,
        personnel=value,
        persons=result.persons,
        table_days=table,
        adjusted_days=adjusted,
        reduction_percent=_percent_below(days, adjusted) if days != adjusted else Decimal(0),
        days=days,
        audits=audits,
        standards=result.standards,
    )


_ROUNDED_STEPS = frozenset(
    ("initial audit time", "surveillance audit time", "recertification audit time", "minimum on-site time")
)


def _percent_below(days: Decimal, full: Decimal) -> Decimal:
    if full == 0:
        return Decimal(0)
    return ((full - days) * 100 / full).quantize(Decimal("0.01")).normalize()


def _multi(
    inp: DeterminationInput,
    settings: RuleSettings,
    work: _Work,
    adjustments: dict[str, tuple[Decimal, ...]],
    integration: Decimal,
    isms: IsmsComplexity | None,
) -> Determination:
    method = Method(inp.choices.method or Method.SAMPLING.value)
    central = inp.central
    if central is None:  # checked by problems(); kept for the type checker
        raise DeterminationRefused([Problem("method", "central_function_required", "mark the central function")])
    others = inp.others
    least = minimum_samples(method, len(others), settings)
    if method is Method.SAMPLING:
        sizes = sample_sizes(len(others), settings)
        work.steps.extend(sizes.trace[:5])
    else:
        work.step(
            "no sampling",
            f"all {len(others)} sites at initial and recertification audits; {least['surveillance1']} per "
            "surveillance year",
            f"{MD1} cl. 6.2.1 (EA FAQ 46.5)",
            f"{least['surveillance1']} sites per year",
        )
    plans = {plan.key: plan for plan in inp.choices.site_plans or ()}
    times: list[SiteTime] = [_site_time(inp, central, settings, work, adjustments, integration, inp.audits)]
    for site in others:
        plan = plans.get(site.key)
        times.append(_site_time(inp, site, settings, work, adjustments, integration, plan.audits if plan else ()))
    by_key = {time.key: time for time in times}
    visiting = {audit: tuple(t.key for t in times[1:] if audit in t.audits) for audit in SAMPLED_AUDITS}
    work.step(
        "central function",
        "audited at every audit, in addition to the sample",
        f"{MD1} (EA FAQ 46.5)",
        f"{fmt(times[0].days)} days",
    )
    _warn_repeated_surveillance(inp, visiting, len(others), work)
    rows: list[AuditDays] = []
    bases: dict[str, Decimal] = {}
    for audit in inp.audits:
        if audit == "stage1":
            continue
        keys = visiting[audit]
        total = times[0].days + sum((by_key[k].days for k in keys), Decimal(0))
        base = round_half_day(total, settings.half_day_ties)
        bases[audit] = base
        names = ", ".join(by_key[k].name for k in keys)
        work.step(
            f"{AUDIT_LABELS[audit]}: sites visited",
            f"central function {fmt(times[0].days)} + {names} = {fmt(total)} days, to the nearest half day",
            f"{MD1} (time of each site visited); IAF MD 5 cl. 2.2.3 (nearest half day)",
            f"{fmt(base)} days",
        )
        sites = (central.key, *keys)
        if audit == "stage2":
            rows.extend(_stages(inp, base, (central.key,), sites, work))
            continue
        fraction = settings.recertification_fraction if audit == "recertification" else settings.surveillance_fraction
        days = round_half_day(Fraction(base) * fraction, settings.half_day_ties)
        work.step(
            f"{AUDIT_LABELS[audit]} audit time",
            f"{fmt(base)} x {fmt(fraction)}, to the nearest half day",
            "IAF MD 5 cl. 6 (about 2/3)" if audit == "recertification" else "IAF MD 5 cl. 5 (about 1/3)",
            f"{fmt(days)} days",
        )
        rows.append(_remote(inp, audit, days, sites, work))
    initial = bases.get("stage2")
    surveillance = next((r.days for r in rows if r.audit == "surveillance1"), None)
    recertification = next((r.days for r in rows if r.audit == "recertification"), None)
    return Determination(
        purpose=inp.purpose,
        method=method.value,
        personnel=sum((t.personnel for t in times), Decimal(0)),
        standards=(),
        isms=isms,
        sites=tuple(times),
        minimum_samples={audit: least[audit] for audit in inp.audits if audit in SAMPLED_AUDITS},
        audits=_ordered(inp, rows),
        initial_days=initial,
        surveillance_days=surveillance,
        recertification_days=recertification,
        minimum_onsite_days=None if initial is None else initial * settings.min_onsite_share,
        warnings=tuple(work.warnings),
        trace=tuple(work.steps),
    )


def _warn_repeated_surveillance(
    inp: DeterminationInput, visiting: dict[str, tuple[str, ...]], others: int, work: _Work
) -> None:
    first, second = visiting["surveillance1"], visiting["surveillance2"]
    if (
        "surveillance1" in inp.audits
        and "surveillance2" in inp.audits
        and first
        and set(first) == set(second)
        and others > len(first)
    ):
        work.warn(
            "surveillance_sites_repeated",
            "the second surveillance visits the same sites as the first; IAF MD 1 expects the sample to vary "
            "over the cycle (cl. 6.2.1: normally other sites)",
        )


def _ordered(inp: DeterminationInput, rows: list[AuditDays]) -> tuple[AuditDays, ...]:
    by_audit = {row.audit: row for row in rows}
    return tuple(by_audit[audit] for audit in inp.audits if audit in by_audit)


def determine(inp: DeterminationInput, settings: RuleSettings = DEFAULT_SETTINGS) -> Determination:
    """The audit time for ``inp`` (completed with the defaults), or ``DeterminationRefused`` listing every
    input that breaks a rule."""
    inp = complete(inp, settings)
    found = problems(inp, settings)
    if found:
        raise DeterminationRefused(found)
    work = _Work()
    work.step(
        "purpose",
        f"{inp.purpose}: audits {', '.join(AUDIT_LABELS[a] for a in inp.audits)}",
        "ISO/IEC 17021-1 9.1.2 (review), 9.1.3 (programme); IAF MD 5 cl. 6 (recertification from current data)",
        inp.purpose,
    )
    isms = _complexity_steps(inp, work)
    adjustments = _adjustment_steps(inp, work)
    integration = _integration(inp, work)
    try:
        if inp.choices.method == Method.SINGLE.value:
            return _single(inp, settings, work, adjustments, integration, isms)
        return _multi(inp, settings, work, adjustments, integration, isms)
    except DeterminationRefused:
        raise
    except DomainError as exc:
        raise DeterminationRefused([Problem("", exc.code, exc.message)]) from exc
