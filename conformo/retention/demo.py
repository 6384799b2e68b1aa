"""Demo: the demo CB's retention policy in force — the default six years for every kind, uploaded evidence kept
ten years and complaints deleted (not anonymised) once past retention. Loading again changes nothing."""

from __future__ import annotations

from conformo.core.actors import Actor
from conformo.organizations.models import CertificationBody
from conformo.retention.models import RetentionPolicy
from conformo.retention.services import policy_update

DEMO_POLICY = [
    {"kind": "applications", "years": 6, "action": "anonymise"},
    {"kind": "complaints", "years": 6, "action": "delete"},
    {"kind": "appeals", "years": 6, "action": "anonymise"},
    {"kind": "finding_evidence", "years": 10, "action": "delete"},
]


def demo_retention(*, actor: Actor, cb: CertificationBody) -> None:
    """Set the demo CB's retention policy unless it has one."""
    if not RetentionPolicy.objects.filter(certification_body=cb).exists():
        policy_update(actor=actor, certification_body=cb, rows=DEMO_POLICY)
