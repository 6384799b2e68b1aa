"""The checks on a determination's inputs, and the defaults for what the CB leaves open.

``problems`` lists every input that breaks a rule, each with the field it concerns (a dotted path such as
``adjustments.2.justification``), a stable code (``justification_required``, ``sample_too_small``, ...) and one
sentence naming what is valid. ``complete`` fills in the MD 1 method and the samples the CB left to the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from conformo.domain.adjustments import (
    FACTORS_BY_CODE,
    MIN_JUSTIFICATION,
    Direction,
    IntegrationLevel,
    Md5Factor,
    justified,
)
from conformo.domain.audit_time import EMS, ISMS, OHS, QMS, SUPPORTED_STANDARDS, check_standard
from conformo.domain.determination.defaults import minimum_samples, multi_site
from conformo.domain.determination.inputs import (
    AUDIT_LABELS,
    MAX_PERCENT,
    QMS_RISK,
    SAMPLED_AUDITS,
    DeterminationInput,
    Method,
    Purpose,
)
from conformo.domain.errors import DomainError
from conformo.domain.isms_complexity import BUSINESS_FACTORS, IT_FACTORS, SCORES, isms_complexity
from conformo.domain.settings import DEFAULT_SETTINGS, RepetitiveReduction, RuleSettings
from conformo.domain.trace import fmt


@dataclass(frozen=True, slots=True)
class Problem:
    """One input that breaks a rule: the field (dotted path), a stable code and the sentence to show."""

    field: str
    code: str
    message: str


class DeterminationRefused(DomainError):
    """The inputs break one or more rules; ``problems`` lists every one (the first gives the code)."""

    default_code = "determination_refused"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else Problem("", self.default_code, "the inputs are not valid")
        super().__init__(first.message, code=first.code)


def _finite(value: Decimal) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _justification(problems: list[Problem], path: str, text: str, what: str) -> None:
    if not justified(text):
        problems.append(
            Problem(
                path,
                "justification_required",
                f"{what} needs a written justification of at least {MIN_JUSTIFICATION} characters (IAF MD 5: the "
                "determination and its justification are recorded and given to the client)",
            )
        )


def _complexity_problems(inp: DeterminationInput, problems: list[Problem]) -> None:
    for standard in inp.standards:
        raw = inp.choices.complexity.get(standard)
        path = f"complexity.{standard}"
        if standard == QMS:
            if raw not in QMS_RISK:
                problems.append(
                    Problem(path, "complexity_required", f"give the QMS risk category: {', '.join(QMS_RISK)}")
                )
            continue
        if standard == ISMS or standard not in (EMS, OHS):
            continue
        table = check_standard(standard)
        if raw in table.case_by_case_columns:
            problems.append(
                Problem(
                    path,
                    "case_by_case",
                    f"complexity {raw!r} has no column in {table.source.clause}; the CB determines that audit "
                    f"time case by case (choose one of: {', '.join(table.columns)})",
                )
            )
        elif raw not in table.columns:
            problems.append(
                Problem(
                    path,
                    "complexity_required",
                    f"give the complexity category of {standard}: {', '.join(table.columns)} ({table.source.clause})",
                )
            )


def _adjustment_problems(inp: DeterminationInput, problems: list[Problem]) -> None:
    seen: set[tuple[str, str]] = set()
    for index, adjustment in enumerate(inp.choices.adjustments):
        path = f"adjustments.{index}"
        if adjustment.standard not in inp.standards:
            problems.append(
                Problem(
                    f"{path}.standard",
                    "standard_not_audited",
                    f"an adjustment applies to one of the standards audited: {', '.join(inp.standards)}",
                )
            )
        factor = FACTORS_BY_CODE.get(adjustment.factor)
        if factor is None:
            problems.append(
                Problem(
                    f"{path}.factor",
                    "unknown_factor",
                    f"unknown adjustment factor {adjustment.factor!r}; choose one of: {', '.join(FACTORS_BY_CODE)}",
                )
            )
        elif factor.code is not Md5Factor.OTHER:
            if (adjustment.standard, factor.code.value) in seen:
                problems.append(
                    Problem(
                        f"{path}.factor",
                        "factor_repeated",
                        f"the factor {factor.code.value!r} is already applied to {adjustment.standard}; give one "
                        "adjustment per factor and standard",
                    )
                )
            seen.add((adjustment.standard, factor.code.value))
        percent = adjustment.percent
        if not _finite(percent) or percent == 0 or abs(percent) > MAX_PERCENT:
            problems.append(
                Problem(
                    f"{path}.percent",
                    "percent_out_of_range",
                    "an adjustment is a percent from -100 to 100, not 0 (negative for a reduction)",
                )
            )
        elif factor is not None and factor.direction is not Direction.EITHER:
            increase = factor.direction is Direction.INCREASE
            if increase != (percent > 0):
                problems.append(
                    Problem(
                        f"{path}.percent",
                        "adjustment_direction",
                        f"{factor.label!r} is a factor that {'increases' if increase else 'reduces'} audit time; "
                        f"give a {'positive' if increase else 'negative'} percent",
                    )
                )
        _justification(problems, f"{path}.justification", adjustment.justification, "every adjustment")


def _isms_problems(inp: DeterminationInput, problems: list[Problem]) -> None:
    isms = inp.choices.isms
    if isms is None:
        return
    if ISMS not in inp.standards:
        problems.append(
            Problem(
                "isms", "standard_not_audited", f"an ISO/IEC 27006-1 assessment applies only when {ISMS} is audited"
            )
        )
        return
    valid = True
    for name, scores, factors in (("business", isms.business, BUSINESS_FACTORS), ("it", isms.it, IT_FACTORS)):
        if len(scores) != len(factors) or any(score not in SCORES for score in scores):
            valid = False
            problems.append(
                Problem(
                    f"isms.{name}",
                    "score_out_of_range",
                    f"score each of the {len(factors)} {'business' if name == 'business' else 'IT'} complexity "
                    "factors 1 (low), 2 (medium) or 3 (high) (ISO/IEC 27006-1 Annex C)",
                )
            )
    if not _finite(isms.percent):
        problems.append(Problem("isms.percent", "percent_out_of_range", "give the ISMS adjustment as a percent"))
        return
    if valid:
        assessed = isms_complexity(isms.business, isms.it)
        if not assessed.allows(isms.percent):
            problems.append(
                Problem(
                    "isms.percent",
                    "isms_percent_out_of_range",
                    f"business complexity {assessed.business_level} with IT complexity {assessed.it_level} allows "
                    f"an adjustment of {assessed.range_text()} of the Table C.1 time (ISO/IEC 27006-1 Annex C); "
                    f"got {fmt(isms.percent)} %",
                )
            )
    if isms.percent != 0:
        _justification(problems, "isms.justification", isms.justification, "the ISMS complexity adjustment")


def _integration_problems(inp: DeterminationInput, problems: list[Problem]) -> None:
    integration = inp.choices.integration
    if integration.level not in IntegrationLevel:
        problems.append(
            Problem(
                "integration.level",
                "unknown_choice",
                f"the integration level is one of: {', '.join(level.value for level in IntegrationLevel)} (IAF MD 11)",
            )
        )
    percent = integration.percent
    if not _finite(percent) or not 0 <= percent <= MAX_PERCENT:
        problems.append(
            Problem(
                "integration.percent", "percent_out_of_range", "the integration reduction is a percent from 0 to 20"
            )
        )
        return
    if percent == 0:
        return
    if len(inp.standards) < 2:
        problems.append(
            Problem(
                "integration.percent",
                "integration_single_standard",
                "an integration reduction (IAF MD 11) needs at least two standards audited together",
            )
        )
    if integration.level == IntegrationLevel.NONE.value:
        problems.append(
            Problem(
                "integration.level",
                "integration_level_required",
                "give the level of integration the reduction rests on (IAF MD 11)",
            )
        )
    _justification(problems, "integration.evidence", integration.evidence, "the integration reduction")


def _site_problems(inp: DeterminationInput, settings: RuleSettings, problems: list[Problem]) -> None:
    if not inp.sites:
        problems.append(Problem("sites", "no_sites", "the determination needs at least one site"))
        return
    keys = [site.key for site in inp.sites]
    if len(set(keys)) != len(keys):
        problems.append(Problem("sites", "site_repeated", "each site is given once"))
    for site in inp.sites:
        if site.part_time and not (site.part_time_hours > 0):
            problems.append(
                Problem(
                    f"sites.{site.key}",
                    "part_time_hours_missing",
                    f"{site.name} has {site.part_time} part-time persons but no hours per week: give their hours in "
                    "the site's details (IAF MD 5 cl. 2.3 converts part-time personnel by hours worked)",
                )
            )
    repetitive = sum(site.repetitive for site in inp.sites)
    if inp.choices.repetitive not in RepetitiveReduction:
        problems.append(
            Problem(
                "repetitive",
                "unknown_choice",
                f"the repetitive-function reduction is one of: {', '.join(r.value for r in RepetitiveReduction)}",
            )
        )
    elif inp.choices.repetitive != RepetitiveReduction.NONE.value and repetitive:
        _justification(
            problems,
            "repetitive_justification",
            inp.choices.repetitive_justification,
            "a reduction for repetitive functions (IAF MD 5 cl. 2.3.4)",
        )
    method = inp.choices.method
    if method is None or method not in Method:
        problems.append(
            Problem("method", "unknown_choice", f"the method is one of: {', '.join(m.value for m in Method)}")
        )
        return
    others = inp.others
    if method == Method.SINGLE.value:
        if multi_site(inp.sites):
            problems.append(
                Problem(
                    "method",
                    "multi_site_requires_md1",
                    f"with a central function and {len(others)} other sites the organization is multi-site: its "
                    "audit time is determined per site, not as one site (IAF MD 1, EA FAQ 42.6); choose sampling "
                    "or all sites",
                )
            )
        return
    if inp.central is None:
        problems.append(
            Problem(
                "method",
                "central_function_required",
                "IAF MD 1 needs the central function: mark the head office among the sites, or audit the "
                "organization as one site",
            )
        )
        return
    if len(others) < 2:
        problems.append(
            Problem(
                "method",
                "not_multi_site",
                "one site besides the central function is not a multi-site organization (IAF MD 1 needs more "
                "than one): audit the organization as one site",
            )
        )
        return
    _plan_problems(inp, Method(method), settings, problems)


def _plan_problems(inp: DeterminationInput, method: Method, settings: RuleSettings, problems: list[Problem]) -> None:
    known = {site.key: site for site in inp.sites}
    audits = inp.audits
    counts = dict.fromkeys(SAMPLED_AUDITS, 0)
    seen: set[str] = set()
    for plan in inp.choices.site_plans or ():
        path = f"sites.{plan.key}"
        site = known.get(plan.key)
        if site is None:
            problems.append(Problem(path, "unknown_site", "this site is not among the sites of the determination"))
            continue
        if site.central:
            problems.append(
                Problem(
                    path,
                    "central_function_plan",
                    "the central function is audited at every audit; it takes no sample and no MD 1 reduction",
                )
            )
            continue
        if plan.key in seen:
            problems.append(Problem(path, "site_repeated", "each site is given once"))
        seen.add(plan.key)
        reduction = plan.reduction_percent
        if not _finite(reduction) or not 0 <= reduction <= MAX_PERCENT:
            problems.append(
                Problem(
                    f"{path}.reduction_percent", "percent_out_of_range", "a site's reduction is a percent from 0 to 100"
                )
            )
        elif reduction > 0:
            _justification(
                problems,
                f"{path}.reduction_justification",
                plan.reduction_justification,
                f"the reduction for {site.name} (IAF MD 1 cl. 7.3.1)",
            )
        for audit in plan.audits:
            if audit not in SAMPLED_AUDITS or audit not in audits:
                problems.append(
                    Problem(
                        f"{path}.audits",
                        "unknown_audit",
                        f"a site is sampled for: {', '.join(a for a in audits if a in SAMPLED_AUDITS)}",
                    )
                )
            else:
                counts[audit] += 1
    least = minimum_samples(method, len(inp.others), settings)
    for audit in audits:
        if audit in SAMPLED_AUDITS and counts[audit] < least[audit]:
            problems.append(
                Problem(
                    f"sample.{audit}",
                    "sample_too_small",
                    f"{AUDIT_LABELS[audit]} visits {counts[audit]} of the {len(inp.others)} sites besides the central "
                    f"function; IAF MD 1 {'cl. 6.2.1' if method is Method.ALL_SITES else 'cl. 6.1.3.3'} needs at "
                    f"least {least[audit]}",
                )
            )


def _remote_problems(inp: DeterminationInput, problems: list[Problem]) -> None:
    limit = inp.policy.max_remote_percent
    for audit, percent in inp.choices.remote_percent.items():
        path = f"remote.{audit}"
        if audit not in inp.audits:
            problems.append(Problem(path, "unknown_audit", f"a remote share is given for: {', '.join(inp.audits)}"))
        elif not _finite(percent) or not 0 <= percent <= MAX_PERCENT:
            problems.append(Problem(path, "percent_out_of_range", "a remote share is a percent from 0 to 100"))
        elif percent > limit:
            problems.append(
                Problem(
                    path,
                    "remote_share_too_high",
                    f"the certification body's remote-auditing policy allows at most {fmt(limit)} % of an audit's "
                    f"days to be remote (IAF MD 4: remote time counts as audit time); got {fmt(percent)} %",
                )
            )


def problems(inp: DeterminationInput, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Problem]:
    """Every rule ``inp`` breaks (empty: it can be computed). Call ``complete`` first."""
    found: list[Problem] = []
    if inp.purpose not in Purpose:
        found.append(
            Problem("purpose", "unknown_choice", f"the purpose is one of: {', '.join(p.value for p in Purpose)}")
        )
    if not inp.standards:
        found.append(Problem("standards", "no_standards", "the determination needs at least one standard"))
    for standard in inp.standards:
        if standard not in SUPPORTED_STANDARDS:
            found.append(
                Problem(
                    "standards",
                    "standard_not_supported",
                    f"audit time for {standard} is not covered by IAF MD 5 / ISO/IEC 27006-1; supported: "
                    f"{', '.join(SUPPORTED_STANDARDS)}",
                )
            )
    if found:
        return found
    _complexity_problems(inp, found)
    _adjustment_problems(inp, found)
    _isms_problems(inp, found)
    _integration_problems(inp, found)
    _site_problems(inp, settings, found)
    _remote_problems(inp, found)
    return found
