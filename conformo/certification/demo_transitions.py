"""Demo: Bluewater Logistics (ISO 14001) has its transition audit to the new edition planned inside the window,
when the catalog holds a transition away from ISO 14001:2015 (docs/cb-workflow.md "Edition transitions").

The audit is a transition audit of its own (the CB's default policy: a surveillance's time + half a day), planned
with the lead auditor about four months ahead, or just before the transition end when that comes sooner. Without
such a transition in the catalog nothing is added. Running it twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits import services
from conformo.audits.choices import QualificationRole
from conformo.audits.models import Auditor, AuditProgramme
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Transition

OLD_EDITION = "iso-14001-2015"
BLUEWATER = "NL"


def demo_transitions(cb: CertificationBody, today: date | None = None) -> None:
    today = today or timezone.localdate()
    transition = (
        Transition.objects.filter(old_standard__code=OLD_EDITION, published_on__lte=today, ends_on__gte=today)
        .select_related("new_standard")
        .order_by("ends_on")
        .first()
    )
    programme = (
        AuditProgramme.objects.filter(
            certification_body=cb, organization__country=BLUEWATER, active=True, standards__code=OLD_EDITION
        )
        .order_by("-cycle")
        .first()
    )
    if transition is None or programme is None or programme.audits.filter(transition=transition).exists():
        return
    pm = User.objects.get(email="programme@northbridge.example")
    lead = Auditor.objects.get(certification_body=cb, user__email="lead.auditor@northbridge.example")
    audit = services.transition_audit_add(actor=pm, programme=programme, transition=transition)
    end = min(today + timedelta(days=122), transition.ends_on)
    services.audit_plan(actor=pm, audit=audit, planned_start=end - timedelta(days=1), planned_end=end)
    services.audit_team_assign(actor=pm, audit=audit, members=[services.Member(lead, QualificationRole.LEAD_AUDITOR)])
