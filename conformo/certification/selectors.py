"""Reads for certifications and decisions, always through `visible_to(user)`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from conformo.audits.choices import AuditKind, FindingGrade, FindingStatus
from conformo.audits.models import Audit, Finding
from conformo.certification.models import Certification, CertificationState, Decision
from conformo.core.errors import NotFound


def certification_list(*, user: Any) -> QuerySet[Certification]:
    return Certification.objects.visible_to(user).select_related("organization").order_by("-created_at")


def certification_get(*, user: Any, public_id: Any) -> Certification:
    found = Certification.objects.visible_to(user).filter(public_id=public_id).first()
    if found is None:
        raise NotFound("No such certification.")
    return found


def decision_list(*, user: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.visible_to(user)
        .select_related("certification__organization", "decided_by")
        .order_by("-decided_on", "-created_at")
    )


def decision_get(*, user: Any, public_id: Any) -> Decision:
    found = Decision.objects.visible_to(user).filter(public_id=public_id).first()
    if found is None:
        raise NotFound("No such decision.")
    return found


def suspension_proposals(*, user: Any, today: date) -> list[dict[str, Any]]:
    """Active certifications the decision maker should consider suspending: a surveillance or
    recertification past its limit (17021-1 9.6.5.2 b), or a major nonconformity past its verification
    date (9.6.5.2 a). Proposals only: the decision stays with the decision maker. A certification past its
    expiry date reads as expired (`effective_state`) and is not proposed: it has ended, the state machine
    refuses a suspension after expiry."""
    certifications = list(
        Certification.objects.visible_to(user)
        .filter(state=CertificationState.ACTIVE)
        .exclude(expires_on__lt=today)
        .select_related("organization")
    )
    if not certifications:
        return []
    ids = [c.pk for c in certifications]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    for audit in (
        Audit.objects.filter(
            programme__certification_id__in=ids,
            programme__active=True,
            kind__in=[AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION],
            due_by__lt=today,
        )
        .exclude(status__in=["completed", "cancelled"])
        .select_related("programme")
    ):
        reasons[audit.programme.certification_id].append(
            f"{audit.get_kind_display()} was due by {audit.due_by} and has not taken place."
        )
    for finding in (
        Finding.objects.filter(
            audit__programme__certification_id__in=ids,
            grade=FindingGrade.MAJOR,
            verification_due__lt=today,
        )
        .exclude(status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN])
        .select_related("audit__programme")
    ):
        reasons[finding.audit.programme.certification_id].append(
            f"Major nonconformity {finding.reference} was due for verification by {finding.verification_due}."
        )
    return [{"certification": c, "reasons": reasons[c.pk]} for c in certifications if reasons[c.pk]]
