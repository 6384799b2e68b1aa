"""Readiness API: assessments and their items, readiness scores, the stage-1 check."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.accounts.models import User
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, PositiveInt32
from conformo.organizations.tenancy import organization_for
from conformo.readiness import selectors
from conformo.readiness.choices import ItemStatus
from conformo.readiness.models import Assessment, Item
from conformo.readiness.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentRowOut,
    ItemOut,
    ItemPatch,
    ItemRowOut,
    ReadinessOut,
    Stage1Out,
)
from conformo.readiness.services import assessment_create, assessment_rerun, item_answer, item_override, item_share
from conformo.standards.models import Standard

router = Router(tags=["readiness"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _standards(codes: list[str]) -> list[Standard]:
    found = {s.code: s for s in Standard.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed("Unknown standard.", fields={"standards": [f"Unknown: {', '.join(unknown)}."]})
    return [found[c] for c in codes]


@router.get("/organizations/{organization_id}/assessments", response=list[AssessmentOut])
@paginate(PageNumberPagination)
def assessments(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[Assessment]:
    """Gap assessments of an organization, newest first."""
    org = organization_for(request.user, organization_id)
    return selectors.assessment_list(user=request.user, organization=org).prefetch_related("standards")


@router.post("/organizations/{organization_id}/assessments", response={201: AssessmentOut, **ERRORS})
def assessment_create_endpoint(request: HttpRequest, organization_id: UUID, payload: AssessmentIn) -> Status:
    """Create a gap assessment over one or more standards (client administrators)."""
    org = organization_for(request.user, organization_id)
    assessment = assessment_create(
        actor=request.user, organization=org, standards=_standards(payload.standards), title=payload.title
    )
    return Status(201, selectors.assessment_get(user=request.user, public_id=assessment.public_id))


@router.get("/assessments/{assessment_id}", response={200: AssessmentRowOut, 404: ErrorOut})
def assessment_detail(request: HttpRequest, assessment_id: UUID) -> dict[str, Any]:
    """An assessment: its title, organization, standards and the assessment it re-runs."""
    return selectors.assessment_detail_row(user=request.user, public_id=assessment_id)


@router.post("/assessments/{assessment_id}/rerun", response={201: AssessmentOut, **ERRORS})
def assessment_rerun_endpoint(request: HttpRequest, assessment_id: UUID) -> Status:
    """Start the next assessment from this one's answers, marked for review."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    new = assessment_rerun(actor=request.user, assessment=assessment)
    return Status(201, selectors.assessment_get(user=request.user, public_id=new.public_id))


@router.get("/assessments/{assessment_id}/items", response=list[ItemRowOut])
@paginate(PageNumberPagination)
def items(
    request: HttpRequest,
    assessment_id: UUID,
    standard: str | None = None,
    status: ItemStatus | None = None,
    **kwargs: Any,
) -> QuerySet[Any]:
    """The assessment's clauses and controls, optionally for one standard (`?standard=iso-iec-27001-2022`)
    and one status (`?status=implemented`; another value is a 422)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    std = None
    if standard:
        std = next((s for s in assessment.standards.all() if s.code == standard), None)
        if std is None:
            raise NotFound("This assessment does not cover that standard.")
    return selectors.item_api_rows(user=request.user, assessment=assessment, standard=std, status=status)


@router.get("/assessments/{assessment_id}/items/{item_id}", response={200: ItemOut, 404: ErrorOut})
def item_detail(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32) -> Item:
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    return selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)


@router.patch("/assessments/{assessment_id}/items/{item_id}", response={200: ItemOut, **ERRORS})
def item_update(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32, payload: ItemPatch) -> Item:
    """Answer an item. A shared (HS) answer changes in every standard of the assessment."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    data = payload.model_dump(exclude_unset=True)
    fields = ("status", "justification", "notes", "due_date", "apply_to_subclauses")
    kwargs: dict[str, Any] = {k: data[k] for k in fields if k in data}
    if "owner_email" in data:
        email = (data["owner_email"] or "").strip().lower()
        owner = User.objects.filter(email=email).first() if email else None
        if email and owner is None:
            raise ValidationFailed("No such user.", fields={"owner_email": ["No user with this email address."]})
        kwargs["owner"] = owner
    item_answer(actor=request.user, item=item, **kwargs)
    return selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)


@router.post("/assessments/{assessment_id}/items/{item_id}/override", response={200: ItemOut, **ERRORS})
def item_override_endpoint(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32) -> Item:
    """Answer this standard's clause differently from the shared HS answer."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    item_override(actor=request.user, item=item)
    return selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)


@router.post("/assessments/{assessment_id}/items/{item_id}/share", response={200: ItemOut, **ERRORS})
def item_share_endpoint(request: HttpRequest, assessment_id: UUID, item_id: PositiveInt32) -> Item:
    """Use the shared HS answer again for this item."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    item_share(actor=request.user, item=item)
    return selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)


@router.get("/assessments/{assessment_id}/readiness", response={200: ReadinessOut, 404: ErrorOut})
def readiness(request: HttpRequest, assessment_id: UUID) -> dict[str, Any]:
    """Readiness scores overall, per standard and per clause group (formula: docs/readiness.md)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    summary = selectors.assessment_summary(assessment=assessment)

    def out(name: str, s: Any) -> dict[str, Any]:
        return {"name": name, "percent": s.percent, "applicable": s.applicable, "total": s.total}

    return {
        "overall": out("overall", summary.overall),
        "standards": [out(k, v) for k, v in summary.by_standard.items()],
        "groups": [out(f"{k[0]} {k[1]}", v) for k, v in summary.by_group.items()],
    }


@router.get("/organizations/{organization_id}/stage1-check", response={200: Stage1Out, 404: ErrorOut})
def stage1(request: HttpRequest, organization_id: UUID) -> dict[str, Any]:
    """What a CB checks at stage 1, each item naming what is still missing."""
    from conformo.readiness.stage1 import stage1_for

    org = organization_for(request.user, organization_id)
    result = stage1_for(user=request.user, organization=org)
    return {
        "ready": all(i.ok for i in result),
        "items": [
            {"key": i.item.key.value, "label": i.item.label, "ok": i.ok, "missing": list(i.item.missing), "url": i.url}
            for i in result
        ],
    }


from conformo.readiness.api_programme import router as programme_router  # noqa: E402

router.add_router("", programme_router)

from conformo.readiness.api_changes import router as changes_router  # noqa: E402

router.add_router("", changes_router)

from conformo.readiness.api_transition import router as transition_router  # noqa: E402 - mounted after the routes above, like the others

router.add_router("", transition_router)
