"""Demo data, made by calling the same services a user would. Loading twice changes nothing.

The composition of each app's demo step: the tenants and their people (organizations, accounts), then the
certification lifecycle (certification's step, which runs audits' services), the readiness work (readiness'), the
improvement log (improvement's), a few pending invitations (accounts'), the impartiality register and its
committee (impartiality's) and the retention policy (retention's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from conformo.accounts.demo import demo_invitations
from conformo.accounts.models import User
from conformo.accounts.services import membership_add, user_create
from conformo.certification.demo import certificates_demo_load, demo_lifecycle
from conformo.certification.demo_multi_site import demo_multi_site
from conformo.certification.demo_registers import demo_registers
from conformo.certification.demo_transitions import demo_transitions
from conformo.competence.demo import demo_competence
from conformo.core.actors import SYSTEM
from conformo.core.roles import Role
from conformo.impartiality.demo import demo_impartiality
from conformo.improvement.demo import demo_improvement
from conformo.organizations.models import CertificationBody
from conformo.organizations.services import certification_body_create, organization_create, site_create
from conformo.readiness.demo import demo_readiness, demo_transition
from conformo.retention.demo import demo_retention

DEMO_PASSWORD = "conformo-demo"  # noqa: S105 - the published demo password
DEMO_CB_NAME = "Northbridge Certification Ltd"

CB_STAFF: list[tuple[str, str, str]] = [
    ("admin@northbridge.example", "Alex Admin", Role.CB_ADMIN),
    ("programme@northbridge.example", "Priya Programme", Role.PROGRAMME_MANAGER),
    ("lead.auditor@northbridge.example", "Lena Lead", Role.AUDITOR),
    ("auditor@northbridge.example", "Omar Auditor", Role.AUDITOR),
    ("expert@northbridge.example", "Tess Technical", Role.AUDITOR),
    ("decision@northbridge.example", "Dana Decision", Role.DECISION_MAKER),
]

CLIENTS: list[dict[str, object]] = [
    {
        "legal_name": "Acme Precision Parts GmbH",
        "country": "DE",
        "registration_number": "HRB 123456",
        "sector_codes": [17, 18],
        "admin": ("quality@acme.example", "Quinn Quality"),
        "member": ("staff@acme.example", "Sam Staff"),
        "sites": [
            {
                "name": "Stuttgart plant (HQ)",
                "country": "DE",
                "is_headquarters": True,
                "permanent_staff": 120,
                "part_time_staff": 10,
                "part_time_hours_per_week": 20,
                "temporary_staff": 5,
                "shifts": 2,
            },
            {"name": "Leipzig warehouse", "country": "DE", "permanent_staff": 25, "contractors": 4},
        ],
    },
    {
        "legal_name": "Bluewater Logistics B.V.",
        "country": "NL",
        "registration_number": "KvK 87654321",
        "sector_codes": [31],
        "admin": ("ehs@bluewater.example", "Eva Safety"),
        "member": None,
        "sites": [
            {
                "name": "Rotterdam depot (HQ)",
                "country": "NL",
                "is_headquarters": True,
                "permanent_staff": 60,
                "temporary_staff": 12,
                "shifts": 3,
            },
            {"name": "Antwerp hub", "country": "BE", "permanent_staff": 30},
            {"name": "Duisburg cross-dock", "country": "DE", "permanent_staff": 18},
        ],
    },
    {
        "legal_name": "Cobalt Cloud Services Ltd",
        "country": "GB",
        "registration_number": "GB-09876543",
        "sector_codes": [33],
        "admin": ("ciso@cobalt.example", "Casey Security"),
        "member": ("engineer@cobalt.example", "Eli Engineer"),
        "sites": [
            {
                "name": "London office (HQ)",
                "country": "GB",
                "is_headquarters": True,
                "permanent_staff": 85,
                "contractors": 10,
            },
        ],
    },
]


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str]] = field(default_factory=list)


def _user(email: str, full_name: str) -> User:
    existing = User.objects.filter(email=email).first()
    if existing:
        return existing
    user = user_create(actor=SYSTEM, email=email, password=None, full_name=full_name)
    # Hash the shared demo password once rather than once per user (PBKDF2 is slow on purpose).
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    return user


@cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def demo_load() -> DemoResult:
    """Create the demo CB, its staff and three clients unless they exist. Returns the demo logins."""
    result = DemoResult(created=False)
    cb = CertificationBody.objects.filter(name=DEMO_CB_NAME).first()
    if cb is None:
        result.created = True
        cb = certification_body_create(actor=SYSTEM, name=DEMO_CB_NAME, country="GB", short_name="NBC")
        for email, name, role in CB_STAFF:
            membership_add(actor=SYSTEM, user=_user(email, name), role=role, certification_body=cb)
        for client in CLIENTS:
            org = organization_create(
                actor=SYSTEM,
                legal_name=str(client["legal_name"]),
                country=str(client["country"]),
                registration_number=str(client["registration_number"]),
                sector_codes=list(client["sector_codes"]),  # type: ignore[call-overload]
                certification_body=cb,
            )
            for site in client["sites"]:  # type: ignore[attr-defined]
                site_create(actor=SYSTEM, organization=org, **site)
            admin: tuple[str, str] = client["admin"]  # type: ignore[assignment]
            membership_add(actor=SYSTEM, user=_user(*admin), role=Role.CLIENT_ADMIN, organization=org)
            if client["member"]:
                member: tuple[str, str] = client["member"]  # type: ignore[assignment]
                membership_add(actor=SYSTEM, user=_user(*member), role=Role.CLIENT_MEMBER, organization=org)
    demo_lifecycle(cb)
    demo_multi_site(cb)
    demo_competence(cb)
    certificates_demo_load()
    demo_registers(cb)
    demo_readiness()
    demo_transition()
    demo_transitions(cb)  # the CB's side of Bluewater's move, once the example edition is loaded
    demo_improvement()
    demo_invitations()
    demo_impartiality(actor=SYSTEM, cb=cb)
    demo_retention(actor=SYSTEM, cb=cb)
    result.logins = [(email, Role(role).label) for email, _, role in CB_STAFF]
    for client in CLIENTS:
        result.logins.append((client["admin"][0], f"Client administrator, {client['legal_name']}"))  # type: ignore[index]
        if client["member"]:
            result.logins.append((client["member"][0], f"Client member, {client['legal_name']}"))  # type: ignore[index]
    return result
