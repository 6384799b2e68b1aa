"""Demo complaints and an appeal, so that the CB's registers and its figures (conformo.figures: complaints and
appeals with their days to close) have a history: made through the registers' services, once.

* a customer's complaint about Acme, received 45 days ago, investigated, resolved and closed today;
* a complaint about an auditor's conduct, received 10 days ago, still open;
* Foxtrot's appeal against its withdrawal, received 30 days ago, reviewed by the CB administrator (who took no
  part in Foxtrot's audits or decisions) and rejected today.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits import services
from conformo.audits.models import Complaint
from conformo.certification.models import Decision
from conformo.organizations.models import CertificationBody, Organization


@transaction.atomic
def demo_registers(cb: CertificationBody, today: date | None = None) -> None:
    """The demo's complaints and appeal at `cb` (nothing when it has complaints already, or no demo staff)."""
    if Complaint.objects.filter(certification_body=cb).exists():
        return
    today = today or timezone.localdate()
    admin = User.objects.filter(email="admin@northbridge.example").first()
    pm = User.objects.filter(email="programme@northbridge.example").first()
    acme = Organization.objects.filter(
        client_relationships__certification_body=cb, legal_name__startswith="Acme Precision Parts"
    ).first()
    if admin is None or pm is None or acme is None:
        return
    late = services.complaint_receive(
        actor=pm,
        certification_body=cb,
        organization=acme,
        complainant="A customer of Acme Precision Parts",
        subject="Certified parts delivered out of tolerance",
        description="Two deliveries of certified precision parts were out of tolerance; the customer asks whether "
        "the certification covers final inspection.",
        received_on=today - timedelta(days=45),
    )
    services.complaint_assign(actor=pm, complaint=late, handler=admin)
    services.complaint_advance(actor=admin, complaint=late, status="investigating")
    services.complaint_advance(
        actor=admin,
        complaint=late,
        status="resolved",
        outcome="Final inspection is in scope; the next surveillance audit samples the inspection records.",
    )
    services.complaint_advance(actor=admin, complaint=late, status="closed")
    services.complaint_receive(
        actor=pm,
        certification_body=cb,
        complainant="A client's quality manager",
        subject="An auditor arrived late on the second audit day",
        description="The audit started an hour late on day two without notice.",
        received_on=today - timedelta(days=10),
    )
    withdrawal = Decision.objects.filter(
        certification__certification_body=cb,
        certification__organization__legal_name="Foxtrot Metals Oy",
        kind="withdraw",
    ).first()
    if withdrawal is None:
        return
    appeal = services.appeal_lodge(
        actor=pm,
        decision=withdrawal,
        subject="Appeal against the withdrawal",
        grounds="The corrective actions were completed the week before the decision.",
        received_on=today - timedelta(days=30),
    )
    services.appeal_assign(actor=pm, appeal=appeal, handler=admin)
    services.appeal_decide(
        actor=admin,
        appeal=appeal,
        upheld=False,
        outcome="The actions were completed after the six months the suspension allowed (9.6.5.4): the "
        "withdrawal stands.",
    )
