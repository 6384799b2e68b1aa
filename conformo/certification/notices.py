"""What a certification decision tells: the client and the CB's office hear of it, once.

A decision that issues, suspends or withdraws a certificate is told by the certificate (`certificates.notices`,
with the number, dates and scope the reader wants); every other decision — a refusal, a restoration, one taken
before any certificate exists — is told here as `decision_taken`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from conformo.audits.notices import tell
from conformo.audits.recipients import client_and_cb_office
from conformo.audits.selectors import mark_use_duty
from conformo.certificates.services import TOLD_DECISIONS
from conformo.certification.models import CertificationState, Decision, DecisionChoice
from conformo.core.actors import Actor
from conformo.notifications.kinds import Kind

MARK_USE_DECISIONS = frozenset({DecisionChoice.SUSPEND, DecisionChoice.WITHDRAW})
"""Decisions whose notice repeats the client's duty about marks and references to certification (17021-1 9.6.5)."""


def decision_taken(*, actor: Actor, decision: Decision, certificate: Any) -> None:
    """The client and the CB's office (administrators, programme managers): a decision was taken on the
    certification, unless its certificate (`certificate`, None when there is none) already tells it."""
    if certificate is not None and decision.kind in TOLD_DECISIONS:
        return
    certification = decision.certification
    organization = certification.organization
    lines = [f"{decision.get_kind_display()}, decided on {decision.decided_on.isoformat()}."]
    if decision.reason:
        lines.append(f"Reason: {decision.reason[:500]}")
    lines.append(f"The certification is now: {CertificationState(decision.state_after).label.lower()}.")
    if decision.kind in MARK_USE_DECISIONS:
        duty = mark_use_duty(certification.certification_body_id, certification.organization_id)
        lines.append(f"Use of marks and references to certification: {duty}")
    tell(
        people=client_and_cb_office(certification, exclude=actor),
        of=certification,
        kind=Kind.DECISION_TAKEN,
        key=f"decision:{decision.pk}",
        subject=f"Certification decision — {decision.get_kind_display().lower()}: {organization}",
        lines=lines,
        link=reverse("certification:detail", args=[certification.public_id]),
        action="Open the certification",
    )
