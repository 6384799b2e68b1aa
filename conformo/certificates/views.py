"""Certificate pages: the PDF download and, for signed-in CB staff and holders, the list and detail; the
CB's CertSearch import / export page."""

from __future__ import annotations

from typing import IO, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.certificates.certsearch import HEADERS, REQUIRED, ImportRejected, certsearch_export, certsearch_import
from conformo.certificates.filters import CertificateFilter
from conformo.certificates.forms import ImportForm
from conformo.certificates.imports import certsearch_import_enqueue, import_visible_to
from conformo.certificates.models import CertificateImport
from conformo.certificates.pdf import certificate_pdf
from conformo.certificates.scope import certificate_lines, scope_groups
from conformo.certificates.selectors import certificate_for_download, certificates_visible_to
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.listing import list_page
from conformo.core.roles import Role
from conformo.core.tenancy import by_id, has_cb_role
from conformo.organizations.models import CertificationBody
from conformo.organizations.tenancy import cbs_of

EXPORT_ROLES = (Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value, Role.DECISION_MAKER.value)
"""Who may download the register (the service's rule); only the CB administrator imports."""
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_safe
def pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The certificate PDF: for the holder, the CB, and the public when the certificate is public."""
    certificate = certificate_for_download(user=request.user, number=number)
    if certificate is None:
        raise Http404("No certificate with this number is visible to you.")
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Current certificates of the user's CB or organization: search, filters, sort and pages (core/listing.py)."""
    today = timezone.localdate()
    rows = certificates_visible_to(request.user).filter(is_current=True).order_by("holder_name", "number")
    can_certsearch = cbs_of(request.user, *EXPORT_ROLES).exists()
    return list_page(
        request,
        CertificateFilter,
        rows,
        "certificates/list.html",
        {"can_certsearch": can_certsearch},
        rows=lambda page: [(c, c.effective_status(today)) for c in page],
    )


@login_required
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificates_visible_to(request.user).filter(number=number).first()
    if certificate is None:
        raise Http404("No certificate with this number is visible to you.")
    revisions = certificates_visible_to(request.user).filter(
        certification_body_id=certificate.certification_body_id, base_number=certificate.base_number
    )
    history = [
        change for revision in revisions.prefetch_related("status_changes") for change in revision.status_changes.all()
    ]
    history.sort(key=lambda ch: (ch.on, ch.pk))
    return render(
        request,
        "certificates/detail.html",
        {
            "c": certificate,
            "status": certificate.effective_status(timezone.localdate()),
            "status_reason": certificate.status_reason(timezone.localdate()),
            "revisions": revisions.order_by("-revision"),
            "history": history,
            "scope_groups": scope_groups(certificate_lines(certificate)),
        },
    )


def _certsearch_cb(request: HttpRequest) -> CertificationBody:
    """The CB of the page (`?cb=<id>` among the user's CBs where they may export, else the first); 403 for
    anyone who holds none of the roles."""
    cbs = cbs_of(request.user, *EXPORT_ROLES).order_by("name")
    cb = by_id(cbs, request.GET.get("cb")) or cbs.first()
    if cb is None:
        raise PermissionDenied(
            "The CertSearch import and export are for a certification body's administrator, programme managers "
            "and decision makers."
        )
    return cb


@login_required
@require_http_methods(["GET", "POST"])
def certsearch(request: HttpRequest) -> HttpResponse:
    """Import a register in the IAF CertSearch layout (CB administrator: all rows or none, every bad row
    listed with its row number and field) and download the register for the monthly upload."""
    cb = _certsearch_cb(request)
    can_import = has_cb_role(request.user, cb.pk, Role.CB_ADMIN.value)
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected: ImportRejected | None = None
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied("Only the certification body's administrator imports certificates.")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.CERTSEARCH_IMPORT_INLINE_MAX_BYTES:
                job = certsearch_import_enqueue(actor=request.user, certification_body=cb, upload=upload)
                return redirect("certificates:certsearch-import", public_id=job.public_id)
            try:
                result = certsearch_import(
                    actor=request.user,
                    certification_body=cb,
                    handle=cast(IO[bytes], upload.file),
                    filename=upload.name or "",
                )
            except ImportRejected as exc:
                rejected, status = exc, 422
            else:
                messages.success(request, f"Imported {result.imported} certificate(s) from {upload.name}.")
                return redirect(f"{reverse('certificates:certsearch')}?cb={cb.public_id}")
        else:
            status = 422
    context = {
        "cb": cb,
        "cbs": cbs_of(request.user, *EXPORT_ROLES).order_by("name"),
        "form": form,
        "can_import": can_import,
        "rejected": rejected,
        "error_rows": len({e.row for e in rejected.errors}) if rejected else 0,
        "required": [h for h in HEADERS if h in REQUIRED],
        "imports": CertificateImport.objects.filter(certification_body=cb)[:5] if can_import else [],
    }
    return render(request, "certificates/certsearch.html", context, status=status)


@login_required
@require_safe
def certsearch_download(request: HttpRequest) -> HttpResponse:
    """The CB's register in the CertSearch upload layout (`?format=csv|xlsx`, csv if none; another format is
    a 422 page, not a silent csv)."""
    cb = _certsearch_cb(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise ValidationFailed("The register downloads as csv or xlsx.", fields={"format": ["csv or xlsx."]})
    body = certsearch_export(actor=request.user, certification_body=cb, fmt=fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().strftime("%Y%m%d")
    short = cb.short_name or "register"
    response["Content-Disposition"] = f'attachment; filename="certsearch-{short}-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def certsearch_import_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A background import's progress and outcome (its CB's administrators); the page polls itself with htmx
    until the import is done."""
    job = import_visible_to(request.user, public_id)
    if job is None:
        raise Http404("No such import.")
    template = "certificates/_import_status.html" if request.headers.get("HX-Request") else "certificates/import.html"
    return render(request, template, {"job": job})
