"""Applications for certification and their review under /api/v1/."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, sites_of, standards_by_code, visible_org
from conformo.audits.filters import ApplicationFilter
from conformo.audits.models import (
    Application,
)
from conformo.audits.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationReviewOut,
    ApplicationScopeIn,
    ApplicationScopeOut,
    ReasonIn,
)
from conformo.core.errors import NotFound
from conformo.core.listing import filter_schema, filtered
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import CertificationBody

router = Router()

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    ApplicationQuery = Schema
else:
    ApplicationQuery = filter_schema(ApplicationFilter)


# --- applications and reviews --------------------------------------------------------------------------


@router.get("/applications", response={200: list[ApplicationOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def applications(request: HttpRequest, filters: Query[ApplicationQuery]) -> QuerySet[Application]:
    """Applications you may read, newest first: search `q` (organization, scope, standard, contact), filters and
    `sort` as on the applications page."""
    rows = selectors.application_list(user=request.user).order_by("-created_at", "-pk")
    return filtered(ApplicationFilter, filters, rows, request)


@router.post("/applications", response={201: ApplicationOut, **E})
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
    """Apply for certification (the client's administrator, or the CB on its behalf)."""
    org = visible_org(request.user, payload.organization_id)
    cb = CertificationBody.objects.filter(public_id=payload.certification_body_id).first()
    if cb is None:
        raise NotFound("No such certification body.")
    return Status(
        201,
        services.application_submit(
            actor=request.user,
            certification_body=cb,
            organization=org,
            standards=standards_by_code(payload.standards),
            scope=payload.scope,
            sites=sites_of(org, payload.site_ids),
            sector_codes=payload.sector_codes,
            complexity=payload.complexity,
            outsourced_processes=payload.outsourced_processes,
            consultancy_used=payload.consultancy_used,
            transfer=payload.transfer,
            contact_name=payload.contact_name,
            contact_email=payload.contact_email,
        ),
    )


@router.get("/applications/{application_id}", response={200: ApplicationOut, 404: ErrorOut})
def application_detail(request: HttpRequest, application_id: UUID) -> Application:
    return selectors.application_get(user=request.user, public_id=application_id)


@router.get("/applications/{application_id}/reviews", response={200: list[ApplicationReviewOut], 404: ErrorOut})
def application_reviews(request: HttpRequest, application_id: UUID) -> list[Any]:
    application = selectors.application_get(user=request.user, public_id=application_id)
    return list(application.reviews.select_related("determination"))


@router.post("/applications/{application_id}/review", response={201: ApplicationReviewOut, **E})
def application_review(request: HttpRequest, application_id: UUID) -> Status[Any]:
    """Review: accreditation, competence, audit time with its trace, sampling, quotation."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    return Status(201, services.application_review(actor=request.user, application=application))


@router.post("/applications/{application_id}/decline", response={200: ApplicationOut, **E})
def application_decline(request: HttpRequest, application_id: UUID, payload: ReasonIn) -> Application:
    application = selectors.application_get(user=request.user, public_id=application_id)
    return services.application_decline(actor=request.user, application=application, reason=payload.reason)


def _scope_out(application: Application) -> dict[str, Any]:
    lines = services.scope_lines(application)
    return {
        "application_id": application.public_id,
        "status": application.status,
        "lines": lines,
        "statement": services.scope_statement(lines),
    }


@router.get("/applications/{application_id}/scope", response={200: ApplicationScopeOut, 404: ErrorOut})
def application_scope(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    """The application's scope lines (standard, site or all sites, activity, IAF codes) and a statement made
    from them."""
    return _scope_out(selectors.application_get(user=request.user, public_id=application_id))


@router.post("/applications/{application_id}/scope", response={200: ApplicationScopeOut, **E})
def application_scope_set(request: HttpRequest, application_id: UUID, payload: ApplicationScopeIn) -> dict[str, Any]:
    """Replace the application's scope lines, all or none (the client's administrator or the CB's staff, until
    the application is accepted or declined); errors name their row: `lines.<row>.<field>`, rows from 0. A
    reviewed application goes back to be reviewed again."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    application = services.application_scope_set(
        actor=request.user,
        application=application,
        lines=[line.row() for line in payload.lines],
        replace_statement=payload.replace_statement,
    )
    return _scope_out(application)
