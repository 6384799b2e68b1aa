"""Demo: the demo CB's retention policy in force, a row for every kind — the default six years, uploaded evidence
kept ten years and complaints deleted (not anonymised) once past retention, the certification file anonymised.
Loading again changes nothing."""

from __future__ import annotations

from typing import Any

from conformo.core.actors import Actor
from conformo.organizations.models import CertificationBody
from conformo.retention.models import RetentionPolicy
from conformo.retention.services import policy_update

DEMO_POLICY: list[dict[str, Any]] = [
    {"kind": "applications", "years": 6, "action": "anonymise"},
    {"kind": "complaints", "years": 6, "action": "delete"},
    {"kind": "appeals", "years": 6, "action": "anonymise"},
    {"kind": "finding_evidence", "years": 10, "action": "delete"},
    # The certification file: kept six years, then anonymised (never deleted: docs/rules.md R7).
    *(
        {"kind": kind, "years": 6, "action": "anonymise"}
        for kind in (
            "audit_plans",
            "audit_reports",
            "findings",
            "decisions",
            "certificates",
            "agreements",
            "quotations",
        )
    ),
]


def demo_retention(*, actor: Actor, cb: CertificationBody) -> None:
    """Set the demo CB's retention policy unless it has one."""
    if not RetentionPolicy.objects.filter(certification_body=cb).exists():
        policy_update(actor=actor, certification_body=cb, rows=DEMO_POLICY)
