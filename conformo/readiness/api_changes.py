"""Readiness API, part 3: evidence links of assessment items, a document's owner and approver, management
review actions, and a risk's treatment, status and linked clauses/controls. Mounted on the readiness router.

Every write goes through a service (permission check, audit-log entry); bad input answers 422 with
field errors."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.schemas import ErrorOut, PositiveInt32
from conformo.readiness import selectors
from conformo.readiness.api_programme import user_by_email
from conformo.readiness.models import Document, Evidence, ManagementReview, ReviewAction, Risk
from conformo.readiness.schemas import (
    EvidenceIn,
    EvidenceOut,
    ReviewActionDoneIn,
    ReviewActionIn,
    ReviewActionOut,
    RiskDetailOut,
    RiskPatch,
    RiskRerateIn,
    RiskResidualIn,
)
from conformo.readiness.services import (
    evidence_add,
    review_action_add,
    review_action_complete,
    risk_accept,
    risk_rate_residual,
    risk_rerate,
    risk_update,
)
from conformo.standards import clause_refs
from conformo.standards.models import Clause

router = Router(tags=["readiness"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def clauses_by_refs(refs: list[str]) -> list[Clause]:
    """Clauses and annex controls by reference in any accepted form ('iso-9001-2015:6.1',
    'iso-iec-27001-2022:A.5.1', the older 'iso-9001-2015 6.1'; conformo.standards.clause_refs); unknown or
    unreadable ones are a field error on `clauses`."""
    return clause_refs.clauses_by_refs(refs)


# --- Evidence of an assessment item -----------------------------------------------------------------------


def _evidence(answer_id: int) -> Any:
    return Evidence.objects.filter(answer_id=answer_id).select_related("document").order_by("created_at", "id")


@router.get("/assessments/{assessment_id}/items/{item_id}/evidence", response={200: list[EvidenceOut], 404: ErrorOut})
def evidence_list(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32) -> Any:
    """Evidence linked to the item's answer (shared answers share their evidence)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    return list(_evidence(item.answer_id))


@router.post("/assessments/{assessment_id}/items/{item_id}/evidence", response={201: EvidenceOut, **ERRORS})
def evidence_add_endpoint(
    request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32, payload: EvidenceIn
) -> Any:
    """Link evidence (a URL or a document of the register) to the item (client administrators, or the
    member who owns the item)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    document = None
    if payload.document_id is not None:
        document = (
            Document.objects.visible_to(request.user)
            .filter(public_id=payload.document_id, organization_id=assessment.organization_id)
            .first()
        )
        if document is None:
            raise ValidationFailed("No such document.", fields={"document_id": ["No such document in the register."]})
    evidence = evidence_add(actor=request.user, item=item, label=payload.label, url=payload.url, document=document)
    return Status(201, _evidence(item.answer_id).get(pk=evidence.pk))


# --- Management-review actions --------------------------------------------------------------------------


def _review(user: Any, public_id: UUID) -> ManagementReview:
    review = ManagementReview.objects.visible_to(user).filter(public_id=public_id).first()
    if review is None:
        raise NotFound("No such management review.")
    return review


def _actions(user: Any) -> Any:
    return ReviewAction.objects.visible_to(user).select_related("owner", "review")


@router.get("/management-reviews/{review_id}/actions", response={200: list[ReviewActionOut], 404: ErrorOut})
def review_actions(request: HttpRequest, review_id: UUID) -> Any:
    review = _review(request.user, review_id)
    return list(_actions(request.user).filter(review=review))


@router.post("/management-reviews/{review_id}/actions", response={201: ReviewActionOut, **ERRORS})
def review_action_add_endpoint(request: HttpRequest, review_id: UUID, payload: ReviewActionIn) -> Any:
    """Record an action decided at the review, with its owner and due date."""
    review = _review(request.user, review_id)
    action = review_action_add(
        actor=request.user,
        review=review,
        description=payload.description,
        owner=user_by_email(payload.owner_email, "owner_email"),
        due_date=payload.due_date,
    )
    return Status(201, _actions(request.user).get(pk=action.pk))


@router.post("/review-actions/{action_id}/done", response={200: ReviewActionOut, **ERRORS})
def review_action_done_endpoint(request: HttpRequest, action_id: UUID, payload: ReviewActionDoneIn) -> Any:
    """Mark a review action done (`{"done": false}` reopens it)."""
    action = _actions(request.user).filter(public_id=action_id).first()
    if action is None:
        raise NotFound("No such review action.")
    review_action_complete(actor=request.user, action=action, done=payload.done)
    return _actions(request.user).get(pk=action.pk)


# --- A risk's treatment, status and links ------------------------------------------------------------------


def _risk(user: Any, public_id: UUID) -> Risk:
    risk = (
        Risk.objects.visible_to(user)
        .select_related("owner", "accepted_by", "organization")
        .prefetch_related("clauses__standard")
        .filter(public_id=public_id)
        .first()
    )
    if risk is None:
        raise NotFound("No such risk.")
    return risk


@router.get("/risks/{risk_id}", response={200: RiskDetailOut, 404: ErrorOut})
def risk_detail(request: HttpRequest, risk_id: UUID) -> Risk:
    return _risk(request.user, risk_id)


@router.patch("/risks/{risk_id}", response={200: RiskDetailOut, **ERRORS})
def risk_update_endpoint(request: HttpRequest, risk_id: UUID, payload: RiskPatch) -> Risk:
    """Change the treatment, its status, the plan, the owner, or the linked clauses and controls (the whole
    list: `[]` unlinks all). Fields left out keep their value."""
    risk = _risk(request.user, risk_id)
    data = payload.model_dump(exclude_unset=True)
    kwargs: dict[str, Any] = {k: data[k] for k in ("treatment", "treatment_status", "treatment_plan") if k in data}
    if "owner_email" in data:
        kwargs["owner"] = user_by_email(data["owner_email"], "owner_email")
    if data.get("clauses") is not None:
        kwargs["clauses"] = clauses_by_refs(data["clauses"])
    risk_update(actor=request.user, risk=risk, **kwargs)
    return _risk(request.user, risk_id)


@router.post("/risks/{risk_id}/rerate", response={200: RiskDetailOut, **ERRORS})
def risk_rerate_endpoint(request: HttpRequest, risk_id: UUID, payload: RiskRerateIn) -> Risk:
    """Rate the risk again on the organization's matrix; the owner's acceptance is withdrawn."""
    risk_rerate(actor=request.user, risk=_risk(request.user, risk_id), **payload.model_dump())
    return _risk(request.user, risk_id)


@router.post("/risks/{risk_id}/residual", response={200: RiskDetailOut, **ERRORS})
def risk_residual_endpoint(request: HttpRequest, risk_id: UUID, payload: RiskResidualIn) -> Risk:
    """Record the residual rating after treatment; the owner's acceptance is withdrawn."""
    risk_rate_residual(actor=request.user, risk=_risk(request.user, risk_id), **payload.model_dump())
    return _risk(request.user, risk_id)


@router.post("/risks/{risk_id}/accept", response={200: RiskDetailOut, **ERRORS})
def risk_accept_endpoint(request: HttpRequest, risk_id: UUID) -> Risk:
    """The risk owner accepts the residual risk as rated (27001 6.1.3 f): 403 for anyone else, 409 before the
    residual rating or when already accepted."""
    risk_accept(actor=request.user, risk=_risk(request.user, risk_id))
    return _risk(request.user, risk_id)
