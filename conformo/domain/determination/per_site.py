"""Multi-site (IAF MD 1): every site timed on its own personnel, the limits on a site's reductions, and each
audit's time as the central function's plus that of the sites it visits."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from conformo.domain.audit_time import compute_audit_time
from conformo.domain.determination.checks import DeterminationRefused, Problem
from conformo.domain.determination.defaults import minimum_samples
from conformo.domain.determination.inputs import AUDIT_LABELS, SAMPLED_AUDITS, DeterminationInput, Method, SiteFacts
from conformo.domain.determination.result import AuditDays, Determination, SiteTime
from conformo.domain.determination.steps import Work, ordered, remote_row, request, site_personnel, stage_rows
from conformo.domain.isms_complexity import IsmsComplexity
from conformo.domain.rounding import round_half_day
from conformo.domain.sampling import MD1, sample_sizes
from conformo.domain.settings import RuleSettings
from conformo.domain.trace import TraceStep, fmt

MD1_SITE_SOURCE = f"{MD1} cl. 7.3.1 (EA FAQ 37.5, 43126)"
MD1_PER_SITE_SOURCE = f"{MD1} (audit time per site, never as one site: EA FAQ 42.6)"


def site_time(
    inp: DeterminationInput,
    site: SiteFacts,
    settings: RuleSettings,
    work: Work,
    adjustments: dict[str, tuple[Decimal, ...]],
    integration: Decimal,
    audits: tuple[str, ...],
) -> SiteTime:
    prefix = f"{site.name}: "
    value, steps = site_personnel(site, inp, settings)
    work.steps.extend(TraceStep(prefix + s.step, s.rule, s.source, s.value) for s in steps)
    result = compute_audit_time(request(inp, value, adjustments, integration), settings)
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


def multi_site_determination(
    inp: DeterminationInput,
    settings: RuleSettings,
    work: Work,
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
    times: list[SiteTime] = [site_time(inp, central, settings, work, adjustments, integration, inp.audits)]
    for site in others:
        plan = plans.get(site.key)
        times.append(site_time(inp, site, settings, work, adjustments, integration, plan.audits if plan else ()))
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
            rows.extend(stage_rows(inp, base, (central.key,), sites, work))
            continue
        fraction = settings.recertification_fraction if audit == "recertification" else settings.surveillance_fraction
        days = round_half_day(Fraction(base) * fraction, settings.half_day_ties)
        work.step(
            f"{AUDIT_LABELS[audit]} audit time",
            f"{fmt(base)} x {fmt(fraction)}, to the nearest half day",
            "IAF MD 5 cl. 6 (about 2/3)" if audit == "recertification" else "IAF MD 5 cl. 5 (about 1/3)",
            f"{fmt(days)} days",
        )
        rows.append(remote_row(inp, audit, days, sites, work))
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
        audits=ordered(inp, rows),
        initial_days=initial,
        surveillance_days=surveillance,
        recertification_days=recertification,
        minimum_onsite_days=None if initial is None else initial * settings.min_onsite_share,
        warnings=tuple(work.warnings),
        trace=tuple(work.steps),
    )


def _warn_repeated_surveillance(
    inp: DeterminationInput, visiting: dict[str, tuple[str, ...]], others: int, work: Work
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
