"""Scope lines for display: as a certificate stores them (a snapshot of names, not ids) and grouped by standard,
then site (all sites first), as the application, certification and certificate pages, the certificate PDF and
the public registry show them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from conformo.domain import scope as rules


def lines_snapshot(lines: Iterable[Any]) -> list[dict[str, Any]]:
    """Scope lines (`audits.ScopeLine` with standard and site loaded) as the certificate stores them."""
    return [
        {
            "standard": line.standard.code,
            "designation": line.standard.designation,
            "site": line.site.name if line.site is not None else None,
            "address": line.site.address if line.site is not None else "",
            "activity": line.activity,
            "iaf_codes": sorted(line.sector_codes),
        }
        for line in lines
    ]


def scope_groups(lines: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The lines grouped by standard, then site (all sites first), for the certificate, its PDF and the registry:
    ``[{"designation", "sites": [{"site", "address", "lines": [{"activity", "iaf_codes", "codes"}]}]}]``."""
    designations = {str(item["standard"]): str(item["designation"]) for item in lines}
    addresses = {item["site"]: item["address"] for item in lines if item["site"]}
    domain_lines = [
        rules.ScopeLine(
            str(item["standard"]), item["site"] or None, str(item["activity"]), frozenset(item["iaf_codes"])
        )
        for item in lines
        if str(item["activity"]).strip()
    ]
    return [
        {
            "designation": designations.get(group.standard, group.standard),
            "sites": [
                {
                    "site": site.site or "All sites",
                    "address": addresses.get(site.site, ""),
                    "lines": [
                        {
                            "activity": line.activity,
                            "iaf_codes": sorted(line.codes),
                            "codes": rules.codes_text(line.codes),
                        }
                        for line in site.lines
                    ],
                }
                for site in group.sites
            ],
        }
        for group in rules.grouped(domain_lines)
    ]
