"""Certificate pages: the PDF download and, for signed-in CB staff and holders, the list and detail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from conformo.certificates.pdf import certificate_pdf
from conformo.certificates.selectors import certificate_for_download, certificates_visible_to


@require_GET
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
    rows = certificates_visible_to(request.user).filter(is_current=True).order_by("holder_name", "number")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    items = [(c, c.effective_status(today)) for c in page.object_list]
    return render(request, "certificates/list.html", {"page": page, "items": items})


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
            "revisions": revisions.order_by("-revision"),
            "history": history,
        },
    )
