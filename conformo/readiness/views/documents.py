"""Documented information pages: register, document with revisions and approval flow, file download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conformo.core.errors import Conflict, NotFound, ValidationFailed
from conformo.core.forms import attempt, form_status, handle, posted
from conformo.core.listing import list_page
from conformo.organizations.tenancy import org_context, organization_for, organization_to_manage, require_manage
from conformo.readiness.filters import DocumentFilter
from conformo.readiness.forms import DocumentForm, DocumentOwnersForm, RevisionForm
from conformo.readiness.models import Document, DocumentRevision
from conformo.readiness.selectors import latest_assessment
from conformo.readiness.services import (
    document_create,
    document_obsolete,
    document_register_prefill,
    document_update,
    may_approve,
    revision_approve,
    revision_create,
    revision_reject,
    revision_submit,
)


def document_get(*, user: object, public_id: str) -> Document:
    document = (
        Document.objects.visible_to(user)
        .select_related("organization", "mandatory", "mandatory__standard", "owner", "approver", "approved_revision")
        .filter(public_id=public_id)
        .first()
    )
    if document is None:
        raise NotFound("No such document.")
    return document


def _document_list_page(request: HttpRequest, org: Any, form: DocumentForm) -> HttpResponse:
    """The register with search, filters, sort and pages (core/listing.py), and the form to add an entry."""
    documents = (
        Document.objects.visible_to(request.user)
        .filter(organization=org)
        .select_related("mandatory", "mandatory__standard", "current_revision", "approved_revision", "owner")
    )
    return list_page(
        request,
        DocumentFilter,
        documents,
        "readiness/document_list.html",
        {**org_context(request, org, "documents"), "form": form, "today": timezone.localdate()},
        status=form_status(form),
    )


@login_required
@require_safe
def document_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """The register."""
    return _document_list_page(request, organization_for(request.user, org_id), DocumentForm())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_create_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Add a document or record to the register. GET shows the register with the form."""
    org = organization_to_manage(request.user, org_id)
    form = DocumentForm(posted(request))
    return handle(
        request,
        form,
        lambda data: document_create(actor=request.user, organization=org, **data),
        success="Document added.",
        done=lambda document: reverse("readiness:document-detail", args=[document.public_id]),
        page=lambda status: _document_list_page(request, org, form),
    )


@login_required
@require_POST
def document_prefill_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Add the mandatory documents of the latest assessment's standards (a button: no input)."""
    org = organization_for(request.user, org_id)
    assessment = latest_assessment(user=request.user, organization=org)
    if assessment is None:
        messages.error(request, "Create a gap assessment first: the register is filled from its standards.")
    else:
        added = document_register_prefill(
            actor=request.user, organization=org, standards=list(assessment.standards.all())
        )
        messages.success(request, f"{len(added)} mandatory entries added to the register.")
    return redirect("readiness:documents", org_id=org.public_id)


def _owners_form(document: Document, data: Any = None) -> DocumentOwnersForm:
    return DocumentOwnersForm(
        data,
        organization=document.organization,
        initial={"owner": document.owner, "approver": document.approver, "review_due": document.review_due},
    )


def _document_page(request: HttpRequest, document: Document, **forms: Any) -> HttpResponse:
    forms.setdefault("form", RevisionForm())
    forms.setdefault("owners_form", _owners_form(document))
    revisions = (
        DocumentRevision.objects.visible_to(request.user)
        .filter(document=document)
        .select_related("created_by", "approved_by")
    )
    return render(
        request,
        "readiness/document_detail.html",
        {
            **org_context(request, document.organization, "documents"),
            "document": document,
            "revisions": revisions,
            "can_approve": may_approve(request.user, document),
            **forms,
        },
        status=form_status(*forms.values()),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def document_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _document_page(request, document_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_owners_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Set the document's owner, approver and review date; the form shows them as they stand."""
    document = document_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        require_manage(request.user, document.organization_id, "document")
    form = _owners_form(document, posted(request))
    if (
        request.method == "POST"
        and attempt(form, lambda data: document_update(actor=request.user, document=document, **data)) is not None
    ):
        messages.success(request, "Owner, approver and review date saved.")
        return redirect("readiness:document-detail", public_id=document.public_id)
    return _document_page(request, document, owners_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def revision_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start a new draft revision, with a file."""
    document = document_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        require_manage(request.user, document.organization_id, "document")
    form = RevisionForm(posted(request), request.FILES or None)
    if (
        request.method == "POST"
        and attempt(form, lambda data: revision_create(actor=request.user, document=document, **data)) is not None
    ):
        messages.success(request, "Draft revision created.")
        return redirect("readiness:document-detail", public_id=document.public_id)
    return _document_page(request, document, form=form)


def _revision_act(request: HttpRequest, public_id: str, act: Callable[[DocumentRevision], Any]) -> HttpResponse:
    revision = (
        DocumentRevision.objects.visible_to(request.user)
        .select_related("document", "document__approved_revision")
        .filter(public_id=public_id)
        .first()
    )
    if revision is None:
        raise NotFound("No such revision.")
    try:
        act(revision)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Revision updated.")
    return redirect("readiness:document-detail", public_id=revision.document.public_id)


@login_required
@require_POST
def revision_submit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a draft for review (a button: no input)."""
    return _revision_act(request, public_id, lambda r: revision_submit(actor=request.user, revision=r))


@login_required
@require_POST
def revision_approve_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _revision_act(request, public_id, lambda r: revision_approve(actor=request.user, revision=r))


@login_required
@require_POST
def revision_reject_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _revision_act(request, public_id, lambda r: revision_reject(actor=request.user, revision=r))


@login_required
@require_POST
def revision_withdraw_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw the approved document (its revisions become obsolete)."""
    return _revision_act(request, public_id, lambda r: document_obsolete(actor=request.user, document=r.document))


@login_required
def revision_file_view(request: HttpRequest, public_id: str) -> FileResponse:
    """Serve an uploaded file to those who may read the organization's readiness work, as a download."""
    revision = DocumentRevision.objects.visible_to(request.user).filter(public_id=public_id).first()
    if revision is None or not revision.file:
        raise NotFound("No such file.")
    response = FileResponse(revision.file.open("rb"), as_attachment=True, filename=revision.original_name or "file")
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
