from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.core.errors import NotFound
from conformo.core.listing import filter_schema, filtered
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.filters import OrganizationFilter
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization, Site
from conformo.organizations.schemas import ClientRelationshipOut, OrganizationIn, OrganizationOut, SiteIn, SiteOut
from conformo.organizations.selectors import (
    client_relationship_get,
    client_relationship_list,
    organization_get,
    organization_list,
    site_get,
    site_list,
)
from conformo.organizations.services import (
    client_relationship_share_readiness,
    client_relationship_stop_sharing_readiness,
    organization_create,
    site_create,
    site_update,
)

router = Router(tags=["organizations"])

if TYPE_CHECKING:  # the query schema is built from the FilterSet at import time (core/listing.py)
    OrganizationQuery = Schema
else:
    OrganizationQuery = filter_schema(OrganizationFilter)


@router.get("/organizations", response={200: list[OrganizationOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def organizations(request: HttpRequest, filters: Query[OrganizationQuery], **kwargs: Any) -> Any:
    """Organizations you may see: your own, or your CB's clients. Search `q` (legal name, registration number),
    filters and `sort` as on the organizations page."""
    return filtered(OrganizationFilter, filters, organization_list(user=request.user), request)


@router.post("/organizations", response={201: OrganizationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def organization_create_endpoint(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    """Register a client organization of your CB."""
    cb = CertificationBody.objects.filter(
        public_id=payload.certification_body_id, memberships__user_id=request.user.pk or 0
    ).first()
    if cb is None:
        raise NotFound("No such certification body.")
    data = payload.model_dump(exclude={"certification_body_id"})
    return Status(201, organization_create(actor=request.user, certification_body=cb, **data))


@router.get("/organizations/{organization_id}", response={200: OrganizationOut, 404: ErrorOut})
def organization_detail(request: HttpRequest, organization_id: UUID) -> Organization:
    return organization_get(user=request.user, public_id=organization_id)


@router.get("/organizations/{organization_id}/sites", response=list[SiteOut])
@paginate(PageNumberPagination)
def sites(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[Site]:
    org = organization_get(user=request.user, public_id=organization_id)
    return site_list(user=request.user, organization=org)


@router.post(
    "/organizations/{organization_id}/sites", response={201: SiteOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def site_create_endpoint(request: HttpRequest, organization_id: UUID, payload: SiteIn) -> Status[Site]:
    org = organization_get(user=request.user, public_id=organization_id)
    return Status(201, site_create(actor=request.user, organization=org, **payload.model_dump()))


@router.put("/sites/{site_id}", response={200: SiteOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def site_update_endpoint(request: HttpRequest, site_id: UUID, payload: SiteIn) -> Site:
    site = site_get(user=request.user, public_id=site_id)
    return site_update(actor=request.user, site=site, **payload.model_dump())


@router.get("/organizations/{organization_id}/certification-bodies", response=list[ClientRelationshipOut])
@paginate(PageNumberPagination)
def client_relationships(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[ClientRelationship]:
    """The CBs the organization is a client of, and whether it shares its readiness work with each (its own
    people see all; CB staff see their CB's)."""
    org = organization_get(user=request.user, public_id=organization_id)
    return client_relationship_list(user=request.user, organization=org)


def _relationship(request: HttpRequest, organization_id: UUID, cb_id: UUID) -> ClientRelationship:
    org = organization_get(user=request.user, public_id=organization_id)
    return client_relationship_get(user=request.user, organization=org, certification_body_id=cb_id)


@router.post(
    "/organizations/{organization_id}/certification-bodies/{cb_id}/share-readiness",
    response={200: ClientRelationshipOut, 403: ErrorOut, 404: ErrorOut},
)
def share_readiness(request: HttpRequest, organization_id: UUID, cb_id: UUID) -> ClientRelationship:
    """Share the organization's readiness work with this CB, read-only (client administrator; idempotent)."""
    relationship = _relationship(request, organization_id, cb_id)
    return client_relationship_share_readiness(actor=request.user, relationship=relationship)


@router.post(
    "/organizations/{organization_id}/certification-bodies/{cb_id}/stop-sharing-readiness",
    response={200: ClientRelationshipOut, 403: ErrorOut, 404: ErrorOut},
)
def stop_sharing_readiness(request: HttpRequest, organization_id: UUID, cb_id: UUID) -> ClientRelationship:
    """Stop sharing the organization's readiness work with this CB (client administrator; idempotent)."""
    relationship = _relationship(request, organization_id, cb_id)
    return client_relationship_stop_sharing_readiness(actor=request.user, relationship=relationship)
