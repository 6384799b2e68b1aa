"""Data of the demo lifecycle (`conformo.certification.demo`): the clients whose certificates end up in every
public status, and the structured scopes the demo applications are given."""

from __future__ import annotations

from collections.abc import Sequence

from conformo.accounts.models import User
from conformo.audits import services
from conformo.audits.models import Application

ScopeRow = tuple[str, str | None, str, list[int]]
"""(standard code, site name or None for all sites, activities, IAF sector codes)"""

ACME_SCOPE: list[ScopeRow] = [
    ("iso-9001-2015", None, "Design and machining of precision metal parts", [17]),
    ("iso-9001-2015", "Stuttgart plant (HQ)", "Heat treatment and assembly of machined components", [17, 18]),
    ("iso-9001-2015", "Leipzig warehouse", "Storage and dispatch of finished parts", [17]),
]
"""Acme's ISO 9001 scope: the whole company, and what each site adds."""


def demo_scope_set(pm: User, application: Application, rows: Sequence[ScopeRow]) -> None:
    """Give the application its structured scope (nothing when `rows` is empty), sites named by their names."""
    if not rows:
        return
    sites = {site.name: str(site.public_id) for site in application.organization.sites.all()}
    services.application_scope_set(
        actor=pm,
        application=application,
        lines=[
            {"standard": standard, "site": sites[site] if site else None, "activity": activity, "sector_codes": codes}
            for standard, site, activity, codes in rows
        ],
    )


STATUS_CLIENTS: list[dict[str, object]] = [
    {
        "legal_name": "Delta Logística S.A.",
        "country": "ES",
        "registration_number": "A-28123456",
        "sector_codes": [31],
        "standard": "iso-14001-2015",
        "scope": "Refrigerated warehousing and distribution of food products",
        "scope_lines": [
            ("iso-14001-2015", None, "Refrigerated warehousing and distribution of food products", [31]),
            ("iso-14001-2015", "Zaragoza hub", "Cross-docking of chilled food products", [31]),
        ],
        "sites": [
            {"name": "Valencia terminal (HQ)", "country": "ES", "is_headquarters": True, "permanent_staff": 70},
            {"name": "Zaragoza hub", "country": "ES", "permanent_staff": 25},
        ],
        # Granted 3 years and 2 months ago, never renewed: past its expiry date.
        "granted_days_ago": 3 * 365 + 60,
        "then": [],
    },
    {
        "legal_name": "Echo Engineering Ltd",
        "country": "IE",
        "registration_number": "IE-654321",
        "sector_codes": [18],
        "standard": "iso-45001-2018",
        "scope": "Design, installation and maintenance of industrial pumping equipment",
        "sites": [{"name": "Cork works (HQ)", "country": "IE", "is_headquarters": True, "permanent_staff": 55}],
        "granted_days_ago": 480,
        "then": [
            (
                "suspend",
                30,
                "Surveillance 1 was not held within the time limit (ISO/IEC 17021-1 9.6.5.1).",
            )
        ],
    },
    {
        "legal_name": "Foxtrot Metals Oy",
        "country": "FI",
        "registration_number": "FI-2345678-9",
        "sector_codes": [17],
        "standard": "iso-9001-2015",
        "scope": "Casting and machining of steel and aluminium components",
        "sites": [{"name": "Tampere foundry (HQ)", "country": "FI", "is_headquarters": True, "permanent_staff": 140}],
        "granted_days_ago": 730,
        "then": [
            ("suspend", 240, "Repeated failure to implement corrective actions for major nonconformities."),
            ("withdraw", 40, "The causes of the suspension were not resolved within six months (9.6.5.4)."),
        ],
    },
]
"""Demo clients whose certificates end up suspended, withdrawn and expired (and their decisions' dates)."""
