"""Findings under /api/v1/: raise, the client's response, the auditor's review, verification, attachments."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import F, Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, clauses_by_ref, sites_of
from conformo.audits.filters import FindingFilter
from conformo.audits.models import Finding
from conformo.audits.schemas import (
    AttachmentOut,
    FindingEditIn,
    FindingIn,
    FindingOut,
    FindingResponseReviewIn,
    FindingWithdrawIn,
    ResponseIn,
    ResponseOut,
    VerificationOut,
    VerifyIn,
)
from conformo.core.errors import NotFound
from conformo.core.listing import filter_schema, filtered, own_and_joined
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, listed_as
from conformo.standards.models import Clause

router = Router()

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    FindingQuery = Schema
else:
    FindingQuery = filter_schema(FindingFilter)


# --- findings ------------------------------------------------------------------------------------------------


#: What `FindingOut` reads of the rows a finding joins (its audit's id, the client's name, the site's name) and of
#: its clauses (`clause_ref` and `ClauseRefOut`): not the audit's, programme's and client's whole rows with their
#: JSON, nor each clause's guidance. The relations are prefetched as lists (`listed_as`), which `FindingOut` reads
#: without a related manager and queryset per finding and relation.
FINDING_JOINED = ("audit__public_id", "audit__programme__organization__legal_name", "site__name")
FINDING_PREFETCH = (
    Prefetch(
        "clauses",
        queryset=Clause.objects.select_related("standard").only("kind", "ref", "title", "standard__code"),
        to_attr=listed_as("clauses"),
    ),
    Prefetch("responses", to_attr=listed_as("responses")),
    Prefetch("verifications", to_attr=listed_as("verifications")),
)


@router.get("/findings", response={200: list[FindingOut], 422: ErrorOut})
@paginate(PageNumberPagination, indexed=True)  # finding_list_order
def findings(request: HttpRequest, filters: Query[FindingQuery]) -> QuerySet[Finding]:
    """Findings you may read, the next response due first: search `q` (reference, statement, organization,
    clause), filters and `sort` as on the findings page."""
    rows = (
        own_and_joined(selectors.finding_list(user=request.user), *FINDING_JOINED)
        .prefetch_related(None)
        .prefetch_related(*FINDING_PREFETCH)
        .order_by(F("response_due").asc(nulls_last=True), "-raised_on", "pk")
    )
    return filtered(FindingFilter, filters, rows, request)


@router.post("/audits/{audit_id}/findings", response={201: FindingOut, **E})
def finding_raise(request: HttpRequest, audit_id: UUID, payload: FindingIn) -> Status[Finding]:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    site = sites_of(audit.programme.organization, [payload.site_id])[0] if payload.site_id else None
    return Status(
        201,
        services.finding_raise(
            actor=request.user,
            audit=audit,
            grade=payload.grade,
            statement=payload.statement,
            evidence=payload.evidence,
            clauses=clauses_by_ref(payload.clauses),
            site=site,
            raised_on=payload.raised_on,
        ),
    )


@router.get("/findings/{finding_id}", response={200: FindingOut, 404: ErrorOut})
def finding_detail(request: HttpRequest, finding_id: UUID) -> Finding:
    return selectors.finding_get(user=request.user, public_id=finding_id)


@router.post("/findings/{finding_id}/edit", response={200: FindingOut, **E})
def finding_edit(request: HttpRequest, finding_id: UUID, payload: FindingEditIn) -> Finding:
    """Correct a finding while the audit is not completed (the lead auditor or the member who raised it):
    every field is replaced; the audit log keeps the finding before and after."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    organization = finding.audit.programme.organization
    return services.finding_edit(
        actor=request.user,
        finding=finding,
        grade=payload.grade,
        statement=payload.statement,
        evidence=payload.evidence,
        clauses=clauses_by_ref(payload.clauses),
        site=sites_of(organization, [payload.site_id])[0] if payload.site_id else None,
    )


@router.post("/findings/{finding_id}/withdraw", response={200: FindingOut, **E})
def finding_withdraw(request: HttpRequest, finding_id: UUID, payload: FindingWithdrawIn) -> Finding:
    """Withdraw a finding raised in error while the audit is not completed, with the reason."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return services.finding_withdraw(actor=request.user, finding=finding, reason=payload.reason)


@router.post("/findings/{finding_id}/responses", response={201: ResponseOut, **E})
def finding_respond(request: HttpRequest, finding_id: UUID, payload: ResponseIn) -> Status[Any]:
    """The client's response: correction, root cause, corrective action, planned completion."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return Status(201, services.finding_respond(actor=request.user, finding=finding, **payload.model_dump()))


def _response(request: HttpRequest, finding_id: UUID, response_id: UUID) -> Any:
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    response = finding.responses.filter(public_id=response_id).first()
    if response is None:
        raise NotFound("No such response.")
    return response


@router.post("/findings/{finding_id}/responses/{response_id}/accept", response={200: ResponseOut, **E})
def response_accept(request: HttpRequest, finding_id: UUID, response_id: UUID, payload: FindingResponseReviewIn) -> Any:
    response = _response(request, finding_id, response_id)
    return services.finding_response_review(actor=request.user, response=response, accept=True, comment=payload.comment)


@router.post("/findings/{finding_id}/responses/{response_id}/reject", response={200: ResponseOut, **E})
def response_reject(request: HttpRequest, finding_id: UUID, response_id: UUID, payload: FindingResponseReviewIn) -> Any:
    response = _response(request, finding_id, response_id)
    return services.finding_response_review(
        actor=request.user, response=response, accept=False, comment=payload.comment
    )


@router.post("/findings/{finding_id}/verify", response={201: VerificationOut, **E})
def finding_verify(request: HttpRequest, finding_id: UUID, payload: VerifyIn) -> Status[Any]:
    """Verify the corrective action's effectiveness (on site or by documents)."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return Status(201, services.finding_verify(actor=request.user, finding=finding, **payload.model_dump()))


def _attachment(request: HttpRequest, finding_id: UUID, attachment_id: UUID) -> Any:
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    attachment = finding.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise NotFound("No such attachment.")
    return attachment


@router.get("/findings/{finding_id}/attachments", response={200: list[AttachmentOut], 404: ErrorOut})
def finding_attachments(request: HttpRequest, finding_id: UUID) -> list[Any]:
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return list(finding.attachments.select_related("uploaded_by"))


@router.post("/findings/{finding_id}/attachments", response={201: AttachmentOut, **E})
def finding_attach(
    request: HttpRequest, finding_id: UUID, file: File[UploadedFile], name: Form[str] = ""
) -> Status[Any]:
    """Attach a file (multipart field `file`, optional `name`): objective evidence from the audit team, or
    evidence of the client's action. Size and type limits are those of the finding page."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return Status(201, services.finding_attach(actor=request.user, finding=finding, file=file, name=name))


@router.get(
    "/findings/{finding_id}/attachments/{attachment_id}/file",
    response={404: ErrorOut},
    openapi_extra=file_response("The attachment, in the media type of its file", "*/*"),
)
def finding_attachment_file(request: HttpRequest, finding_id: UUID, attachment_id: UUID) -> FileResponse:
    """Download an attachment (only someone who may see the finding)."""
    attachment = _attachment(request, finding_id, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
