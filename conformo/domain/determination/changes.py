"""What changed in the client's sites since an audit time was determined (a reason to determine it again)."""

from __future__ import annotations

from collections.abc import Iterable

from conformo.domain.determination.inputs import SiteFacts

LABELS = {
    "permanent": "permanent staff",
    "temporary": "temporary staff",
    "contractors": "contractors",
    "part_time": "part-time staff",
    "part_time_hours": "part-time hours per week",
    "repetitive": "staff in repetitive functions",
}


def site_changes(before: Iterable[SiteFacts], now: Iterable[SiteFacts]) -> tuple[str, ...]:
    """One sentence per change from ``before`` (the sites the time was determined on) to ``now`` (the same
    sites as they are today, and any new ones): a site gone, a new site, the central function moved, a
    personnel count changed (IAF MD 5 cl. 2.3: the effective personnel decides the audit time)."""
    old = {site.key: site for site in before}
    new = {site.key: site for site in now}
    changes: list[str] = []
    for key, site in old.items():
        current = new.get(key)
        if current is None:
            changes.append(f"{site.name} is no longer among the client's sites")
            continue
        if current.central != site.central:
            changes.append(f"{current.name} {'is now' if current.central else 'is no longer'} the central function")
        was, is_now = site.personnel_facts(), current.personnel_facts()
        moved = [f"{LABELS[name]} {was[name]} → {is_now[name]}" for name in LABELS if was[name] != is_now[name]]
        if moved:
            changes.append(f"{current.name}: {', '.join(moved)}")
    for key, site in new.items():
        if key not in old:
            changes.append(f"new site {site.name} ({site.permanent + site.temporary + site.contractors} persons)")
    return tuple(changes)
