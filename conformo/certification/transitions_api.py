"""Edition transitions under /api/v1/certification-bodies/{cb}/…: the CB's policy per transition (read by its
CB-wide staff, set by its administrator) and the clients still on an old edition, with their days left and risk.
No `from __future__ import annotations` here: django-ninja resolves the annotations at import."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from conformo.audits.api.lookups import E, my_cb
from conformo.audits.services.transitions import ClientTransition
from conformo.certification.transitions import (
    PolicyRow,
    transition_clients,
    transition_policies,
    transition_policy_save,
)
from conformo.core.errors import NotFound
from conformo.core.schemas import ErrorOut
from conformo.domain.transitions import DEFAULT_EXTRA_DAYS, DEFAULT_EXTRA_PERCENT, MAX_EXTRA_DAYS, MAX_EXTRA_PERCENT
from conformo.standards.models import Transition

router = Router(tags=["transitions"])


class TransitionPolicyIn(Schema):
    ends_on: date | None = Field(
        None, description="The CB's (or its accreditation body's) transition end; null: the standard-level end"
    )
    ends_on_basis: str = Field("", max_length=300, description="Whose decision the end is")
    extra_percent: Decimal = Field(
        DEFAULT_EXTRA_PERCENT,
        ge=0,
        le=MAX_EXTRA_PERCENT,
        max_digits=4,
        decimal_places=1,
        description="[P] Extra time of a transition audit as a share of its base time",
    )
    extra_days: Decimal = Field(
        DEFAULT_EXTRA_DAYS,
        ge=0,
        le=MAX_EXTRA_DAYS,
        max_digits=3,
        decimal_places=1,
        description="[P] Extra time of a transition audit in days",
    )
    combine_with_surveillance: bool = True
    combine_with_recertification: bool = True


class TransitionPolicyOut(Schema):
    transition_id: UUID
    old_standard: str = Field(description="Standard id of the edition being replaced, e.g. iso-14001-2015")
    new_standard: str
    published_on: date
    standard_ends_on: date = Field(description="The standard-level end (publication + 36 months by default)")
    ends_on: date = Field(description="The end this CB applies")
    set: bool = Field(description="False while the CB has saved no policy (the defaults apply)")
    ends_on_override: date | None
    ends_on_basis: str
    extra_percent: Decimal
    extra_days: Decimal
    combine_with_surveillance: bool
    combine_with_recertification: bool


class ClientTransitionOut(Schema):
    programme_id: UUID
    organization: str
    old_standard: str
    new_standard: str
    ends_on: date
    days_left: int
    transition_audit_id: UUID | None
    transition_audit_kind: str | None
    transition_audit_planned_end: date | None
    transition_audit_status: str | None
    risk: str = Field(description="Why the client is at risk of missing the window; empty when on track")


def policy_out(row: PolicyRow) -> dict[str, Any]:
    t, p = row.transition, row.policy
    return {
        "transition_id": t.public_id,
        "old_standard": t.old_standard.code,
        "new_standard": t.new_standard.code,
        "published_on": t.published_on,
        "standard_ends_on": t.ends_on,
        "ends_on": row.ends_on,
        "set": p.pk is not None,
        "ends_on_override": p.ends_on,
        "ends_on_basis": p.ends_on_basis,
        "extra_percent": p.extra_percent,
        "extra_days": p.extra_days,
        "combine_with_surveillance": p.combine_with_surveillance,
        "combine_with_recertification": p.combine_with_recertification,
    }


def client_out(row: ClientTransition) -> dict[str, Any]:
    audit = row.audit
    return {
        "programme_id": row.programme.public_id,
        "organization": row.programme.organization.legal_name,
        "old_standard": row.transition.old_standard.code,
        "new_standard": row.transition.new_standard.code,
        "ends_on": row.ends_on,
        "days_left": row.days_left,
        "transition_audit_id": audit.public_id if audit else None,
        "transition_audit_kind": audit.kind if audit else None,
        "transition_audit_planned_end": audit.planned_end if audit else None,
        "transition_audit_status": audit.status if audit else None,
        "risk": row.risk,
    }


@router.get(
    "/certification-bodies/{cb_id}/transitions",
    response={200: list[TransitionPolicyOut], 403: ErrorOut, 404: ErrorOut},
    summary="Edition transitions with the CB's policy",
)
def transitions(request: HttpRequest, cb_id: UUID) -> list[dict[str, Any]]:
    """Every edition transition of the catalog with this CB's policy (administrators, programme managers and
    decision makers)."""
    return [
        policy_out(row)
        for row in transition_policies(actor=request.user, certification_body=my_cb(request.user, cb_id))
    ]


@router.put(
    "/certification-bodies/{cb_id}/transitions/{transition_id}",
    response={200: TransitionPolicyOut, **E},
    summary="Set the CB's policy for a transition",
)
def transition_policy_put(
    request: HttpRequest, cb_id: UUID, transition_id: UUID, payload: TransitionPolicyIn
) -> dict[str, Any]:
    """Set the end the CB applies, the extra time of a transition audit and whether it may be combined (the CB
    administrator); the certificates on the old edition carry the new end at once. An end before the new
    edition's publication is a 422 on `ends_on`."""
    cb = my_cb(request.user, cb_id)
    transition = Transition.objects.filter(public_id=transition_id).first()
    if transition is None:
        raise NotFound("No such edition transition.")
    transition_policy_save(actor=request.user, certification_body=cb, transition=transition, **payload.model_dump())
    rows = transition_policies(actor=request.user, certification_body=cb)
    return policy_out(next(row for row in rows if row.transition.pk == transition.pk))


@router.get(
    "/certification-bodies/{cb_id}/transition-clients",
    response={200: list[ClientTransitionOut], 403: ErrorOut, 404: ErrorOut},
    summary="Clients still on an old edition",
)
def transition_clients_list(request: HttpRequest, cb_id: UUID) -> list[dict[str, Any]]:
    """The CB's clients whose programme certifies an edition being replaced: the end, the days left, the
    transition audit and why the client is at risk of missing the window (CB-wide staff)."""
    cb = my_cb(request.user, cb_id)
    return [
        client_out(row)
        for row in transition_clients(actor=request.user, certification_body=cb, today=timezone.localdate())
    ]
