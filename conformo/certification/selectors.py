"""Reads for certifications and decisions, always through `visible_to(user)`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from conformo.audits.choices import AuditKind, FindingGrade, FindingStatus, ReportStatus
from conformo.audits.models import Audit, AuditReport, Finding
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


def awaiting_decision(*, user: Any) -> list[dict[str, Any]]:
    """The decision makers' queue: certifications whose grant or renewal can now be decided on the record -
    the report it rests on (stage 2 or transfer review for a pending certification, recertification for an
    active one; of the current programme) is issued with the team's recommendation (17021-1 9.5.1) - and no
    decision has been taken on that report yet. Oldest report first; two queries whatever the queue's size."""
    reports = (
        AuditReport.objects.filter(
            audit__programme__certification__in=Certification.objects.visible_to(user),
            audit__programme__active=True,
            status=ReportStatus.ISSUED,
        )
        .exclude(recommendation="")
        .filter(
            Q(
                audit__kind__in=[AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW],
                audit__programme__certification__state=CertificationState.PENDING,
            )
            | Q(
                audit__kind=AuditKind.RECERTIFICATION,
                audit__programme__certification__state=CertificationState.ACTIVE,
            )
        )
        .filter(~Exists(Decision.objects.filter(basis_report=OuterRef("pk"))))
        .select_related("audit__programme__certification__organization")
        .order_by("issued_at", "pk")
    )
    queue = []
    for report in reports:
        certification = report.audit.programme.certification
        renewal = report.audit.kind == AuditKind.RECERTIFICATION
        queue.append(
            {
                "certification": certification,
                "report": report,
                "audit": report.audit,
                "decision": "renew" if renewal else "grant",
            }
        )
    return queue
