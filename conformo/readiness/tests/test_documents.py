from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.organizations.models import ClientRelationship
from conformo.readiness.models import Document
from conformo.readiness.services import (
    document_create,
    document_register_prefill,
    revision_approve,
    revision_create,
    revision_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client_admin, acme):
    return document_create(actor=client_admin, organization=acme, title="Quality manual")


def _pdf(content=b"%PDF-1.4 manual", name="manual.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_register_is_prefilled_once_from_the_mandatory_documents(client_admin, acme, catalog):
    added = document_register_prefill(
        actor=client_admin, organization=acme, standards=[catalog["9001"], catalog["27001"]]
    )
    assert len(added) == 3
    assert document_register_prefill(actor=client_admin, organization=acme, standards=[catalog["9001"]]) == []
    assert Document.objects.filter(organization=acme, mandatory__clause_ref="5.2").count() == 1


def test_an_upload_records_its_sha256_and_is_stored_outside_the_web_root(client_admin, document, settings):
    revision = revision_create(actor=client_admin, document=document, file=_pdf())
    assert revision.sha256 == hashlib.sha256(b"%PDF-1.4 manual").hexdigest()
    assert revision.size == len(b"%PDF-1.4 manual")
    assert str(settings.MEDIA_ROOT) in revision.file.path
    assert not str(revision.file.name).endswith("manual.pdf")  # random stored name


def test_uploads_are_limited_in_type_and_size(client_admin, document, settings):
    with pytest.raises(ValidationFailed, match="type"):
        revision_create(actor=client_admin, document=document, file=_pdf(name="run.exe"))
    settings.READINESS_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationFailed, match="too large"):
        revision_create(actor=client_admin, document=document, file=_pdf())


def test_the_approval_flow_is_enforced_and_audit_logged(client_admin, document):
    first = revision_create(actor=client_admin, document=document)
    with pytest.raises(Conflict):
        revision_approve(actor=client_admin, revision=first)
    with pytest.raises(Conflict):
        revision_create(actor=client_admin, document=document)
    revision_submit(actor=client_admin, revision=first)
    revision_approve(actor=client_admin, revision=first)
    second = revision_create(actor=client_admin, document=Document.objects.get(pk=document.pk))
    revision_submit(actor=client_admin, revision=second)
    revision_approve(actor=client_admin, revision=second)
    first.refresh_from_db()
    assert first.status == "obsolete"
    assert Document.objects.get(pk=document.pk).approved_revision == second
    entry = AuditLogEntry.objects.filter(action="readiness.revision.approve").first()
    assert entry is not None
    assert entry.actor == client_admin
    assert entry.after == {"status": "approved"}


def test_only_the_named_approver_may_approve(client_admin, acme, document):
    from conformo.core.roles import Role
    from conformo.core.tests.factories import MembershipFactory, UserFactory

    approver = UserFactory(email="approver@acme.test")
    MembershipFactory(user=approver, role=Role.CLIENT_ADMIN, organization=acme)
    document.approver = approver
    document.save()
    revision = revision_create(actor=client_admin, document=document)
    revision_submit(actor=client_admin, revision=revision)
    with pytest.raises(PermissionDenied, match="approver"):
        revision_approve(actor=client_admin, revision=revision)
    revision_approve(actor=approver, revision=revision)


def _in_review_with_approver(client_admin, document, approver):
    document.approver = approver
    document.save()
    revision = revision_create(actor=client_admin, document=document)
    return revision_submit(actor=client_admin, revision=revision)


def test_a_client_member_named_approver_approves_on_the_page_and_the_admin_is_told_why_not(
    client_admin, client_member, document
):
    revision = _in_review_with_approver(client_admin, document, client_member)
    page = reverse("readiness:document-detail", args=[document.public_id])
    approve = reverse("readiness:revision-approve", args=[revision.public_id])
    assert approve.encode() not in login(client_admin).get(page).content
    refused = login(client_admin).post(approve)
    assert refused.status_code == 403
    assert b"approver" in refused.content
    assert approve.encode() in login(client_member).get(page).content
    assert login(client_member).post(approve).status_code == 302
    revision.refresh_from_db()
    assert revision.status == "approved"
    assert revision.approved_by == client_member
    entry = AuditLogEntry.objects.get(action="readiness.revision.approve")
    assert entry.actor == client_member


def test_a_client_member_named_approver_approves_and_sends_back_through_the_api(client_admin, client_member, document):
    revision = _in_review_with_approver(client_admin, document, client_member)
    member, _ = token_client(client_member)
    admin, _ = token_client(client_admin)
    assert admin.post(f"/api/v1/revisions/{revision.public_id}/approve").status_code == 403
    assert admin.post(f"/api/v1/revisions/{revision.public_id}/reject").status_code == 403
    assert member.post(f"/api/v1/revisions/{revision.public_id}/reject").json()["status"] == "draft"
    revision_submit(actor=client_admin, revision=revision)
    answer = member.post(f"/api/v1/revisions/{revision.public_id}/approve")
    assert answer.status_code == 200
    assert answer.json()["status"] == "approved"
    assert Document.objects.get(pk=document.pk).approved_revision_id == revision.pk


def test_a_client_member_who_is_not_the_approver_cannot_approve(client_admin, client_member, document):
    revision = revision_create(actor=client_admin, document=document)
    revision_submit(actor=client_admin, revision=revision)
    with pytest.raises(PermissionDenied, match="administrator"):
        revision_approve(actor=client_member, revision=revision)
    revision.refresh_from_db()
    assert revision.status == "in_review"


def test_members_read_but_cannot_change_documents(client_member, acme, document):
    with pytest.raises(PermissionDenied):
        document_create(actor=client_member, organization=acme, title="x")
    assert login(client_member).get(reverse("readiness:document-detail", args=[document.public_id])).status_code == 200


def test_files_are_served_only_to_those_allowed(client_admin, other_client_admin, cb_admin, outsider, acme, document):
    revision = revision_create(actor=client_admin, document=document, file=_pdf())
    url = reverse("readiness:revision-file", args=[revision.public_id])
    response = login(client_admin).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"  # type: ignore[attr-defined]  # a FileResponse streams
    assert response["Content-Disposition"].startswith("attachment")
    for user in (other_client_admin, cb_admin, outsider):
        assert login(user).get(url).status_code == 404
    ClientRelationship.objects.filter(organization=acme).update(shares_readiness=True)
    assert login(cb_admin).get(url).status_code == 200


def test_other_tenants_cannot_touch_the_register(other_client_admin, acme, document):
    with pytest.raises(NotFound):
        document_create(actor=other_client_admin, organization=acme, title="x")
    with pytest.raises(NotFound):
        revision_create(actor=other_client_admin, document=document)


def test_the_register_page_and_api_list_have_bounded_query_counts(
    client_admin, acme, catalog, django_assert_max_num_queries
):
    from conformo.conftest import token_client

    document_register_prefill(actor=client_admin, organization=acme, standards=list(catalog.values()))
    page = login(client_admin)
    with django_assert_max_num_queries(13):  # 10, and the filter bar's owner, approver and standard choices
        assert page.get(reverse("readiness:documents", args=[acme.public_id])).status_code == 200
    client, _ = token_client(client_admin)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/organizations/{acme.public_id}/documents")
    assert response.json()["count"] == 4
