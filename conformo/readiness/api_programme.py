"""Readiness API, part 2: documented information, internal audits, management reviews, risks, SoA.
Mounted on the readiness router (see api.py)."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.accounts.models import User
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.listing import filter_schema, filtered
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.tenancy import organization_for
from conformo.readiness import selectors
from conformo.readiness.filters import DocumentFilter, RiskFilter, with_rating
from conformo.readiness.models import Document, DocumentRevision, InternalAudit, ManagementReview, Risk, SoAVersion
from conformo.readiness.schemas import (
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    InternalAuditCompleteIn,
    InternalAuditIn,
    InternalAuditOut,
    ManagementReviewIn,
    ManagementReviewOut,
    PrefillIn,
    ReviewRecordIn,
    RevisionOut,
    RiskIn,
    RiskOut,
    SoARowOut,
    SoAVersionOut,
)
from conformo.readiness.services import (
    document_create,
    document_register_prefill,
    document_update,
    internal_audit_complete,
    internal_audit_plan,
    management_review_create,
    management_review_record,
    revision_approve,
    revision_create,
    revision_reject,
    revision_submit,
    risk_create,
    soa_publish,
)
from conformo.readiness.soa import soa_rows
from conformo.standards import clause_refs
from conformo.standards.models import Clause, Standard

router = Router(tags=["readiness"])
if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    DocumentQuery = Schema
    RiskQuery = Schema
else:
    DocumentQuery = filter_schema(DocumentFilter)
    RiskQuery = filter_schema(RiskFilter)

ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _standards(codes: list[str]) -> list[Standard]:
    found = {s.code: s for s in Standard.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed("Unknown standard.", fields={"standards": [f"Unknown: {', '.join(unknown)}."]})
    return [found[c] for c in codes]


def user_by_email(email: str | None, field: str) -> Any:
    """The user with this email; `None` for an empty string; a field error if there is none."""
    email = (email or "").strip().lower()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise ValidationFailed("No such user.", fields={field: ["No user with this email address."]})
    return user


def _documents(user: Any) -> QuerySet[Document]:
    return Document.objects.visible_to(user).select_related(
        "mandatory", "mandatory__standard", "current_revision", "approved_revision", "owner", "approver"
    )


def _document(user: Any, public_id: UUID) -> Document:
    document = _documents(user).select_related("organization").filter(public_id=public_id).first()
    if document is None:
        raise NotFound("No such document.")
    return document


@router.get(
    "/organizations/{organization_id}/documents",
    response={200: list[DocumentOut], 404: ErrorOut, 422: ErrorOut},
)
@paginate(PageNumberPagination)
def documents(request: HttpRequest, organization_id: UUID, filters: Query[DocumentQuery], **kwargs: Any) -> Any:
    """The register of documented information: search `q` (title, clause), filters and `sort` as on its page."""
    org = organization_for(request.user, organization_id)
    return filtered(DocumentFilter, filters, _documents(request.user).filter(organization=org), request)


@router.post("/organizations/{organization_id}/documents", response={201: DocumentOut, **ERRORS})
def document_create_endpoint(request: HttpRequest, organization_id: UUID, payload: DocumentIn) -> Status:
    org = organization_for(request.user, organization_id)
    document = document_create(actor=request.user, organization=org, **payload.model_dump())
    return Status(201, _document(request.user, document.public_id))


@router.post("/organizations/{organization_id}/documents/prefill", response={200: dict[str, int], **ERRORS})
def document_prefill_endpoint(request: HttpRequest, organization_id: UUID, payload: PrefillIn) -> dict[str, int]:
    """Add the mandatory documented information of the given standards to the register."""
    org = organization_for(request.user, organization_id)
    added = document_register_prefill(actor=request.user, organization=org, standards=_standards(payload.standards))
    return {"added": len(added)}


@router.get("/documents/{document_id}", response={200: DocumentOut, 404: ErrorOut})
def document_detail(request: HttpRequest, document_id: UUID) -> Document:
    return _document(request.user, document_id)


@router.patch("/documents/{document_id}", response={200: DocumentOut, **ERRORS})
def document_update_endpoint(request: HttpRequest, document_id: UUID, payload: DocumentPatch) -> Document:
    """Set the owner, the approver (the only one who may then approve) and the review-due date. Fields left
    out keep their value; an empty email clears."""
    document = _document(request.user, document_id)
    data = payload.model_dump(exclude_unset=True)
    owner = user_by_email(data["owner_email"], "owner_email") if "owner_email" in data else document.owner
    approver = (
        user_by_email(data["approver_email"], "approver_email") if "approver_email" in data else document.approver
    )
    try:
        document_update(
            actor=request.user,
            document=document,
            owner=owner,
            approver=approver,
            review_due=data.get("review_due", document.review_due),
        )
    except ValidationFailed as exc:
        exc.fields = {f"{k}_email" if k in ("owner", "approver") else k: v for k, v in exc.fields.items()}
        raise
    return _document(request.user, document_id)


@router.post("/documents/{document_id}/revisions", response={201: RevisionOut, **ERRORS})
def revision_create_endpoint(
    request: HttpRequest, document_id: UUID, change_note: Form[str] = "", file: File[UploadedFile] | None = None
) -> Status:
    """Start a draft revision, with an optional file (multipart field `file`)."""
    document = _document(request.user, document_id)
    upload = file or request.FILES.get("file")
    return Status(201, revision_create(actor=request.user, document=document, file=upload, change_note=change_note))


@router.post("/revisions/{revision_id}/{action}", response={200: RevisionOut, **ERRORS})
def revision_transition(request: HttpRequest, revision_id: UUID, action: str) -> DocumentRevision:
    """`submit` (draft → in review), `approve` (in review → approved), `reject` (in review → draft)."""
    revision = (
        DocumentRevision.objects.visible_to(request.user)
        .select_related("document", "document__approved_revision")
        .filter(public_id=revision_id)
        .first()
    )
    if revision is None:
        raise NotFound("No such revision.")
    services = {"submit": revision_submit, "approve": revision_approve, "reject": revision_reject}
    if action not in services:
        raise NotFound("No such action.")
    return services[action](actor=request.user, revision=revision)


def _clauses(refs: list[str]) -> list[Clause]:
    """The clauses an internal audit covers, by reference in any accepted form (not annex controls)."""
    return clause_refs.clauses_by_refs(refs, controls=False)


@router.get("/organizations/{organization_id}/internal-audits", response=list[InternalAuditOut])
@paginate(PageNumberPagination)
def internal_audits(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[InternalAudit]:
    org = organization_for(request.user, organization_id)
    return InternalAudit.objects.visible_to(request.user).filter(organization=org)


@router.post("/organizations/{organization_id}/internal-audits", response={201: InternalAuditOut, **ERRORS})
def internal_audit_plan_endpoint(request: HttpRequest, organization_id: UUID, payload: InternalAuditIn) -> Status:
    """Plan an internal audit over clauses given as '<standard code> <ref>'."""
    org = organization_for(request.user, organization_id)
    data = payload.model_dump()
    data["clauses"] = _clauses(data.pop("clauses"))
    return Status(201, internal_audit_plan(actor=request.user, organization=org, **data))


@router.post("/internal-audits/{audit_id}/complete", response={200: InternalAuditOut, **ERRORS})
def internal_audit_complete_endpoint(
    request: HttpRequest, audit_id: UUID, payload: InternalAuditCompleteIn
) -> InternalAudit:
    audit = InternalAudit.objects.visible_to(request.user).filter(public_id=audit_id).first()
    if audit is None:
        raise NotFound("No such internal audit.")
    return internal_audit_complete(actor=request.user, audit=audit, **payload.model_dump())


@router.get("/organizations/{organization_id}/audit-coverage", response={200: dict[str, Any], 404: ErrorOut})
def audit_coverage(request: HttpRequest, organization_id: UUID) -> dict[str, Any]:
    """Coverage matrix of the latest assessment's clauses by completed internal audits."""
    org = organization_for(request.user, organization_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    matrix = selectors.audit_coverage(user=request.user, organization=org, assessment=assessment)
    return {
        "standards": [s.code for s in matrix.standards],
        "rows": [{"ref": ref, "cells": cells} for ref, cells in matrix.rows],
        "percent": matrix.percent,
    }


def _review(user: Any, public_id: UUID) -> ManagementReview:
    review = ManagementReview.objects.visible_to(user).prefetch_related("standards").filter(public_id=public_id).first()
    if review is None:
        raise NotFound("No such management review.")
    return review


@router.post("/organizations/{organization_id}/management-reviews", response={201: ManagementReviewOut, **ERRORS})
def review_create_endpoint(request: HttpRequest, organization_id: UUID, payload: ManagementReviewIn) -> Status:
    org = organization_for(request.user, organization_id)
    review = management_review_create(
        actor=request.user, organization=org, title=payload.title, standards=_standards(payload.standards)
    )
    return Status(201, _review(request.user, review.public_id))


@router.get("/organizations/{organization_id}/management-reviews", response=list[ManagementReviewOut])
@paginate(PageNumberPagination)
def reviews(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[ManagementReview]:
    org = organization_for(request.user, organization_id)
    return ManagementReview.objects.visible_to(request.user).filter(organization=org).prefetch_related("standards")


@router.patch("/management-reviews/{review_id}", response={200: ManagementReviewOut, **ERRORS})
def review_record_endpoint(request: HttpRequest, review_id: UUID, payload: ReviewRecordIn) -> ManagementReview:
    """Record the inputs reviewed (keys from `required_inputs`), the date held, attendees and decisions."""
    review = _review(request.user, review_id)
    management_review_record(actor=request.user, review=review, **payload.model_dump())
    return _review(request.user, review_id)


@router.get("/organizations/{organization_id}/risks", response={200: list[RiskOut], 404: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def risks(request: HttpRequest, organization_id: UUID, filters: Query[RiskQuery], **kwargs: Any) -> Any:
    """The register of risks and opportunities: search `q` (title, description, plan), filters and `sort` as on
    its page."""
    org = organization_for(request.user, organization_id)
    rows = with_rating(Risk.objects.visible_to(request.user).filter(organization=org))
    return filtered(RiskFilter, filters, rows, request)


@router.post("/organizations/{organization_id}/risks", response={201: RiskOut, **ERRORS})
def risk_create_endpoint(request: HttpRequest, organization_id: UUID, payload: RiskIn) -> Status:
    org = organization_for(request.user, organization_id)
    return Status(201, risk_create(actor=request.user, organization=org, **payload.model_dump()))


def _soa_standard(assessment: Any) -> Standard:
    standard = next((s for s in assessment.standards.all() if "27001" in s.code), None)
    if standard is None:
        raise NotFound("This assessment does not include ISO/IEC 27001.")
    return standard


@router.get("/assessments/{assessment_id}/soa", response={200: list[SoARowOut], 404: ErrorOut})
def soa_current(request: HttpRequest, assessment_id: UUID) -> list[dict[str, Any]]:
    """The Statement of Applicability as it stands now (unpublished)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    return soa_rows(assessment=assessment, standard=_soa_standard(assessment))


@router.post("/assessments/{assessment_id}/soa/versions", response={201: SoAVersionOut, **ERRORS})
def soa_publish_endpoint(request: HttpRequest, assessment_id: UUID, note: str = "") -> Status:
    """Publish the SoA as a new numbered version (every control needs a justification)."""
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    return Status(
        201, soa_publish(actor=request.user, assessment=assessment, standard=_soa_standard(assessment), note=note)
    )


@router.get("/assessments/{assessment_id}/soa/versions", response=list[SoAVersionOut])
@paginate(PageNumberPagination)
def soa_versions(request: HttpRequest, assessment_id: UUID, **kwargs: Any) -> QuerySet[SoAVersion]:
    assessment = selectors.assessment_get(user=request.user, public_id=assessment_id)
    return SoAVersion.objects.visible_to(request.user).filter(assessment=assessment)
