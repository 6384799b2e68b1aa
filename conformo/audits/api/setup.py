"""CB set-up under /api/v1/: settings, accreditations, the auditor register, qualifications, conflicts of
interest, unavailability and the auditor's calendar feed."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.accounts.models import User
from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, my_cb, standards_by_code
from conformo.audits.filters import AuditorFilter
from conformo.audits.ical import auditor_calendar
from conformo.audits.models import (
    Accreditation,
    Auditor,
)
from conformo.audits.schemas import (
    AccreditationIn,
    AccreditationOut,
    AuditorIn,
    AuditorOut,
    CBSettingsIO,
    ConflictIn,
    ConflictOut,
    UnavailabilityIn,
    UnavailabilityOut,
)
from conformo.audits.services.setup import SETTINGS_FIELDS
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.listing import filter_schema, filtered
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import Organization

router = Router()

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    AuditorQuery = Schema
else:
    AuditorQuery = filter_schema(AuditorFilter)


# --- CB set-up -----------------------------------------------------------------------------------------


@router.get("/certification-bodies/{cb_id}/settings", response={200: CBSettingsIO, 404: ErrorOut})
def cb_settings(request: HttpRequest, cb_id: UUID) -> Any:
    """The CB's choices for every non-normative rule (CB staff)."""
    return services.cb_settings_get(my_cb(request.user, cb_id))


@router.put("/certification-bodies/{cb_id}/settings", response={200: CBSettingsIO, **E})
def cb_settings_put(request: HttpRequest, cb_id: UUID, payload: CBSettingsIO) -> Any:
    data = {k: v for k, v in payload.model_dump().items() if k in SETTINGS_FIELDS}
    return services.cb_settings_update(actor=request.user, certification_body=my_cb(request.user, cb_id), **data)


@router.get("/accreditations", response=list[AccreditationOut])
@paginate(PageNumberPagination)
def accreditations(request: HttpRequest, **kwargs: Any) -> QuerySet[Accreditation]:
    return selectors.accreditation_list(user=request.user)


@router.post("/accreditations", response={201: AccreditationOut, **E})
def accreditation_create(request: HttpRequest, payload: AccreditationIn) -> Status[Accreditation]:
    data = payload.model_dump(exclude={"certification_body_id", "standards"})
    return Status(
        201,
        services.accreditation_create(
            actor=request.user,
            certification_body=my_cb(request.user, payload.certification_body_id),
            standards=standards_by_code(payload.standards),
            **data,
        ),
    )


class AuditorPagination(PageNumberPagination):
    """`PageNumberPagination` (the same parameters and answer) whose page's auditors read their qualifications as
    values (`selectors.with_qualifications`)."""

    def complete(self, rows: list[Any]) -> None:
        selectors.with_qualifications(rows, evaluations=True)


@router.get("/auditors", response={200: list[AuditorOut], 422: ErrorOut})
@paginate(AuditorPagination)
def auditors(request: HttpRequest, filters: Query[AuditorQuery]) -> QuerySet[Auditor]:
    """The auditor register (auditors see only themselves), by name: search `q` (name, e-mail, notes), filters
    and `sort` as on the auditors page."""
    rows = selectors.auditor_list(user=request.user).order_by("user__full_name", "user__email", "pk")
    return filtered(AuditorFilter, filters, rows, request)


@router.post("/auditors", response={201: AuditorOut, **E})
def auditor_register(request: HttpRequest, payload: AuditorIn) -> Status[Auditor]:
    cb = my_cb(request.user, payload.certification_body_id)
    user = User.objects.filter(email__iexact=payload.email, memberships__certification_body=cb).first()
    if user is None:
        raise ValidationFailed(f"No member of {cb} has the address {payload.email}.", fields={"email": ["Unknown."]})
    return Status(
        201, services.auditor_register(actor=request.user, certification_body=cb, user=user, notes=payload.notes)
    )


@router.get("/auditors/{auditor_id}", response={200: AuditorOut, 404: ErrorOut})
def auditor_detail(request: HttpRequest, auditor_id: UUID) -> Auditor:
    return selectors.auditor_get(user=request.user, public_id=auditor_id)


@router.post("/auditors/{auditor_id}/conflicts", response={201: ConflictOut, **E})
def conflict_declare(request: HttpRequest, auditor_id: UUID, payload: ConflictIn) -> Status[Any]:
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    org = Organization.objects.filter(
        public_id=payload.organization_id, client_relationships__certification_body_id=auditor.certification_body_id
    ).first()
    if org is None:
        raise NotFound("No such client organization.")
    data = payload.model_dump(exclude={"organization_id"})
    return Status(201, services.conflict_declare(actor=request.user, auditor=auditor, organization=org, **data))


@router.post("/auditors/{auditor_id}/unavailability", response={201: UnavailabilityOut, **E})
def unavailability_add(request: HttpRequest, auditor_id: UUID, payload: UnavailabilityIn) -> Status[Any]:
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    return Status(201, services.unavailability_add(actor=request.user, auditor=auditor, **payload.model_dump()))


@router.get(
    "/auditors/{auditor_id}/calendar.ics",
    response={404: ErrorOut},
    openapi_extra=file_response("The auditor's assignments (iCalendar)", "text/calendar"),
)
def auditor_ics(request: HttpRequest, auditor_id: UUID) -> HttpResponse:
    """The auditor's assignments as an iCalendar (RFC 5545) feed."""
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    return HttpResponse(auditor_calendar(auditor), content_type="text/calendar; charset=utf-8")
