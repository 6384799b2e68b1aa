"""The scale demo: `conformo demo --scale N [--seed S]` builds a realistic data set for list and report
benchmarks — N client organizations of their own certification body ("Scale Demo CB") with three years of
history, every row made through the same services a user would go through (audit log included).

The plan (names, dates, outcomes) comes from `demo_scale_plan`, one seeded generator: the same N and seed give
the same data set. The loader runs once per database: a second run is refused, naming the existing CB. The small
demo (`conformo demo`) is a separate CB and never mixes with it.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.accounts.services import membership_add
from conformo.audits import services
from conformo.audits.choices import AuditStatus, QualificationRole
from conformo.audits.models import Audit, Auditor, Finding
from conformo.certificates.models import Certificate
from conformo.certification.demo import _standards
from conformo.certification.demo_agreements import DEMO_AGREEMENT
from conformo.competence.demo import demo_qualify
from conformo.competence.services import Grant
from conformo.core.actors import SYSTEM
from conformo.core.errors import Conflict
from conformo.core.roles import Role
from conformo.home.demo import _user
from conformo.home.demo_scale_lifecycle import ScaleCast, certification_run
from conformo.home.demo_scale_plan import SECTORS, STANDARD_CODES, ClientPlan, ScalePlan, scale_plan
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.services import certification_body_create, organization_create, site_create

SCALE_CB_NAME = "Scale Demo CB"
STAFF_DOMAIN = "scale-demo.example"


@dataclass
class ScaleResult:
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def _staff(cb: CertificationBody, email: str, name: str, role: str) -> User:
    user = _user(f"{email}@{STAFF_DOMAIN}", name)
    membership_add(actor=SYSTEM, user=user, role=role, certification_body=cb)
    return user


def _cast(cb: CertificationBody, plan: ScalePlan, today: date) -> ScaleCast:
    """The CB's staff, accreditation, auditors with their qualifications and the published agreement."""
    std = _standards()
    missing = [code for code in STANDARD_CODES if code not in std]
    if missing:
        raise Conflict(f"The standards catalog lacks {', '.join(missing)}; load the catalogs first.")
    standards = [std[code] for code in STANDARD_CODES]
    admin = _staff(cb, "admin", "Sasha Admin", Role.CB_ADMIN)
    pm = _staff(cb, "programme", "Pat Programme", Role.PROGRAMME_MANAGER)
    deciders = [_staff(cb, f"decision{k}", f"Decision Maker {k}", Role.DECISION_MAKER) for k in (1, 2)]
    since = today - timedelta(days=5 * 365)
    services.accreditation_create(
        actor=admin,
        certification_body=cb,
        accreditation_body="UKAS",
        reference="SCALE-0001",
        standards=standards,
        sector_codes=list(SECTORS),
        valid_from=since,
        valid_until=today + timedelta(days=3 * 365),
    )
    auditors = []
    for k, name in enumerate(plan.auditors, start=1):
        user = _staff(cb, f"auditor{k:03d}", name, Role.AUDITOR)
        auditor = services.auditor_register(actor=admin, certification_body=cb, user=user)
        # a qualification comes only from an evaluation: one at `since`, re-evaluated every two years
        demo_qualify(
            admin=admin,
            auditor=auditor,
            grants=[Grant(s, list(SECTORS), QualificationRole.LEAD_AUDITOR) for s in standards],
            since=since,
            today=today,
        )
        auditors.append(auditor)
    draft = services.agreement_template_create(actor=admin, certification_body=cb, **DEMO_AGREEMENT)
    template = services.agreement_template_publish(actor=admin, template=draft)
    clauses = {s.code: list(s.clauses.filter(parent__isnull=False).order_by("pk")[:60]) for s in standards}
    return ScaleCast(
        cb=cb,
        pm=pm,
        decision_makers=deciders,
        auditors=auditors,
        standards={s.code: s for s in standards},
        clauses=clauses,
        agreement_version=template.version,
        rng=random.Random(plan.seed + 1),  # noqa: S311 - reproducible demo data, not security
    )


def _client(cast: ScaleCast, client: ClientPlan) -> tuple[Organization, User]:
    org = organization_create(
        actor=SYSTEM,
        legal_name=client.legal_name,
        country=client.country,
        registration_number=client.registration_number,
        sector_codes=list(client.sector_codes),
        certification_body=cast.cb,
    )
    for position, (name, staff) in enumerate(client.sites):
        site_create(
            actor=SYSTEM,
            organization=org,
            name=name,
            country=client.country,
            is_headquarters=position == 0,
            permanent_staff=staff,
        )
    user = _user(client.admin_email, client.admin_name)
    membership_add(actor=SYSTEM, user=user, role=Role.CLIENT_ADMIN, organization=org)
    return org, user


def scale_counts(cb: CertificationBody, today: date) -> tuple[dict[str, int], dict[str, int]]:
    """What the CB holds: counts of its rows, and its current certificates by the status read today. The audits
    are every audit of the programmes (five per cycle, from stage 1 to recertification); those held are
    completed."""
    counts = {
        "organizations": Organization.objects.filter(client_relationships__certification_body=cb).count(),
        "auditors": Auditor.objects.filter(certification_body=cb).count(),
        "audits": Audit.objects.filter(programme__certification_body=cb).count(),
        "audits held": Audit.objects.filter(programme__certification_body=cb, status=AuditStatus.COMPLETED).count(),
        "findings": Finding.objects.filter(audit__programme__certification_body=cb).count(),
        "certificates": Certificate.objects.filter(certification_body=cb, is_current=True).count(),
    }
    current = Certificate.objects.filter(certification_body=cb, is_current=True).only("status", "expires_on")
    statuses = Counter(certificate.effective_status(today) for certificate in current)
    return counts, dict(sorted(statuses.items()))


@transaction.atomic
def demo_scale_load(
    n: int, seed: int = 1, today: date | None = None, progress: Callable[[int, int], None] | None = None
) -> ScaleResult:
    """Build the scale demo of `n` clients with `seed`; refused if the scale demo CB exists already."""
    if n < 1:
        raise Conflict("The scale is the number of client organizations: give at least 1.")
    if CertificationBody.objects.filter(name=SCALE_CB_NAME).exists():
        raise Conflict(
            f"The scale demo is already loaded (certification body {SCALE_CB_NAME!r}); "
            "it is built once per database — load it into an empty database."
        )
    started = time.monotonic()
    today = today or timezone.localdate()
    plan = scale_plan(n, seed)
    cb = certification_body_create(actor=SYSTEM, name=SCALE_CB_NAME, country="GB", short_name="SDC")
    cast = _cast(cb, plan, today)
    for index, client in enumerate(plan.clients, start=1):
        org, user = _client(cast, client)
        for certification in client.certifications:
            certification_run(cast, org, user, certification, today)
        if progress is not None:
            progress(index, n)
    counts, statuses = scale_counts(cb, today)
    return ScaleResult(seconds=time.monotonic() - started, counts=counts, statuses=statuses)
