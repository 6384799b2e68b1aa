"""Documented information pages: register, document with revisions and approval flow, file download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.forms import apply_errors
from conformo.organizations.tenancy import org_context, organization_for, require_manage
from conformo.readiness.forms import DocumentForm, DocumentOwnersForm, RevisionForm
from conformo.readiness.models import Document, DocumentRevision
from conformo.readiness.selectors import latest_assessment
from conformo.readiness.services import (
    document_create,
    document_obsolete,
    document_register_prefill,
    document_update,
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


@login_required
def document_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    form = DocumentForm(request.POST or None)
    if request.method == "POST":
        if "prefill" in request.POST:
            assessment = latest_assessment(user=request.user, organization=org)
            if assessment is None:
                messages.error(request, "Create a gap assessment first: the register is filled from its standards.")
            else:
                added = document_register_prefill(
                    actor=request.user, organization=org, standards=list(assessment.standards.all())
                )
                messages.success(request, f"{len(added)} mandatory entries added to the register.")
            return redirect("readiness:documents", org_id=org.public_id)
        if form.is_valid():
            try:
                document = document_create(actor=request.user, organization=org, **form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                return redirect("readiness:document-detail", public_id=document.public_id)
    documents = (
        Document.objects.visible_to(request.user)
        .filter(organization=org)
        .select_related("mandatory", "mandatory__standard", "current_revision", "approved_revision", "owner")
    )
    return render(
        request,
        "readiness/document_list.html",
        {**org_context(request, org, "documents"), "documents": documents, "form": form},
    )


@login_required
def document_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    document = document_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        require_manage(request.user, document.organization_id, "document")
    updating = request.method == "POST" and request.POST.get("action") == "owners"
    owners_form = DocumentOwnersForm(
        request.POST if updating else None,
        organization=document.organization,
        initial={"owner": document.owner, "approver": document.approver, "review_due": document.review_due},
    )
    form = RevisionForm(request.POST if request.method == "POST" and not updating else None, request.FILES or None)
    if updating and owners_form.is_valid():
        try:
            document_update(actor=request.user, document=document, **owners_form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(owners_form, exc)
        else:
            messages.success(request, "Owner, approver and review date saved.")
            return redirect("readiness:document-detail", public_id=document.public_id)
    elif request.method == "POST" and not updating and form.is_valid():
        try:
            revision_create(
                actor=request.user,
                document=document,
                file=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Draft revision created.")
            return redirect("readiness:document-detail", public_id=document.public_id)
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
            "form": form,
            "owners_form": owners_form,
        },
    )


@login_required
@require_POST
def revision_action_view(request: HttpRequest, public_id: str) -> HttpResponse:
    revision = (
        DocumentRevision.objects.visible_to(request.user)
        .select_related("document", "document__approved_revision")
        .filter(public_id=public_id)
        .first()
    )
    if revision is None:
        raise NotFound("No such revision.")
    action = request.POST.get("action")
    if action == "submit":
        revision_submit(actor=request.user, revision=revision)
    elif action == "approve":
        revision_approve(actor=request.user, revision=revision)
    elif action == "reject":
        revision_reject(actor=request.user, revision=revision)
    elif action == "obsolete":
        document_obsolete(actor=request.user, document=revision.document)
    else:
        raise ValidationFailed("Unknown action.")
    messages.success(request, "Revision updated.")
    return redirect("readiness:document-detail", public_id=revision.document.public_id)


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
