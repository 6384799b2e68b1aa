"""Pages of a finding: the client's response, the auditor's review and verification, attachments, and the team's
corrections before the report (ISO/IEC 17021-1 9.4.8, 9.4.9). Each action has its own URL and form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits import forms, selectors, services
from conformo.audits.services.common import attachment_limits, size_label
from conformo.core.forms import handle, posted
from conformo.core.tenancy import by_id, reach
from conformo.standards.models import Clause


def _finding_edit_form(finding: Any, data: Any = None) -> forms.FindingEditForm:
    programme = finding.audit.programme
    return forms.FindingEditForm(
        data,
        clauses=Clause.objects.filter(standard__in=programme.standards.all()).select_related("standard"),
        sites=programme.organization.sites.all(),
        search_url=reverse("audits:clause-picker", args=[finding.audit.public_id]),
        initial=forms.FindingEditForm.initial_for(finding),
    )


def _finding_page(request: HttpRequest, finding: Any, status: int = 200, **bound: Any) -> HttpResponse:
    """The finding, with the client's respond form and the auditor's review and verification."""
    r = reach(request.user)
    max_bytes, extensions = attachment_limits()
    attach_form = bound.get("attach_form") or forms.AttachmentForm()
    attach_form.fields["file"].widget.attrs["accept"] = ",".join(sorted(extensions))
    attach_form.fields["file"].help_text = f"Up to {size_label(max_bytes)}: {', '.join(sorted(extensions))}."
    failed_review = bound.get("review")
    responses = [
        (
            response,
            failed_review[1]
            if failed_review and failed_review[0] == response.pk
            else forms.ResponseReviewForm(auto_id=f"review-{response.public_id}_%s"),
        )
        for response in finding.responses.all()
    ]
    can_change = services.finding_can_change(request.user, finding)
    return render(
        request,
        "audits/finding_detail.html",
        {
            "finding": finding,
            "can_change": can_change,
            "locked": services.finding_change_refusal(finding) if can_change else None,
            "edit_form": bound.get("edit_form") or (_finding_edit_form(finding) if can_change else None),
            "withdraw_form": bound.get("withdraw_form") or forms.FindingWithdrawForm(),
            "overdue": finding.response_overdue(timezone.localdate()),
            "is_client": finding.audit.programme.organization_id in r.organizations,
            "is_cb": finding.audit.programme.organization_id not in r.organizations,
            "responses": responses,
            "respond_form": bound.get("respond_form") or forms.ResponseForm(),
            "attach_form": attach_form,
            "verify_form": bound.get("verify_form") or forms.VerificationForm(),
        },
        status=status,
    )


@login_required
@require_safe
def finding_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _finding_page(request, selectors.finding_get(user=request.user, public_id=public_id))


def _finding_action(
    request: HttpRequest, public_id: str, key: str, form: Form, call: Callable[[Any, Any], Any], success: str
) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    return handle(
        request,
        form,
        lambda data: call(finding, data),
        success=success,
        done=reverse("audits:finding-detail", args=[finding.public_id]),
        page=lambda status: _finding_page(request, finding, status, **{key: form}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_respond(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's answer. GET is the finding's page: the improvement log links here."""
    return _finding_action(
        request,
        public_id,
        "respond_form",
        forms.ResponseForm(posted(request)),
        lambda finding, data: services.finding_respond(actor=request.user, finding=finding, **data),
        "Response submitted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The audit team corrects a finding before the audit is completed. GET is the finding's page."""
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    return _finding_action(
        request,
        public_id,
        "edit_form",
        _finding_edit_form(finding, posted(request)),
        lambda finding, data: services.finding_edit(actor=request.user, finding=finding, **data),
        "Finding corrected.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    """The audit team withdraws a finding raised in error, with the reason. GET is the finding's page."""
    return _finding_action(
        request,
        public_id,
        "withdraw_form",
        forms.FindingWithdrawForm(posted(request)),
        lambda finding, data: services.finding_withdraw(actor=request.user, finding=finding, **data),
        "Finding withdrawn.",
    )


def _response_review(request: HttpRequest, public_id: str, response_id: str, *, accept: bool) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    response = by_id(finding.responses.all(), response_id)
    if response is None:
        raise Http404
    form = forms.ResponseReviewForm(posted(request), auto_id=f"review-{response.public_id}_%s")
    return handle(
        request,
        form,
        lambda data: services.finding_response_review(actor=request.user, response=response, accept=accept, **data),
        success="Response accepted." if accept else "Response rejected.",
        done=reverse("audits:finding-detail", args=[finding.public_id]),
        page=lambda status: _finding_page(request, finding, status, review=(response.pk, form)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_accept(request: HttpRequest, public_id: str, response_id: str) -> HttpResponse:
    return _response_review(request, public_id, response_id, accept=True)


@login_required
@require_http_methods(["GET", "POST"])
def response_reject(request: HttpRequest, public_id: str, response_id: str) -> HttpResponse:
    return _response_review(request, public_id, response_id, accept=False)


@login_required
@require_http_methods(["GET", "POST"])
def finding_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    form = forms.AttachmentForm(posted(request), request.FILES if request.method == "POST" else None)
    return _finding_action(
        request,
        public_id,
        "attach_form",
        form,
        lambda finding, data: services.finding_attach(actor=request.user, finding=finding, **data),
        "File attached.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    return _finding_action(
        request,
        public_id,
        "verify_form",
        forms.VerificationForm(posted(request)),
        lambda finding, data: services.finding_verify(actor=request.user, finding=finding, **data),
        "Verification recorded.",
    )


@login_required
def finding_attachment(request: HttpRequest, public_id: str, attachment_id: str) -> FileResponse:
    """Download an attachment: only someone who may see the finding."""
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    attachment = by_id(finding.attachments.all(), attachment_id)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
