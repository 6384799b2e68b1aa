"""Demo: a multi-site client, Linden Home & Garden GmbH — a retailer with a head office and 11 stores. Its ISO 9001
review shows the IAF MD 1 sample of stores per audit and the audit time of each site, with a justified reduction
for the processes the head office runs for the stores; the application is accepted. Made through the services,
once; dates relative to today."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from conformo.audits import services
from conformo.audits.choices import QualificationRole
from conformo.audits.models import Auditor
from conformo.certification.demo import CODES, _standards, _user
from conformo.certification.demo_agreements import accept_with_agreement
from conformo.certification.demo_data import demo_scope_set
from conformo.competence.demo import demo_qualify
from conformo.competence.services import Grant
from conformo.domain.determination import Adjustment, Choices, SitePlan
from conformo.fees.demo import demo_prices, demo_quotation
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.services import organization_create, site_create

RETAILER = "Linden Home & Garden GmbH"
STORES: list[tuple[str, int, int]] = [
    ("Graz", 18, 6),
    ("Innsbruck", 22, 4),
    ("Klagenfurt", 14, 6),
    ("Linz", 26, 8),
    ("Salzburg", 24, 6),
    ("St. Pölten", 12, 4),
    ("Villach", 11, 2),
    ("Wels", 16, 4),
    ("Wien Donaustadt", 30, 10),
    ("Wien Favoriten", 28, 8),
    ("Wiener Neustadt", 15, 4),
]
"""The retailer's stores: (town, permanent staff, part-time staff at 20 hours a week)."""


def demo_multi_site(cb: CertificationBody, today: date | None = None) -> None:
    """Linden Home & Garden, a retailer with a head office and 11 stores (IAF MD 1): its ISO 9001 application
    reviewed with the audit time per site, the sample of stores per audit and a justified reduction for the
    processes the head office runs for the stores, then accepted (once)."""
    today = today or timezone.localdate()
    if Organization.objects.filter(client_relationships__certification_body=cb, legal_name=RETAILER).exists():
        return
    std = _standards()
    lead = Auditor.objects.filter(certification_body=cb, user__email="lead.auditor@northbridge.example").first()
    if len(std) < len(CODES) or lead is None:
        return  # no catalogs or no auditors: the first part of the demo did not run
    admin, pm = _user("admin@northbridge.example"), _user("programme@northbridge.example")
    qms = std["iso-9001-2015"]
    since = today - timedelta(days=365)
    # Retail is IAF sector 29: the CB is accredited for it and its lead auditor qualified.
    services.accreditation_create(
        actor=admin,
        certification_body=cb,
        accreditation_body="UKAS",
        reference="0000-R",
        standards=[qms],
        sector_codes=[29],
        valid_from=since,
        valid_until=today + timedelta(days=3 * 365),
    )
    demo_qualify(
        admin=admin, auditor=lead, grants=[Grant(qms, [29], QualificationRole.LEAD_AUDITOR)], since=since, today=today
    )
    org = organization_create(
        actor=admin,
        legal_name=RETAILER,
        country="AT",
        registration_number="FN 456789 x",
        sector_codes=[29],
        certification_body=cb,
    )
    site_create(
        actor=admin,
        organization=org,
        name="Head office, Wien",
        country="AT",
        is_headquarters=True,
        permanent_staff=45,
        part_time_staff=6,
        part_time_hours_per_week=20,
    )
    for town, permanent, part_time in STORES:
        site_create(
            actor=admin,
            organization=org,
            name=f"Store {town}",
            country="AT",
            permanent_staff=permanent,
            part_time_staff=part_time,
            part_time_hours_per_week=20,
        )
    applied = today - timedelta(days=12)
    application = services.application_submit(
        actor=pm,
        certification_body=cb,
        organization=org,
        standards=[qms],
        scope="Retail sale of home and garden products in 11 stores, with central purchasing and logistics",
        sites=list(org.sites.all()),
        sector_codes=[29],
    )
    demo_scope_set(
        pm,
        application,
        [
            ("iso-9001-2015", None, "Retail sale of home and garden products", [29]),
            ("iso-9001-2015", "Head office, Wien", "Central purchasing, logistics and training for the stores", [29]),
        ],
    )
    stores = [s for s in org.sites.all() if not s.is_headquarters]
    central = "Purchasing, training and internal audits are run by the head office for every store."
    defaults = services.application_determination_record(actor=pm, application=application)
    plans = {plan["key"]: plan for plan in defaults.inputs["choices"]["site_plans"]}
    services.application_determine(
        actor=pm,
        application=application,
        choices=Choices(
            complexity={"iso-9001-2015": "low"},
            adjustments=(
                Adjustment(
                    "iso-9001-2015",
                    "low_risk",
                    Decimal(-10),
                    "Sale of packaged goods bought from certified suppliers; no manufacturing or repair.",
                ),
            ),
            method="sampling",
            site_plans=tuple(
                SitePlan(str(s.public_id), Decimal(10), central, tuple(plans[str(s.public_id)]["audits"]))
                for s in stores
            ),
            remote_percent={"stage1": Decimal(50)},
        ),
        on=applied,
    )
    demo_prices(actor=_user("admin@northbridge.example"), cb=cb)
    demo_quotation(actor=pm, application=application, on=applied + timedelta(days=1))
    accept_with_agreement(pm, application, applied + timedelta(days=2))


__all__ = ["demo_multi_site"]
