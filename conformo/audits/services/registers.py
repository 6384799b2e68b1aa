"""Complaints and appeals registers (ISO/IEC 17021-1 9.7, 9.8), each handled by people not involved in
their subject."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits.choices import AppealStatus, ComplaintStatus
from conformo.audits.models import Appeal, AuditProgramme, Complaint, TeamMember
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, has_cb_role, has_org_role
from conformo.organizations.models import CertificationBody, Organization

COMPLAINT_MOVES = {
    ComplaintStatus.RECEIVED: {ComplaintStatus.INVESTIGATING},
    ComplaintStatus.INVESTIGATING: {ComplaintStatus.RESOLVED},
    ComplaintStatus.RESOLVED: {ComplaintStatus.CLOSED, ComplaintStatus.INVESTIGATING},
}
STAFF = (*MANAGERS, "decision_maker")


def _log(actor: Actor, action: str, obj: Any, cb_id: int, org_id: int | None, **kwargs: Any) -> None:
    audit_log_record(actor=actor, action=action, obj=obj, certification_body_id=cb_id, organization_id=org_id, **kwargs)


def _involved_with(user: Any, organization_id: int | None) -> bool:
    """On an audit team of, or decider for, this organization."""
    if organization_id is None:
        return False
    return (
        TeamMember.objects.filter(auditor__user=user, audit__programme__organization_id=organization_id).exists()
        or AuditProgramme.objects.filter(
            organization_id=organization_id, certification__decisions__decided_by=user
        ).exists()
    )


@transaction.atomic
def complaint_receive(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    complainant: str,
    subject: str,
    description: str,
    organization: Organization | None = None,
    received_on: date | None = None,
) -> Complaint:
    """Register a complaint (CB staff record it; a client may file one about the CB's work for it)."""
    is_client = organization is not None and has_org_role(actor, organization.pk, "client_admin")
    if not (has_cb_role(actor, certification_body.pk, *STAFF) or is_client):
        raise PermissionDenied("Only CB staff or the client concerned can register a complaint.")
    if not subject.strip() or not description.strip():
        raise ValidationFailed("Give a subject and a description.", fields={"subject": ["Required."]})
    complaint = Complaint.objects.create(
        certification_body=certification_body,
        organization=organization,
        complainant=complainant.strip(),
        subject=subject.strip(),
        description=description.strip(),
        received_on=received_on or timezone.localdate(),
    )
    _log(
        actor,
        "complaint.receive",
        complaint,
        certification_body.pk,
        complaint.organization_id,
        after={"subject": complaint.subject},
    )
    return complaint


@transaction.atomic
def complaint_assign(*, actor: Actor, complaint: Complaint, handler: Any) -> Complaint:
    """Assign a handler who was not involved in the subject (not on its audit teams, not its decider)."""
    if not has_cb_role(actor, complaint.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can assign complaints.")
    if not has_cb_role(handler, complaint.certification_body_id, *STAFF):
        raise ValidationFailed("The handler must be a CB administrator, programme manager or decision maker.")
    if _involved_with(handler, complaint.organization_id):
        raise Conflict(
            f"{handler} was involved with {complaint.organization} (audit team or decision) and cannot handle "
            "this complaint (ISO/IEC 17021-1 9.8).",
            code="handler_involved",
        )
    complaint.handler = handler
    complaint.save(update_fields=["handler", "updated_at"])
    _log(
        actor,
        "complaint.assign",
        complaint,
        complaint.certification_body_id,
        complaint.organization_id,
        after={"handler": handler.email},
    )
    return complaint


@transaction.atomic
def complaint_advance(*, actor: Actor, complaint: Complaint, status: str, outcome: str = "") -> Complaint:
    """Move a complaint through received → investigating → resolved → closed (the handler only)."""
    if complaint.handler_id is None or complaint.handler_id != actor.pk:
        raise PermissionDenied("Only the complaint's assigned handler can move it on.")
    if status not in COMPLAINT_MOVES.get(ComplaintStatus(complaint.status), set()):
        raise Conflict(f"A complaint that is {complaint.get_status_display().lower()} cannot become {status}.")
    if status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) and not (outcome.strip() or complaint.outcome):
        raise ValidationFailed("Record the outcome.", fields={"outcome": ["Required."]})
    before = complaint.status
    complaint.status = status
    if outcome.strip():
        complaint.outcome = outcome.strip()
    if status == ComplaintStatus.CLOSED:
        complaint.closed_on = timezone.localdate()
    complaint.save()
    _log(
        actor,
        "complaint.advance",
        complaint,
        complaint.certification_body_id,
        complaint.organization_id,
        before={"status": before},
        after={"status": status, "outcome": complaint.outcome},
    )
    return complaint


@transaction.atomic
def appeal_lodge(*, actor: Actor, decision: Any, subject: str, grounds: str, received_on: date | None = None) -> Appeal:
    """A client appeals a certification decision (or CB staff record the appeal for it)."""
    certification = decision.certification
    if not (
        has_org_role(actor, certification.organization_id, "client_admin")
        or has_cb_role(actor, certification.certification_body_id, *MANAGERS)
    ):
        raise PermissionDenied("Only the client concerned or CB staff can lodge an appeal.")
    if not grounds.strip():
        raise ValidationFailed("Give the grounds of the appeal.", fields={"grounds": ["Required."]})
    appeal = Appeal.objects.create(
        certification_body_id=certification.certification_body_id,
        organization_id=certification.organization_id,
        decision=decision,
        subject=subject.strip() or f"Appeal against {decision}",
        grounds=grounds.strip(),
        received_on=received_on or timezone.localdate(),
    )
    _log(
        actor,
        "appeal.lodge",
        appeal,
        appeal.certification_body_id,
        appeal.organization_id,
        after={"decision": decision.pk, "subject": appeal.subject},
    )
    return appeal


@transaction.atomic
def appeal_assign(*, actor: Actor, appeal: Appeal, handler: Any) -> Appeal:
    """Assign an appeal to someone not involved: not the decider, not on the client's audit teams (9.7)."""
    if not has_cb_role(actor, appeal.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can assign appeals.")
    if not has_cb_role(handler, appeal.certification_body_id, *STAFF):
        raise ValidationFailed("The handler must be a CB administrator, programme manager or decision maker.")
    if _involved_with(handler, appeal.organization_id):
        raise Conflict(
            f"{handler} took part in the audits or decisions under appeal and cannot handle it (ISO/IEC 17021-1 9.7).",
            code="handler_involved",
        )
    appeal.handler = handler
    appeal.status = AppealStatus.UNDER_REVIEW
    appeal.save(update_fields=["handler", "status", "updated_at"])
    _log(
        actor,
        "appeal.assign",
        appeal,
        appeal.certification_body_id,
        appeal.organization_id,
        after={"handler": handler.email},
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal: Appeal, upheld: bool, outcome: str) -> Appeal:
    """The handler upholds or rejects the appeal, with the outcome."""
    if appeal.handler_id is None or appeal.handler_id != actor.pk:
        raise PermissionDenied("Only the appeal's assigned handler can decide it.")
    if appeal.status != AppealStatus.UNDER_REVIEW:
        raise Conflict("Only an appeal under review can be decided.")
    if not outcome.strip():
        raise ValidationFailed("Record the outcome.", fields={"outcome": ["Required."]})
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.outcome = outcome.strip()
    appeal.closed_on = timezone.localdate()
    appeal.save()
    _log(
        actor,
        "appeal.decide",
        appeal,
        appeal.certification_body_id,
        appeal.organization_id,
        after={"status": appeal.status, "outcome": appeal.outcome},
    )
    return appeal
