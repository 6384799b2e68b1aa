"""Improvement-log API: nonconformities, corrective actions, effectiveness checks."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.accounts.models import User
from conformo.core.errors import ValidationFailed
from conformo.core.listing import filter_schema, filtered
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.improvement.filters import NonconformityFilter
from conformo.improvement.models import Nonconformity
from conformo.improvement.schemas import (
    CbFindingOut,
    CorrectiveActionCompleteIn,
    CorrectiveActionIn,
    EffectivenessIn,
    NonconformityIn,
    NonconformityOut,
)
from conformo.improvement.selectors import (
    CORRECTIVE_ACTION_HISTORY,
    cb_findings,
    nonconformity_get,
    nonconformity_list,
)
from conformo.improvement.services import (
    corrective_action_complete,
    corrective_action_set,
    effectiveness_check_record,
    nonconformity_raise,
)
from conformo.organizations.tenancy import organization_for

router = Router(tags=["improvement"])
if TYPE_CHECKING:  # the query schema is built from the FilterSet at import time (core/listing.py)
    NonconformityQuery = Schema
else:
    NonconformityQuery = filter_schema(NonconformityFilter)

ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/organizations/{organization_id}/nonconformities",
    response={200: list[NonconformityOut], 404: ErrorOut, 422: ErrorOut},
)
@paginate(PageNumberPagination)
def nonconformities(
    request: HttpRequest,
    organization_id: UUID,
    filters: Query[NonconformityQuery],
    open_only: bool = False,
    **kwargs: Any,
) -> Any:
    """The organization's improvement log, newest first: search `q` (title, description, action), filters and
    `sort` as on the log's page; `open_only` keeps those not closed."""
    org = organization_for(request.user, organization_id)
    rows = nonconformity_list(user=request.user, organization=org, open_only=open_only)
    return filtered(NonconformityFilter, filters, rows.prefetch_related(*CORRECTIVE_ACTION_HISTORY), request)


@router.get("/organizations/{organization_id}/cb-findings", response={200: list[CbFindingOut], 404: ErrorOut})
def cb_findings_endpoint(request: HttpRequest, organization_id: UUID, awaiting_answer: bool = False) -> Any:
    """The findings the certification body raised about the organization (read-only here: the organization
    answers each on its `url`, the audits app's respond page). `awaiting_answer=true` keeps the nonconformities
    still waiting for the organization's answer, soonest response date first (what its dashboard counts as due)."""
    org = organization_for(request.user, organization_id)
    return cb_findings(user=request.user, organization=org, awaiting_answer=awaiting_answer)


@router.post("/organizations/{organization_id}/nonconformities", response={201: NonconformityOut, **ERRORS})
def nonconformity_raise_endpoint(request: HttpRequest, organization_id: UUID, payload: NonconformityIn) -> Status:
    org = organization_for(request.user, organization_id)
    nc = nonconformity_raise(actor=request.user, organization=org, **payload.model_dump())
    return Status(201, nonconformity_get(user=request.user, public_id=nc.public_id))


@router.get("/nonconformities/{nonconformity_id}", response={200: NonconformityOut, 404: ErrorOut})
def nonconformity_detail(request: HttpRequest, nonconformity_id: UUID) -> Nonconformity:
    return nonconformity_get(user=request.user, public_id=nonconformity_id)


@router.put("/nonconformities/{nonconformity_id}/corrective-action", response={200: NonconformityOut, **ERRORS})
def corrective_action_endpoint(request: HttpRequest, nonconformity_id: UUID, payload: CorrectiveActionIn) -> Any:
    """Record the correction, root cause and corrective action, with owner and due date."""
    nc = nonconformity_get(user=request.user, public_id=nonconformity_id)
    data = payload.model_dump()
    email = (data.pop("owner_email") or "").strip().lower()
    owner = User.objects.filter(email=email).first() if email else None
    if email and owner is None:
        raise ValidationFailed("No such user.", fields={"owner_email": ["No user with this email address."]})
    corrective_action_set(actor=request.user, nonconformity=nc, owner=owner, **data)
    return nonconformity_get(user=request.user, public_id=nonconformity_id)


@router.post(
    "/nonconformities/{nonconformity_id}/corrective-action/complete", response={200: NonconformityOut, **ERRORS}
)
def corrective_action_complete_endpoint(
    request: HttpRequest, nonconformity_id: UUID, payload: CorrectiveActionCompleteIn
) -> Any:
    nc = nonconformity_get(user=request.user, public_id=nonconformity_id)
    corrective_action_complete(actor=request.user, nonconformity=nc, completed_on=payload.completed_on)
    return nonconformity_get(user=request.user, public_id=nonconformity_id)


@router.post("/nonconformities/{nonconformity_id}/effectiveness-checks", response={201: NonconformityOut, **ERRORS})
def effectiveness_endpoint(request: HttpRequest, nonconformity_id: UUID, payload: EffectivenessIn) -> Status:
    """Record whether the corrective action worked: effective closes the nonconformity."""
    nc = nonconformity_get(user=request.user, public_id=nonconformity_id)
    effectiveness_check_record(actor=request.user, nonconformity=nc, **payload.model_dump())
    return Status(201, nonconformity_get(user=request.user, public_id=nonconformity_id))
