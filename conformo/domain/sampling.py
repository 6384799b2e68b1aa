"""Multi-site sampling (IAF MD 1) in exact integer arithmetic.

Sample sizes for x sites (IAF MD 1 cl. 6.1.3.3, EA FAQ 42.6 / 46.5), the central function audited in
addition at every audit:

* initial: y = ⌈√x⌉, i.e. the least y with y² >= x;
* surveillance: y = ⌈0.6·√x⌉, i.e. the least y with 25·y² >= 9·x;
* recertification: y = ⌈0.8·√x⌉, i.e. the least y with 25·y² >= 16·x.

At least 25 % of each sample is chosen at random. When sampling is not appropriate (MD 1 cl. 6.2.1):
every site at initial and recertification audits, ⌈30 % · x⌉ sites per surveillance year.
A sampled site's audit time may be reduced by at most 50 % for all reasons together (MD 1 cl. 7.3.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from conformo.domain.errors import InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, RuleSettings
from conformo.domain.trace import TraceStep, fmt, to_json_number

MD1 = "IAF MD 1"


def ceil_isqrt(n: int) -> int:
    """The least integer y >= 0 with y*y >= n, exactly (``n`` >= 0)."""
    if n < 0:
        raise InvalidInput(f"cannot take the square root of {n}; give 0 or more")
    return 0 if n == 0 else math.isqrt(n - 1) + 1


def least_root(sites: int, factor: Fraction) -> int:
    """⌈factor·√sites⌉ exactly: the least y >= 0 with y² >= factor²·sites (integers only)."""
    square = factor * factor * sites
    return ceil_isqrt(math.ceil(square))


def _ceil_share(share: Fraction, count: int) -> int:
    return math.ceil(share * count)


@dataclass(frozen=True, slots=True)
class SamplingResult:
    """Sample sizes (sites, excluding the central function, which is always audited in addition)."""

    sites: int
    initial: int
    surveillance: int
    recertification: int
    random_share: Fraction
    random_initial: int
    random_surveillance: int
    random_recertification: int
    no_sampling_surveillance_per_year: int
    warnings: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``conformo sampling --json``."""
        return {
            "sites": self.sites,
            "initial": self.initial,
            "surveillance": self.surveillance,
            "recertification": self.recertification,
            "central_function_included": True,
            "random_share": float(self.random_share),
            "random_minimum": {
                "initial": self.random_initial,
                "surveillance": self.random_surveillance,
                "recertification": self.random_recertification,
            },
            "no_sampling_surveillance_per_year": self.no_sampling_surveillance_per_year,
            "warnings": list(self.warnings),
            "trace": [step.as_dict() for step in self.trace],
        }


def sample_sizes(sites: int, settings: RuleSettings = DEFAULT_SETTINGS) -> SamplingResult:
    """Minimum IAF MD 1 sample sizes for ``sites`` sites (besides the central function)."""
    if isinstance(sites, bool) or not isinstance(sites, int) or sites < 1:
        raise InvalidInput(f"the number of sites must be a whole number of at least 1, got {sites!r}")
    initial = ceil_isqrt(sites)
    surveillance = least_root(sites, Fraction(3, 5))
    recertification = least_root(sites, Fraction(4, 5))
    share = settings.random_sample_share
    no_sampling = _ceil_share(settings.no_sampling_surveillance_share, sites)
    warnings: list[str] = []
    if sites == 1:
        warnings.append(
            "one site besides the central function is not a multi-site organization for sampling "
            "(IAF MD 1 needs more than one); audit it in full"
        )
    source = f"{MD1} cl. 6.1.3.3 (EA FAQ 42.6, 46.5)"
    steps = [
        TraceStep("initial sample", f"ceil(sqrt({sites}))", source, f"{initial} sites"),
        TraceStep(
            "surveillance sample",
            f"ceil(0.6 x sqrt({sites}))",
            source,
            f"{surveillance} sites",
        ),
        TraceStep(
            "recertification sample",
            f"ceil(0.8 x sqrt({sites}))",
            source,
            f"{recertification} sites",
        ),
        TraceStep(
            "central function",
            "the central function is audited at every audit, in addition to the sample",
            f"{MD1} (EA FAQ 46.5)",
            "included",
        ),
        TraceStep(
            "random part",
            f"at least {fmt(share)} of each sample chosen at random, rounded up",
            f"{MD1} (EA FAQ 46.5)",
            f"{_ceil_share(share, initial)} / {_ceil_share(share, surveillance)} / "
            f"{_ceil_share(share, recertification)} sites",
        ),
        TraceStep(
            "no sampling",
            f"all sites at initial and recertification; ceil({fmt(settings.no_sampling_surveillance_share)} x "
            f"{sites}) sites per surveillance year",
            f"{MD1} cl. 6.2.1 (EA FAQ 46.5)",
            f"{no_sampling} sites per year",
        ),
    ]
    return SamplingResult(
        sites=sites,
        initial=initial,
        surveillance=surveillance,
        recertification=recertification,
        random_share=share,
        random_initial=_ceil_share(share, initial),
        random_surveillance=_ceil_share(share, surveillance),
        random_recertification=_ceil_share(share, recertification),
        no_sampling_surveillance_per_year=no_sampling,
        warnings=tuple(warnings),
        trace=tuple(steps),
    )


@dataclass(frozen=True, slots=True)
class SiteAuditTime:
    """Audit time of one sampled site after its (capped) reduction; days are not rounded."""

    full_days: Decimal
    reduction_percent: Decimal
    days: Decimal
    warnings: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "full_days": to_json_number(self.full_days),
            "reduction_percent": to_json_number(self.reduction_percent),
            "days": to_json_number(self.days),
            "warnings": list(self.warnings),
            "trace": [step.as_dict() for step in self.trace],
        }


def site_audit_time(
    full_days: Decimal,
    reduction_percent: Decimal,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> SiteAuditTime:
    """A sampled site's audit time: ``full_days`` reduced by ``reduction_percent``, cut to the 50 % cap."""
    if not full_days.is_finite() or full_days <= 0:
        raise InvalidInput(f"a site's full audit time must be a number of days above 0, got {full_days}")
    if not reduction_percent.is_finite() or reduction_percent < 0:
        raise InvalidInput(f"a site's reduction is a percent of 0 or more, got {reduction_percent}")
    cap = settings.max_site_reduction_percent
    warnings: list[str] = []
    steps: list[TraceStep] = []
    applied = reduction_percent
    if reduction_percent > cap:
        applied = cap
        warnings.append(
            f"the site reduction ({fmt(reduction_percent)} %) exceeds the {fmt(cap)} % cap of IAF MD 1 "
            f"cl. 7.3.1 and was cut to {fmt(cap)} %"
        )
    days = full_days * (100 - applied) / 100
    steps.append(
        TraceStep(
            step="site audit time",
            rule=f"{fmt(full_days)} days x (100 - {fmt(applied)}) %, all reductions together at most {fmt(cap)} %",
            source=f"{MD1} cl. 7.3.1 (EA FAQ 37.5, 43126)",
            value=f"{fmt(days)} days",
        )
    )
    return SiteAuditTime(
        full_days=full_days,
        reduction_percent=applied,
        days=days,
        warnings=tuple(warnings),
        trace=tuple(steps),
    )
