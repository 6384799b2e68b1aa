"""Demo improvement work, made through the services a client administrator uses. Loading twice changes nothing:
an organization that already has a nonconformity is left as it is.

- Acme Precision Parts (certified ISO 9001): an internal-audit nonconformity whose corrective action, owned by a
  client member, is due in ten days (it shows in the member's and the administrator's My work).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.improvement.models import Nonconformity
from conformo.improvement.services import corrective_action_set, nonconformity_raise
from conformo.organizations.models import Organization

ACME = "Acme Precision Parts GmbH"


@transaction.atomic
def demo_improvement() -> None:
    """Give Acme its open corrective action, once."""
    organization = Organization.objects.filter(legal_name=ACME).first()
    admin = User.objects.filter(email="quality@acme.example").first()
    owner = User.objects.filter(email="staff@acme.example").first()
    if organization is None or admin is None or owner is None:
        return
    if Nonconformity.objects.filter(organization=organization).exists():
        return
    today = timezone.localdate()
    nc = nonconformity_raise(
        actor=admin,
        organization=organization,
        source="internal_audit",
        grade="minor",
        title="Torque wrenches used past their calibration date",
        description="Two of the eight wrenches at the assembly bench were overdue for calibration.",
        raised_on=today - timedelta(days=12),
    )
    corrective_action_set(
        actor=admin,
        nonconformity=nc,
        correction="Both wrenches withdrawn and calibrated; parts assembled with them re-checked.",
        root_cause="The calibration register did not flag tools due within the month.",
        action="Register reports tools due within 30 days; weekly check by the bench supervisor.",
        due_date=today + timedelta(days=10),
        owner=owner,
    )
