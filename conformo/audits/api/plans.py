"""The audit plan under /api/v1/ (17021-1 9.2.3): its versions, drafting, editing and issuing by the CB,
acceptance or an objection to a team member by the client, and the CB's resolution of an objection."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E
from conformo.audits.models import Auditor, AuditPlan, PlanObjection
from conformo.audits.schemas import (
    ObjectionOut,
    ObjectionResolveIn,
    PlanEditIn,
    PlanIssueIn,
    PlanObjectIn,
    PlanOut,
    PlanSummaryOut,
)
from conformo.core.errors import ValidationFailed
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, PositiveInt32

router = Router()


@router.get("/audits/{audit_id}/plans", response={200: list[PlanSummaryOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def plan_versions(request: HttpRequest, audit_id: UUID, **kwargs: Any) -> QuerySet[AuditPlan]:
    """The plan's versions, newest first (the client sees the issued ones)."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.plan_versions(user=request.user, audit=audit)


@router.get("/audits/{audit_id}/plans/current", response={200: PlanOut, 404: ErrorOut})
def plan_current(request: HttpRequest, audit_id: UUID) -> AuditPlan:
    """The version issued to the client now."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.plan_get(user=request.user, audit=audit)


@router.get("/audits/{audit_id}/plans/{int:version}", response={200: PlanOut, 404: ErrorOut})
def plan_version(request: HttpRequest, audit_id: UUID, version: PositiveInt32) -> AuditPlan:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.plan_get(user=request.user, audit=audit, version=version)


@router.post("/audits/{audit_id}/plans/draft", response={201: PlanOut, **E})
def plan_draft(request: HttpRequest, audit_id: UUID) -> Status[AuditPlan]:
    """Open the first version as a draft, filled from the programme."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return Status(201, services.plan_draft(actor=request.user, audit=audit))


@router.post("/audits/{audit_id}/plans/edit", response={200: PlanOut, **E})
def plan_edit(request: HttpRequest, audit_id: UUID, payload: PlanEditIn) -> AuditPlan:
    """Edit the draft; after an issue this opens the next version. Fields left out stay as they are."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    values = payload.model_dump(exclude_none=True, exclude={"timetable"})
    rows = [row.model_dump() for row in payload.timetable] if payload.timetable is not None else None
    return services.plan_update(actor=request.user, audit=audit, timetable=rows, **values)


@router.post("/audits/{audit_id}/plans/issue", response={200: PlanOut, **E})
def plan_issue(request: HttpRequest, audit_id: UUID, payload: PlanIssueIn) -> AuditPlan:
    """Issue the draft to the client (a later version needs a change note)."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.plan_issue(actor=request.user, audit=audit, change_note=payload.change_note)


@router.post("/audits/{audit_id}/plans/accept", response={200: PlanOut, **E})
def plan_accept(request: HttpRequest, audit_id: UUID) -> AuditPlan:
    """The client accepts the issued version."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.plan_accept(actor=request.user, audit=audit)


@router.post("/audits/{audit_id}/plans/objections", response={201: ObjectionOut, **E})
def plan_object(request: HttpRequest, audit_id: UUID, payload: PlanObjectIn) -> Status[PlanObjection]:
    """The client objects to a member of the issued plan's team; the audit cannot start until it is resolved."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    auditor = Auditor.objects.filter(
        certification_body_id=audit.programme.certification_body_id, public_id=payload.auditor_id
    ).first()
    if auditor is None:
        raise ValidationFailed(
            "That person is not on the team of the issued plan.", fields={"auditor_id": ["Unknown."]}
        )
    return Status(201, services.plan_object(actor=request.user, audit=audit, auditor=auditor, reason=payload.reason))


@router.post("/plan-objections/{objection_id}/resolve", response={200: ObjectionOut, **E})
def objection_resolve(request: HttpRequest, objection_id: UUID, payload: ObjectionResolveIn) -> PlanObjection:
    """The CB resolves an objection: `replaced` (the member is off the team) or `kept` with the reason."""
    objection = selectors.objection_get(user=request.user, public_id=objection_id)
    return services.objection_resolve(
        actor=request.user, objection=objection, resolution=payload.resolution, note=payload.note
    )
