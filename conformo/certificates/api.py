"""Certificates in the API for signed-in users: list, PDF, and the CB's CertSearch import/export.
(The anonymous registry is conformo/registry/api.py.)"""

from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, Literal, cast
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.certificates.certsearch import certsearch_export, certsearch_import
from conformo.certificates.filters import CertificateFilter
from conformo.certificates.imports import certsearch_import_enqueue, import_visible_to
from conformo.certificates.pdf import certificate_pdf
from conformo.certificates.selectors import certificate_for_download, certificates_visible_to
from conformo.core.errors import NotFound
from conformo.core.listing import filter_schema, filtered
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.core.spreadsheets import check_xlsx
from conformo.organizations.models import CertificationBody

router = Router(tags=["certificates"])

if TYPE_CHECKING:  # the query schema is built from the FilterSet at import time (core/listing.py)
    CertificateQuery = Schema
else:
    CertificateQuery = filter_schema(CertificateFilter)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CertificateOut(Schema):
    number: str
    base_number: str
    revision: int
    is_current: bool
    status: str
    confidential: bool
    source: str
    holder_name: str
    holder_country: str
    standards: list[dict[str, str]]
    scope: str
    sites: list[dict[str, Any]]
    issued_on: date
    original_issued_on: date
    expires_on: date
    superseded_on: date | None
    transition_ends_on: date | None = Field(
        description="On an edition being replaced: the last day the certificate may be valid (the CB's transition end)"
    )
    status_reason: str = Field(description="Why it no longer reads valid after its edition's transition end; else ''")

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.effective_status(timezone.localdate()))

    @staticmethod
    def resolve_status_reason(obj: Any) -> str:
        return str(obj.status_reason(timezone.localdate()))


class CertificateImportOut(Schema):
    imported: int


class ImportErrorRowOut(Schema):
    row: int
    field: str
    message: str


class CertificateImportErrorOut(ErrorOut):
    """A refused register: the error body with every row's errors."""

    errors: list[ImportErrorRowOut] = []


def _my_cb(user: Any, public_id: UUID) -> CertificationBody:
    cb = CertificationBody.objects.filter(public_id=public_id).first()
    if cb is None or not (user.is_superuser or user.memberships.filter(certification_body=cb).exists()):
        raise NotFound("No such certification body.")
    return cb


@router.get("/certificates", response={200: list[CertificateOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def certificate_list(request: HttpRequest, filters: Query[CertificateQuery], current: bool = True) -> Any:
    """Certificates of your CB or organization (current revisions unless `current=false`): search `q` (number,
    holder, scope), filters and `sort` as on the certificates page."""
    rows = certificates_visible_to(request.user).order_by("holder_name", "number", "-revision")
    return filtered(CertificateFilter, filters, rows.filter(is_current=True) if current else rows, request)


@router.get(
    "/certificates/{number}/pdf",
    response={404: ErrorOut},
    openapi_extra=file_response("The certificate (PDF)", "application/pdf"),
)
def certificate_pdf_get(request: HttpRequest, number: str) -> HttpResponse:
    """The certificate as PDF (holder, CB; anyone when the certificate is public)."""
    certificate = certificate_for_download(user=request.user, number=number)
    if certificate is None:
        raise NotFound("No certificate with this number is visible to you.")
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    return response


@router.post(
    "/certification-bodies/{cb_id}/certificates/import",
    response={201: CertificateImportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: CertificateImportErrorOut},
)
def certificate_import(request: HttpRequest, cb_id: UUID, file: File[UploadedFile]) -> Any:
    """Import a register in the IAF CertSearch layout (CSV or XLSX): every row or none; 422 lists
    `errors: [{row, field, message}]`; 409 when another writer took one of its numbers meanwhile."""
    cb = _my_cb(request.user, cb_id)
    if (file.name or "").lower().endswith(".xlsx"):
        check_xlsx(cast(IO[bytes], file.file))
    result = certsearch_import(
        actor=request.user, certification_body=cb, handle=cast(IO[bytes], file.file), filename=file.name or ""
    )
    return Status(201, CertificateImportOut(imported=result.imported))


class ImportJobOut(Schema):
    id: UUID = Field(alias="public_id")
    filename: str
    status: str
    stage: str
    rows_checked: int
    imported: int
    error_count: int
    errors: list[ImportErrorRowOut]
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.post(
    "/certification-bodies/{cb_id}/certificates/import-jobs",
    response={202: ImportJobOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def certificate_import_job_create(request: HttpRequest, cb_id: UUID, file: File[UploadedFile]) -> Any:
    """Queue a CertSearch import for the background worker (large registers): 202 with the import to poll at
    `GET /certificates/import-jobs/{id}` (status queued → running → imported | rejected | failed)."""
    cb = _my_cb(request.user, cb_id)
    job = certsearch_import_enqueue(actor=request.user, certification_body=cb, upload=file)
    return Status(202, job)


@router.get("/certificates/import-jobs/{job_id}", response={200: ImportJobOut, 404: ErrorOut})
def certificate_import_job_get(request: HttpRequest, job_id: UUID) -> Any:
    """A queued import's progress (stage, rows checked) and outcome (imported count or row errors)."""
    job = import_visible_to(request.user, job_id)
    if job is None:
        raise NotFound("No such import.")
    return job


@router.get(
    "/certification-bodies/{cb_id}/certificates/export",
    response={403: ErrorOut, 404: ErrorOut},
    openapi_extra=file_response("The register in the CertSearch layout (CSV or XLSX, by `format`)", "text/csv", XLSX),
)
def certificate_export(request: HttpRequest, cb_id: UUID, format: Literal["csv", "xlsx"] = "csv") -> HttpResponse:
    """The CB's register in the CertSearch upload layout, statuses mapped, for the monthly upload."""
    cb = _my_cb(request.user, cb_id)
    body = certsearch_export(actor=request.user, certification_body=cb, fmt=format)
    kind = "text/csv" if format == "csv" else XLSX
    response = HttpResponse(body, content_type=kind)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="certsearch-{stamp}.{format}"'
    return response
