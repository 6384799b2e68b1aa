"""Readiness API: transition assessments (move an assessment to a new edition, its progress, confirm an item)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.schemas import ErrorOut, PositiveInt32
from conformo.readiness import selectors
from conformo.readiness.models import Item
from conformo.readiness.schemas import AssessmentOut, ItemOut, TransitionIn, TransitionProgressOut
from conformo.readiness.services import answer_confirm, assessment_transition
from conformo.standards.selectors import standard_get

router = Router(tags=["readiness"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/assessments/{assessment_id}/transition", response={201: AssessmentOut, **ERRORS})
def assessment_transition_endpoint(request: HttpRequest, assessment_id: UUID, payload: TransitionIn) -> Status:
    """Create the assessment of a new edition from this one (client administrators): answers, evidence and
    documents carried across the succession map (docs/readiness.md, "Transition assessment"). 422 with field
    `standard` when it is unknown or does not replace a standard of the assessment."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    try:
        standard = standard_get(code=payload.standard)
    except NotFound as exc:
        raise ValidationFailed("Unknown standard.", fields={"standard": [exc.message]}) from exc
    new = assessment_transition(actor=request.user, assessment=assessment, standard=standard, title=payload.title)
    return Status(201, selectors.assessment_get(user=request.user, public_id=new.public_id))


@router.get("/assessments/{assessment_id}/transition", response={200: TransitionProgressOut, 404: ErrorOut})
def assessment_transition_progress(request: HttpRequest, assessment_id: UUID) -> dict[str, Any]:
    """A transition assessment's progress (confirmed / to confirm / to review / open), deadline and dropped
    clauses; 404 for an assessment that is not a transition assessment."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    old = assessment.replaced_edition
    new = next((s for s in assessment.standards.all() if old and s.replaces_id == old.pk), None)
    if old is None or new is None:
        raise NotFound("This assessment is not a transition assessment.")
    progress = selectors.transition_progress(assessment=assessment)
    return {
        "replaced_edition": old.code,
        "standard": new.code,
        "previous_id": assessment.previous.public_id if assessment.previous is not None else None,
        "confirmed": progress.confirmed,
        "to_confirm": progress.to_confirm,
        "to_review": progress.to_review,
        "open": progress.open,
        "total": progress.total,
        "deadline": selectors.transition_deadline(organization=assessment.organization, standard=new),
        "dropped": assessment.dropped,
    }


@router.post("/assessments/{assessment_id}/items/{item_id}/confirm", response={200: ItemOut, **ERRORS})
def item_confirm_endpoint(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32) -> Item:
    """Confirm a carried-over (to_confirm) or merged/split (to_review) answer as it stands; 409
    `nothing_to_confirm` otherwise."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    answer_confirm(actor=request.user, item=item)
    return selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
