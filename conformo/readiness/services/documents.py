"""Documented information: the register (pre-filled from the catalog), revisions with files, approval flow."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.organizations.models import Organization
from conformo.organizations.tenancy import can_manage, is_member, require_manage, require_read
from conformo.readiness.choices import DocumentKind, RevisionStatus
from conformo.readiness.files import atomic_with_files, track
from conformo.readiness.models import Document, DocumentRevision
from conformo.standards.models import MandatoryDocument, Standard

#: Upload limits (override with settings READINESS_UPLOAD_MAX_BYTES / READINESS_UPLOAD_EXTENSIONS).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_EXTENSIONS = frozenset(
    {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".md", ".csv", ".png", ".jpg", ".jpeg"}
)


def _limits() -> tuple[int, frozenset[str]]:
    return (
        int(getattr(settings, "READINESS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)),
        frozenset(getattr(settings, "READINESS_UPLOAD_EXTENSIONS", DEFAULT_EXTENSIONS)),
    )


@transaction.atomic
def document_register_prefill(
    *, actor: Actor, organization: Organization, standards: Sequence[Standard]
) -> list[Document]:
    """Add one register entry per mandatory documented information of `standards` not yet in the register."""
    require_manage(actor, organization.pk, "organization")
    existing = set(
        Document.objects.filter(organization=organization, mandatory__isnull=False).values_list(
            "mandatory_id", flat=True
        )
    )
    wanted = MandatoryDocument.objects.filter(standard__in=standards, retired=False).select_related("standard")
    new = [
        Document(
            organization=organization,
            title=f"{md.what} ({md.standard.designation} {md.clause_ref})"[:300],
            kind=DocumentKind.RECORD if md.kind == MandatoryDocument.Kind.RECORD else DocumentKind.DOCUMENT,
            mandatory=md,
        )
        for md in wanted
        if md.pk not in existing
    ]
    Document.objects.bulk_create(new)
    audit_log_record(
        actor=actor,
        action="readiness.document.prefill",
        obj=organization,
        after={"added": len(new), "standards": [s.code for s in standards]},
        organization_id=organization.pk,
    )
    return new


def _check_member(user: Any, organization: Organization, field: str) -> None:
    if user is not None and not user.memberships.filter(organization=organization).exists():
        raise ValidationFailed(f"The {field} must be a member of the organization.", fields={field: ["Not a member."]})


@transaction.atomic
def document_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    kind: str = DocumentKind.DOCUMENT,
    owner: Any = None,
    approver: Any = None,
    review_due: date | None = None,
) -> Document:
    """Add a document or record to the register."""
    require_manage(actor, organization.pk, "organization")
    if not title.strip():
        raise ValidationFailed("Give the document a title.", fields={"title": ["Required."]})
    if kind not in DocumentKind.values:
        raise ValidationFailed("Unknown kind.", fields={"kind": [f"Use one of: {', '.join(DocumentKind.values)}."]})
    _check_member(owner, organization, "owner")
    _check_member(approver, organization, "approver")
    document = Document.objects.create(
        organization=organization, title=title.strip(), kind=kind, owner=owner, approver=approver, review_due=review_due
    )
    audit_log_record(
        actor=actor,
        action="readiness.document.create",
        obj=document,
        after={"title": document.title, "kind": kind},
        organization_id=organization.pk,
    )
    return document


@transaction.atomic
def document_update(
    *, actor: Actor, document: Document, owner: Any = None, approver: Any = None, review_due: date | None = None
) -> Document:
    """Set a document's owner, approver and review-due date."""
    require_manage(actor, document.organization_id, "document")
    _check_member(owner, document.organization, "owner")
    _check_member(approver, document.organization, "approver")
    before = {"owner": document.owner_id, "approver": document.approver_id, "review_due": document.review_due}
    document.owner, document.approver, document.review_due = owner, approver, review_due
    document.save(update_fields=["owner", "approver", "review_due", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.document.update",
        obj=document,
        before=before,
        after={"owner": document.owner_id, "approver": document.approver_id, "review_due": review_due},
        organization_id=document.organization_id,
    )
    return document


@atomic_with_files()
def revision_create(
    *, actor: Actor, document: Document, file: UploadedFile | None = None, change_note: str = ""
) -> DocumentRevision:
    """Start a new draft revision, optionally with a file (size and type limited, SHA-256 recorded)."""
    require_manage(actor, document.organization_id, "document")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.revisions.filter(status__in=[RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW]).exists():
        raise Conflict("This document already has a draft or a revision in review; finish it first.")
    number = (document.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = DocumentRevision(
        document=document, number=number, change_note=change_note[:500], created_by=acting_user(actor)
    )
    if file is not None:
        max_bytes, extensions = _limits()
        suffix = PurePath(file.name or "").suffix.lower()
        if suffix not in extensions:
            raise ValidationFailed(
                "This type of file is not accepted.",
                fields={"file": [f"Accepted types: {', '.join(sorted(extensions))}."]},
            )
        if file.size is None or file.size > max_bytes:
            raise ValidationFailed(
                "The file is too large.", fields={"file": [f"The limit is {max_bytes // (1024 * 1024)} MB."]}
            )
        digest = hashlib.sha256()
        for chunk in file.chunks():
            digest.update(chunk)
        file.seek(0)
        revision.sha256 = digest.hexdigest()
        revision.size = file.size
        revision.original_name = PurePath(file.name or "file").name[:255]
        revision.content_type = (file.content_type or "application/octet-stream")[:100]
        revision.file.save(revision.original_name, file, save=False)
        track(revision.file.storage, revision.file.name or "")  # removed again if the transaction rolls back
    revision.save()
    document.current_revision = revision
    document.save(update_fields=["current_revision", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.revision.create",
        obj=revision,
        after={"number": number, "sha256": revision.sha256, "size": revision.size, "file": revision.original_name},
        organization_id=document.organization_id,
    )
    return revision


def may_approve(user: Any, document: Document) -> bool:
    """Who decides on a revision in review: the document's named approver (any member of the organization,
    client member or administrator) and nobody else; with no approver named, the client administrators."""
    if document.approver_id:
        return bool(document.approver_id == getattr(user, "pk", None) and is_member(user, document.organization_id))
    return can_manage(user, document.organization_id)


def require_approver(actor: Actor, document: Document) -> None:
    """404 for those who may not read the document, 403 with the reason for readers who may not approve it."""
    require_read(actor, document.organization_id, "document")
    if may_approve(actor, document):
        return
    if document.approver_id:
        raise PermissionDenied(f"Only the document's approver ({document.approver}) can approve it.")
    raise PermissionDenied("Only a client administrator can approve this document.")


def _transition(actor: Actor, revision: DocumentRevision, allowed: set[str], new: str, action: str) -> DocumentRevision:
    revision = DocumentRevision.objects.select_related("document").select_for_update().get(pk=revision.pk)
    if revision.status not in allowed:
        current, target = revision.get_status_display().lower(), RevisionStatus(new).label.lower()
        raise Conflict(f"A revision that is {current} cannot become {target}.")
    before = revision.status
    revision.status = new
    revision.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action=action,
        obj=revision,
        before={"status": before},
        after={"status": new},
        organization_id=revision.document.organization_id,
    )
    return revision


@transaction.atomic
def revision_submit(*, actor: Actor, revision: DocumentRevision) -> DocumentRevision:
    """Send a draft for review."""
    require_manage(actor, revision.document.organization_id, "document")
    return _transition(actor, revision, {RevisionStatus.DRAFT}, RevisionStatus.IN_REVIEW, "readiness.revision.submit")


@transaction.atomic
def revision_reject(*, actor: Actor, revision: DocumentRevision) -> DocumentRevision:
    """Send a revision in review back to draft: whoever may approve it may send it back."""
    require_approver(actor, revision.document)
    return _transition(actor, revision, {RevisionStatus.IN_REVIEW}, RevisionStatus.DRAFT, "readiness.revision.reject")


@transaction.atomic
def revision_approve(*, actor: Actor, revision: DocumentRevision) -> DocumentRevision:
    """Approve a revision in review. The named approver (if any) must approve; the previously approved
    revision becomes obsolete. Audit-logged."""
    document = revision.document
    require_approver(actor, document)
    previous = document.approved_revision
    revision = _transition(
        actor, revision, {RevisionStatus.IN_REVIEW}, RevisionStatus.APPROVED, "readiness.revision.approve"
    )
    revision.approved_by = acting_user(actor)
    revision.approved_at = timezone.now()
    revision.save(update_fields=["approved_by", "approved_at"])
    if previous is not None and previous.pk != revision.pk:
        _transition(actor, previous, {RevisionStatus.APPROVED}, RevisionStatus.OBSOLETE, "readiness.revision.obsolete")
    document.approved_revision = revision
    document.save(update_fields=["approved_revision", "updated_at"])
    return revision


@transaction.atomic
def document_obsolete(*, actor: Actor, document: Document) -> Document:
    """Withdraw a document: its approved revision becomes obsolete."""
    require_manage(actor, document.organization_id, "document")
    if document.approved_revision is None:
        raise Conflict("This document has no approved revision to withdraw.")
    _transition(
        actor,
        document.approved_revision,
        {RevisionStatus.APPROVED},
        RevisionStatus.OBSOLETE,
        "readiness.revision.obsolete",
    )
    document.approved_revision = None
    document.save(update_fields=["approved_revision", "updated_at"])
    return document
