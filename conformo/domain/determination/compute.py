"""The audit-time determination of an application review or a re-determination, with its justification.

From a ``DeterminationInput`` (see ``inputs``), in order — each step is part of the trace:

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
from decimal import Decimal

from conformo.domain.adjustments import (
    FACTORS_BY_CODE,
    INTEGRATION_BANDS,
    MD5_FACTORS_SOURCE,
    MD11_SOURCE,
    IntegrationLevel,
)
from conformo.domain.audit_time import ISMS, QMS, check_standard, compute_audit_time
from conformo.domain.determination.checks import DeterminationRefused, Problem, problems
from conformo.domain.determination.defaults import complete
from conformo.domain.determination.inputs import AUDIT_LABELS, DeterminationInput, Method
from conformo.domain.determination.per_site import multi_site_determination
from conformo.domain.determination.result import AuditDays, Determination, SiteTime
from conformo.domain.determination.steps import (
    Work,
    ordered,
    remote_row,
    request,
    site_personnel,
    stage_rows,
    together,
)
from conformo.domain.errors import DomainError
from conformo.domain.isms_complexity import SOURCE as ISMS_SOURCE
from conformo.domain.isms_complexity import IsmsComplexity, isms_complexity
from conformo.domain.personnel import effective_personnel
from conformo.domain.settings import DEFAULT_SETTINGS, RepetitiveReduction, RuleSettings
from conformo.domain.trace import fmt


def _complexity_steps(inp: DeterminationInput, work: Work) -> IsmsComplexity | None:
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


def _check_qms_risk(inp: DeterminationInput, level: str, work: Work) -> None:
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


def _adjustment_steps(inp: DeterminationInput, work: Work) -> dict[str, tuple[Decimal, ...]]:
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


def _integration(inp: DeterminationInput, work: Work) -> Decimal:
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


def single_determination(
    inp: DeterminationInput,
    settings: RuleSettings,
    work: Work,
    adjustments: dict[str, tuple[Decimal, ...]],
    integration: Decimal,
    isms: IsmsComplexity | None,
) -> Determination:
    personnel_sites: list[SiteTime] = []
    result = effective_personnel(
        together(inp.sites, inp.choices.repetitive_justification),
        reduction=RepetitiveReduction(inp.choices.repetitive),
        settings=settings,
    )
    work.steps.extend(result.trace)
    audit_time = compute_audit_time(request(inp, result.value, adjustments, integration), settings)
    work.engine(audit_time)
    keys = tuple(site.key for site in inp.sites)
    for site in inp.sites:
        value, _ = site_personnel(site, inp, settings)
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
            rows.extend(stage_rows(inp, audit_time.initial_days, stage1_sites, keys, work))
        elif audit != "stage2":
            rows.append(remote_row(inp, audit, fractions[audit], keys, work))
    return Determination(
        purpose=inp.purpose,
        method=Method.SINGLE.value,
        personnel=result.value,
        standards=audit_time.standards,
        isms=isms,
        sites=tuple(personnel_sites),
        minimum_samples=None,
        audits=ordered(inp, rows),
        initial_days=audit_time.initial_days,
        surveillance_days=audit_time.surveillance_days,
        recertification_days=audit_time.recertification_days,
        minimum_onsite_days=audit_time.minimum_onsite_days,
        warnings=tuple(work.warnings),
        trace=tuple(work.steps),
    )


def determine(inp: DeterminationInput, settings: RuleSettings = DEFAULT_SETTINGS) -> Determination:
    """The audit time for ``inp`` (completed with the defaults), or ``DeterminationRefused`` listing every
    input that breaks a rule."""
    inp = complete(inp, settings)
    found = problems(inp, settings)
    if found:
        raise DeterminationRefused(found)
    work = Work()
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
            return single_determination(inp, settings, work, adjustments, integration, isms)
        return multi_site_determination(inp, settings, work, adjustments, integration, isms)
    except DeterminationRefused:
        raise
    except DomainError as exc:
        raise DeterminationRefused([Problem("", exc.code, exc.message)]) from exc
