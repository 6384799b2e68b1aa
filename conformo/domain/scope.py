"""The structured scope of certification: lines of (standard, site, activity, IAF sector codes).

ISO/IEC 17021-1 8.2.2 f) asks a certificate to state the scope "with respect to type of activities, products and
services at each site", not misleading or ambiguous; 9.1.1 has the applicant give the scope sought and its sites;
9.6.5.5 has the CB reduce the scope to exclude what persistently fails the requirements. So a scope is a set of
lines, each naming one standard, one site (or every site of the certification: ``ALL_SITES``), the activities in
our words, and the IAF sector codes (IAF ID 1) of those activities.

A reduction must leave a part of the current scope: `not_covered(new, current)` lists every line, site, activity
and code of `new` that `current` does not hold (empty when `new` is a subset). An extension is decided after a
special audit (9.6.4.1) and is not limited by the current scope.

Site keys are opaque text (a site's public id in the database, its name on a certificate); standards are
referenced by their code (``iso-9001-2015``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_codes

ALL_SITES: None = None
"""The site of a line that covers every site of the certification (the central function included)."""
ACTIVITY_MAX = 2000
"""Longest activity text of one line (our limit, so that a certificate stays readable)."""
LINES_MAX = 200
"""Most lines in one scope (our limit)."""
SOURCE = "ISO/IEC 17021-1 8.2.2 f), 9.6.5.5"
NOT_SUBSET = "scope_not_subset"

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ScopeLine:
    """One line of a scope: a standard, a site (``ALL_SITES`` for every site), activities, IAF sector codes."""

    standard: str
    site: str | None
    activity: str
    codes: frozenset[int] = field(default_factory=frozenset)

    @property
    def activity_key(self) -> str:
        """What two activity texts are compared by: case and spacing do not count."""
        return activity_key(self.activity)


@dataclass(frozen=True)
class ScopeGap:
    """A part of a new scope that the current scope does not hold: `what` is ``standard``, ``site``,
    ``activity`` or ``codes`` (then `codes` names the codes that are not covered)."""

    line: ScopeLine
    what: str
    codes: frozenset[int] = frozenset()

    def describe(
        self, standard_names: Mapping[str, str] | None = None, site_names: Mapping[str, str] | None = None
    ) -> str:
        """One phrase a user understands, with the names given (the keys otherwise)."""
        standard = (standard_names or {}).get(self.line.standard, self.line.standard)
        site = site_label(self.line.site, site_names)
        if self.what == "standard":
            return f"{standard} is not in the current scope"
        if self.what == "site":
            return f"{site} is not in the current scope of {standard}"
        if self.what == "activity":
            return f"the activity “{self.line.activity}” ({standard}, {site}) is not in the current scope"
        codes = ", ".join(str(c) for c in sorted(self.codes))
        return f"IAF code(s) {codes} of “{self.line.activity}” ({standard}, {site}) are not in the current scope"


def activity_key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def site_label(site: str | None, site_names: Mapping[str, str] | None = None) -> str:
    if site is ALL_SITES:
        return "all sites"
    return (site_names or {}).get(site, site)


def line(standard: str, site: str | None, activity: str, codes: Iterable[object] | str = ()) -> ScopeLine:
    """A checked line: a standard, a non-empty activity of at most ``ACTIVITY_MAX`` characters (spacing
    collapsed), valid IAF codes (``InvalidInput`` otherwise, code ``iaf_code_invalid`` for a bad code)."""
    text = _SPACES.sub(" ", activity).strip()
    if not standard.strip():
        raise InvalidInput("Choose the standard of the line", code="scope_standard_required", clause=SOURCE)
    if not text:
        raise InvalidInput("Describe the activities of the line", code="scope_activity_required", clause=SOURCE)
    if len(text) > ACTIVITY_MAX or any(ord(char) < 32 for char in text):
        raise InvalidInput(
            f"An activity has at most {ACTIVITY_MAX} characters and no control characters",
            code="scope_activity_invalid",
            clause=SOURCE,
        )
    site_key = site.strip() if isinstance(site, str) and site.strip() else ALL_SITES
    return ScopeLine(standard.strip(), site_key, text, frozenset(parse_iaf_codes(codes)))


def _sort_key(item: ScopeLine) -> tuple[str, bool, str, str]:
    return (item.standard, item.site is not ALL_SITES, item.site or "", item.activity_key)


def normalize(lines: Iterable[ScopeLine]) -> tuple[ScopeLine, ...]:
    """The scope in one canonical form: lines of the same standard, site and activity merged (their codes
    joined), sorted by standard, then all sites before single sites, then activity. At most ``LINES_MAX``."""
    merged: dict[tuple[str, str | None, str], ScopeLine] = {}
    for item in lines:
        key = (item.standard, item.site, item.activity_key)
        seen = merged.get(key)
        merged[key] = (
            item if seen is None else ScopeLine(seen.standard, seen.site, seen.activity, seen.codes | item.codes)
        )
    if len(merged) > LINES_MAX:
        raise InvalidInput(f"A scope has at most {LINES_MAX} lines", code="scope_too_long", clause=SOURCE)
    return tuple(sorted(merged.values(), key=_sort_key))


def not_covered(new: Iterable[ScopeLine], current: Iterable[ScopeLine]) -> list[ScopeGap]:
    """What of `new` the `current` scope does not hold; empty when `new` is a subset of `current`.

    A line of `new` is covered when `current` has lines of the same standard and activity for the same site
    (or for all sites) whose IAF codes together hold the line's codes. A line for all sites is covered only by
    lines for all sites: naming every site one by one does not make the whole organization."""
    present = normalize(current)
    gaps: list[ScopeGap] = []
    for item in normalize(new):
        same_standard = [c for c in present if c.standard == item.standard]
        if not same_standard:
            gaps.append(ScopeGap(item, "standard"))
            continue
        same_site = [c for c in same_standard if c.site is ALL_SITES or c.site == item.site]
        if not same_site:
            gaps.append(ScopeGap(item, "site"))
            continue
        same_activity = [c for c in same_site if c.activity_key == item.activity_key]
        if not same_activity:
            gaps.append(ScopeGap(item, "activity"))
            continue
        held = frozenset().union(*(c.codes for c in same_activity))
        missing = item.codes - held
        if missing:
            gaps.append(ScopeGap(item, "codes", frozenset(missing)))
    return gaps


def is_subset(new: Iterable[ScopeLine], current: Iterable[ScopeLine]) -> bool:
    return not not_covered(new, current)


@dataclass(frozen=True)
class SiteScope:
    site: str | None
    lines: tuple[ScopeLine, ...]


@dataclass(frozen=True)
class StandardScope:
    standard: str
    sites: tuple[SiteScope, ...]


def grouped(lines: Iterable[ScopeLine]) -> list[StandardScope]:
    """The scope grouped by standard, then by site (all sites first), as a certificate prints it."""
    groups: dict[str, dict[str | None, list[ScopeLine]]] = {}
    for item in normalize(lines):
        groups.setdefault(item.standard, {}).setdefault(item.site, []).append(item)
    return [
        StandardScope(standard, tuple(SiteScope(site, tuple(items)) for site, items in sites.items()))
        for standard, sites in groups.items()
    ]


def codes_text(codes: Iterable[int]) -> str:
    ordered = sorted(codes)
    return f"IAF {', '.join(str(c) for c in ordered)}" if ordered else ""


def statement(
    lines: Sequence[ScopeLine],
    standard_names: Mapping[str, str] | None = None,
    site_names: Mapping[str, str] | None = None,
) -> str:
    """A scope statement generated from the lines, one paragraph per standard:
    ``ISO 9001:2015 — all sites: Design of pumps (IAF 18); Plant B: Assembly (IAF 18).``"""
    paragraphs = []
    for group in grouped(lines):
        parts = []
        for site in group.sites:
            activities = "; ".join(
                f"{item.activity} ({codes_text(item.codes)})" if item.codes else item.activity for item in site.lines
            )
            parts.append(f"{site_label(site.site, site_names)}: {activities}")
        name = (standard_names or {}).get(group.standard, group.standard)
        paragraphs.append(f"{name} — {'; '.join(parts)}.")
    return "\n".join(paragraphs)
