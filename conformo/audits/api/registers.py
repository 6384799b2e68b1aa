"""Complaints (17021-1 9.8) and appeals (9.7) under /api/v1/."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, cb_staff, visible_org
from conformo.audits.filters import ComplaintFilter
from conformo.audits.models import (
    Appeal,
    Complaint,
)
from conformo.audits.schemas import (
    AdvanceIn,
    AppealDecideIn,
    AppealOut,
    ComplaintIn,
    ComplaintOut,
    HandlerIn,
)
from conformo.core.errors import NotFound
from conformo.core.listing import filter_schema, filtered
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import CertificationBody

router = Router()

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    ComplaintQuery = Schema
else:
    ComplaintQuery = filter_schema(ComplaintFilter)


# --- complaints and appeals --------------------------------------------------------------------------------


@router.get("/complaints", response={200: list[ComplaintOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def complaints(request: HttpRequest, filters: Query[ComplaintQuery]) -> QuerySet[Complaint]:
    """Complaints you may read, the latest received first: search `q` (subject, complainant, organization),
    filters and `sort` as on the complaints page."""
    return filtered(ComplaintFilter, filters, selectors.complaint_list(user=request.user), request)


@router.post("/complaints", response={201: ComplaintOut, **E})
def complaint_receive(request: HttpRequest, payload: ComplaintIn) -> Status[Complaint]:
    cb = CertificationBody.objects.filter(public_id=payload.certification_body_id).first()
    if cb is None:
        raise NotFound("No such certification body.")
    org = visible_org(request.user, payload.organization_id) if payload.organization_id else None
    data = payload.model_dump(exclude={"certification_body_id", "organization_id"})
    return Status(201, services.complaint_receive(actor=request.user, certification_body=cb, organization=org, **data))


@router.post("/complaints/{complaint_id}/assign", response={200: ComplaintOut, **E})
def complaint_assign(request: HttpRequest, complaint_id: UUID, payload: HandlerIn) -> Complaint:
    complaint = selectors.complaint_get(user=request.user, public_id=complaint_id)
    handler = cb_staff(complaint.certification_body_id, payload.handler_email)
    return services.complaint_assign(actor=request.user, complaint=complaint, handler=handler)


@router.post("/complaints/{complaint_id}/advance", response={200: ComplaintOut, **E})
def complaint_advance(request: HttpRequest, complaint_id: UUID, payload: AdvanceIn) -> Complaint:
    complaint = selectors.complaint_get(user=request.user, public_id=complaint_id)
    return services.complaint_advance(actor=request.user, complaint=complaint, **payload.model_dump())


@router.post("/appeals/{appeal_id}/assign", response={200: AppealOut, **E})
def appeal_assign(request: HttpRequest, appeal_id: UUID, payload: HandlerIn) -> Appeal:
    appeal = selectors.appeal_get(user=request.user, public_id=appeal_id)
    handler = cb_staff(appeal.certification_body_id, payload.handler_email)
    return services.appeal_assign(actor=request.user, appeal=appeal, handler=handler)


@router.post("/appeals/{appeal_id}/decide", response={200: AppealOut, **E})
def appeal_decide(request: HttpRequest, appeal_id: UUID, payload: AppealDecideIn) -> Appeal:
    appeal = selectors.appeal_get(user=request.user, public_id=appeal_id)
    return services.appeal_decide(actor=request.user, appeal=appeal, upheld=payload.upheld, outcome=payload.outcome)
