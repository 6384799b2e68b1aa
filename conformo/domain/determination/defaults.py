"""The defaults of what the CB leaves open: whether IAF MD 1 applies, the least sample per audit, the samples
rotating through the sites, and ``complete`` which fills them in before the input is checked and stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from conformo.domain.determination.inputs import (
    AUDITS_BY_PURPOSE,
    SAMPLE_KIND,
    SAMPLED_AUDITS,
    DeterminationInput,
    Method,
    Purpose,
    SiteFacts,
    SitePlan,
)
from conformo.domain.sampling import sample_sizes
from conformo.domain.settings import DEFAULT_SETTINGS, RuleSettings


def multi_site(sites: Iterable[SiteFacts]) -> bool:
    """Whether IAF MD 1 applies: a central function and more than one other site (EA FAQ 46.5)."""
    listed = list(sites)
    return any(s.central for s in listed) and sum(1 for s in listed if not s.central) > 1


def default_method(sites: Iterable[SiteFacts]) -> Method:
    return Method.SAMPLING if multi_site(sites) else Method.SINGLE


def minimum_samples(method: Method, sites: int, settings: RuleSettings = DEFAULT_SETTINGS) -> dict[str, int]:
    """The least number of sites (besides the central function) each sampled audit visits (IAF MD 1)."""
    if method is Method.SINGLE or sites < 1:
        return dict.fromkeys(SAMPLED_AUDITS, sites)
    if method is Method.ALL_SITES:
        per_year = sample_sizes(sites, settings).no_sampling_surveillance_per_year
        kinds = {"initial": sites, "surveillance": per_year, "recertification": sites}
    else:
        sizes = sample_sizes(sites, settings)
        kinds = {
            "initial": sizes.initial,
            "surveillance": sizes.surveillance,
            "recertification": sizes.recertification,
        }
    return {audit: kinds[SAMPLE_KIND[audit]] for audit in SAMPLED_AUDITS}


def _rotation(keys: list[str], count: int, offset: int) -> list[str]:
    if not keys:
        return []
    start = offset % len(keys)
    rotated = keys[start:] + keys[:start]
    return rotated[: min(count, len(keys))]


def default_site_plans(
    purpose: Purpose, method: Method, sites: Iterable[SiteFacts], settings: RuleSettings = DEFAULT_SETTINGS
) -> tuple[SitePlan, ...]:
    """Samples that rotate through the other sites in their order, so that each audit visits others than the
    one before (at least 25 % of each sample is to be chosen at random: the CB changes them, MD 1)."""
    others = [s.key for s in sites if not s.central]
    if method is Method.SINGLE or not others:
        return ()
    least = minimum_samples(method, len(others), settings)
    first = "recertification" if purpose is Purpose.RECERTIFICATION else "stage2"
    offsets = {first: 0, "surveillance1": least[first], "surveillance2": least[first] + least["surveillance1"]}
    offsets.setdefault("recertification", 0)
    offsets.setdefault("stage2", 0)
    chosen: dict[str, list[str]] = {}
    for audit in AUDITS_BY_PURPOSE[purpose]:
        if audit in SAMPLED_AUDITS:
            chosen[audit] = _rotation(others, least[audit], offsets[audit])
    return tuple(
        SitePlan(key=key, audits=tuple(audit for audit in SAMPLED_AUDITS if key in chosen.get(audit, ())))
        for key in others
    )


def complete(inp: DeterminationInput, settings: RuleSettings = DEFAULT_SETTINGS) -> DeterminationInput:
    """``inp`` with the method and the site plans filled in where the CB left them to the defaults, so that
    what is stored says everything the figures were computed from."""
    choices = inp.choices
    method = choices.method
    if method is None:
        method = default_method(inp.sites).value
    plans = choices.site_plans
    if plans is None and method in Method and inp.purpose in Purpose:
        plans = default_site_plans(Purpose(inp.purpose), Method(method), inp.sites, settings)
    return replace(inp, choices=replace(choices, method=method, site_plans=plans))
