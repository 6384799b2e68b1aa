"""The structured scope as a certificate carries it (ISO/IEC 17021-1 8.2.2 f): a snapshot of the certification's
scope lines at issue, and its rendering grouped by standard and site (`conformo.domain.scope.grouped`).

A certificate without lines (imported, or issued before lines existed) reads as one line per standard for all
sites, with its scope statement as the activity and its IAF codes: the same rule the data migration used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformo.audits.scope_display import lines_snapshot, scope_groups

__all__ = ["certificate_lines", "lines_snapshot", "record_lines", "scope_groups"]


def record_lines(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The certificate's scope lines (a row or record with `scope_lines`, `standards`, `scope`, and
    `sector_codes` when known): the stored ones, else one per standard for all sites from the statement."""
    stored = row.get("scope_lines") or []
    if stored:
        return [
            {
                "standard": str(item.get("standard", "")),
                "designation": str(item.get("designation") or item.get("standard", "")),
                "site": item.get("site"),
                "address": str(item.get("address") or ""),
                "activity": str(item.get("activity", "")),
                "iaf_codes": [int(code) for code in item.get("iaf_codes") or []],
            }
            for item in stored
        ]
    codes = sorted(int(code) for code in row.get("sector_codes") or [])
    return [
        {
            "standard": str(standard.get("id", "")),
            "designation": str(standard.get("designation") or standard.get("id", "")),
            "site": None,
            "address": "",
            "activity": str(row.get("scope") or ""),
            "iaf_codes": codes,
        }
        for standard in row.get("standards") or []
    ]


def certificate_lines(certificate: Any) -> list[dict[str, Any]]:
    """`record_lines` of a `Certificate`."""
    return record_lines(
        {
            "scope_lines": certificate.scope_lines,
            "standards": certificate.standards,
            "scope": certificate.scope,
            "sector_codes": certificate.sector_codes,
        }
    )
