"""Demo: the demo CB's impartiality mechanism — a related body (its training arm), a register of four threats, a
committee of three and its meeting two months ago that reviewed three of them; the fourth, put on the register
thirteen months ago and never reviewed, is overdue (on the CB administrator's work list). Dates are relative to
today; loading again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conformo.audits.models import RelatedBody
from conformo.core.actors import Actor
from conformo.impartiality import services
from conformo.impartiality.models import Threat
from conformo.organizations.models import CertificationBody

THREATS: list[dict[str, Any]] = [
    {
        "kind": "familiarity",
        "source": "personnel",
        "title": "The same lead auditor for a client over several cycles",
        "description": "Long audit relationships build trust that can weaken the auditor's scepticism.",
        "likelihood": 2,
        "severity": 2,
        "controls": "The lead auditor changes at least every second cycle; the programme manager checks it.",
        "residual_level": "low",
    },
    {
        "kind": "self_interest",
        "source": "financing",
        "title": "Dependence on the fees of a large client",
        "description": "A client paying a large share of the CB's fees could press for a favourable decision.",
        "likelihood": 2,
        "severity": 3,
        "controls": "Decisions by decision makers with no commercial role; the committee sees the fee shares yearly.",
        "residual_level": "medium",
    },
    {
        "kind": "self_review",
        "source": "related_body",
        "title": "Public training courses by Northbridge Academy",
        "description": "The related body trains people who may later work for clients the CB audits.",
        "likelihood": 1,
        "severity": 3,
        "controls": "Public courses only, never client-specific solutions; attendance declared at application review.",
        "residual_level": "low",
    },
    {
        "kind": "intimidation",
        "source": "relationship",
        "title": "Pressure from a client to close findings early",
        "likelihood": 1,
        "severity": 2,
        "controls": "Findings are closed only on verified evidence; auditors report pressure to the CB administrator.",
        "residual_level": "low",
    },
]
MEMBERS = [
    ("Dr. Ana Ruiz", "Certified organizations"),
    ("Ben Okafor", "Trade association of manufacturers"),
    ("Clara Novak", "Consumers"),
]


def demo_impartiality(*, actor: Actor, cb: CertificationBody, today: date | None = None) -> None:
    """The demo CB's register, related body and committee, unless it has a register already."""
    if Threat.objects.filter(certification_body=cb).exists():
        return
    today = today or timezone.localdate()
    academy = RelatedBody.objects.filter(certification_body=cb, name="Northbridge Academy Ltd").first()
    if academy is None:
        academy = services.related_body_create(
            actor=actor,
            certification_body=cb,
            name="Northbridge Academy Ltd",
            relationship="A subsidiary of the same parent company",
            services="Public training courses on ISO management-system standards; no consultancy.",
        )
    threats = []
    for values in THREATS:
        on = today - timedelta(days=395 if values["kind"] == "intimidation" else 420)
        related = academy if values["source"] == "related_body" else None
        threats.append(
            services.threat_create(actor=actor, certification_body=cb, on=on, related_body=related, **values)
        )
    members = [
        services.committee_member_add(
            actor=actor, certification_body=cb, name=name, interest=interest, joined_on=today - timedelta(days=900)
        )
        for name, interest in MEMBERS
    ]
    services.meeting_record(
        actor=actor,
        certification_body=cb,
        held_on=today - timedelta(days=60),
        attendees=members,
        agenda="1. The register of threats and its controls. 2. Fee shares of the largest clients. 3. Complaints.",
        minutes="The controls of the three threats reviewed work; fee dependence stays medium and is watched. "
        "The register is to add the threat of pressure from clients at the next review.",
        reviewed=threats[:3],
        outcome="Controls in place and effective; residual levels unchanged.",
    )
