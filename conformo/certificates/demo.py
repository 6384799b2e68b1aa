"""Demo certificates: every recorded decision of the demo has its certificate (idempotent catch-up).

Certificates exist only because of decisions, so the demo's certificates in each status (active,
suspended, withdrawn, expired) come from the CB-workflow demo's decisions; the decision service issues
them as it goes. `certificates_demo_load()` issues any that are missing (e.g. decisions loaded before the
certificates app existed) and changes nothing on a second run.
"""

from __future__ import annotations

from django.db import transaction

from conformo.certificates.models import Certificate, StatusChange
from conformo.certificates.services import ISSUING_KINDS, STATUS_KINDS, certificate_apply_decision
from conformo.certification.models import Decision


@transaction.atomic
def certificates_demo_load() -> int:
    """Apply every decision that has not reached its certificate yet, oldest first. Returns how many."""
    applied = 0
    issued = set(Certificate.objects.exclude(decision=None).values_list("decision_id", flat=True))
    moved = set(StatusChange.objects.exclude(decision=None).values_list("decision_id", flat=True))
    decisions = Decision.objects.select_related("certification", "decided_by").order_by("decided_on", "created_at")
    for decision in decisions:
        if decision.kind in ISSUING_KINDS and decision.pk in issued:
            continue
        if decision.kind in STATUS_KINDS and decision.pk in moved:
            continue
        if decision.kind not in ISSUING_KINDS and decision.kind not in STATUS_KINDS:
            continue
        if certificate_apply_decision(decision=decision, actor=None) is not None:
            applied += 1
    return applied
