"""While the client shares its readiness work with its CB, the CB-wide roles and the auditors on the client's
audit teams read its stage-1 readiness check and documents, read-only (ISO/IEC 17021-1 9.3.1.2.2: stage 1
reviews the client's documented information); the CB's other auditors read nothing, nobody of the CB writes,
and the stage-1 audit page links to the readiness pages only for those who may read them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of
from conformo.audits.tests.factories import Ready
from conformo.conftest import login, token_client
from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.models import AuditLogEntry
from conformo.core.tenancy import forget_reach
from conformo.organizations.models import ClientRelationship
from conformo.organizations.services import (
    client_relationship_share_readiness,
    client_relationship_stop_sharing_readiness,
)
from conformo.organizations.tenancy import can_read
from conformo.readiness.models import Document, DocumentRevision
from conformo.readiness.services import (
    assessment_create,
    document_create,
    internal_audit_plan,
    management_review_create,
    review_action_add,
    revision_create,
    revision_submit,
    risk_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def stage1(programme: Any, ready: Ready, programme_manager: Any) -> Any:
    """Acme's stage 1 with only the lead auditor on its team: the CB's other auditor is on none of Acme's teams."""
    audit = audit_of(programme, AuditKind.STAGE_1)
    services.audit_team_assign(
        actor=programme_manager, audit=audit, members=[services.Member(ready.lead, "lead_auditor")]
    )
    return audit


@pytest.fixture
def work(stage1: Any, client_admin: Any, acme: Any, ready: Ready) -> dict[str, Any]:
    """Acme's readiness work: a gap assessment, a document with a revision in review, an internal audit, a
    management review with an action, and a risk."""
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[ready.qms])
    document = document_create(actor=client_admin, organization=acme, title="Quality manual")
    revision = revision_create(
        actor=client_admin,
        document=document,
        file=SimpleUploadedFile("manual.pdf", b"%PDF-1.4 manual", content_type="application/pdf"),
    )
    revision_submit(actor=client_admin, revision=revision)
    internal = internal_audit_plan(
        actor=client_admin,
        organization=acme,
        title="IA",
        planned_on=date(2026, 1, 10),
        clauses=[ready.qms.clauses.get(ref="8.5.1")],
    )
    review = management_review_create(actor=client_admin, organization=acme, title="MR", standards=[ready.qms])
    action = review_action_add(actor=client_admin, review=review, description="Train the team")
    risk = risk_create(actor=client_admin, organization=acme, title="Supplier failure", likelihood=2, impact=3)
    return {
        "action": action,
        "risk": risk,
        "assessment": assessment,
        "document": document,
        "revision": revision,
        "internal": internal,
        "review": review,
    }


def share(client_admin: Any, acme: Any, cb: Any) -> ClientRelationship:
    rel = ClientRelationship.objects.get(organization=acme, certification_body=cb)
    return client_relationship_share_readiness(actor=client_admin, relationship=rel)


def stop_sharing(client_admin: Any, acme: Any, cb: Any) -> ClientRelationship:
    rel = ClientRelationship.objects.get(organization=acme, certification_body=cb)
    return client_relationship_stop_sharing_readiness(actor=client_admin, relationship=rel)


def read_urls(acme: Any, work: dict[str, Any]) -> list[str]:
    return [
        reverse("readiness:dashboard", args=[acme.public_id]),
        reverse("readiness:documents", args=[acme.public_id]),
        reverse("readiness:document-detail", args=[work["document"].public_id]),
        reverse("readiness:revision-file", args=[work["revision"].public_id]),
        reverse("readiness:assessment-detail", args=[work["assessment"].public_id]),
    ]


def statuses(user: Any, urls: list[str]) -> set[int]:
    client = login(user)
    return {client.get(url).status_code for url in urls}


def test_the_team_auditor_and_the_cb_wide_roles_read_the_stage1_check_and_documents_while_shared(
    work, client_admin, acme, cb, cb_admin, programme_manager, decision_maker, lead_auditor
):
    share(client_admin, acme, cb)
    for user in (lead_auditor, cb_admin, programme_manager, decision_maker):
        assert statuses(user, read_urls(acme, work)) == {200}, user.email
    client = login(lead_auditor)
    dashboard = client.get(reverse("readiness:dashboard", args=[acme.public_id])).content.decode()
    assert 'id="stage1-check"' in dashboard
    assert "Stage-1 readiness check" in dashboard
    documents = client.get(reverse("readiness:documents", args=[acme.public_id])).content.decode()
    assert "Quality manual" in documents
    api, _ = token_client(lead_auditor)
    response = api.get(f"/api/v1/organizations/{acme.public_id}/documents")
    assert (response.status_code, response.json()["count"]) == (200, 1)


def test_an_auditor_on_none_of_the_clients_teams_reads_nothing_even_while_shared(work, client_admin, acme, cb, auditor):
    share(client_admin, acme, cb)
    assert statuses(auditor, read_urls(acme, work)) == {404}
    api, _ = token_client(auditor)
    assert api.get(f"/api/v1/organizations/{acme.public_id}/documents").status_code == 404


def test_the_team_auditor_reads_nothing_before_sharing_and_after_sharing_stops(
    work, client_admin, acme, cb, lead_auditor, cb_admin
):
    for user in (lead_auditor, cb_admin):
        assert statuses(user, read_urls(acme, work)) == {404}
    share(client_admin, acme, cb)
    assert can_read(lead_auditor, acme.pk)  # computed once and kept on this user object
    stop_sharing(client_admin, acme, cb)
    assert can_read(lead_auditor, acme.pk)  # the cached answer, until forgotten
    forget_reach(lead_auditor)
    assert not can_read(lead_auditor, acme.pk)
    for user in (lead_auditor, cb_admin):
        assert statuses(user, read_urls(acme, work)) == {404}  # each request reads afresh


def test_sharing_with_another_cb_gives_this_cbs_team_nothing(
    work, client_admin, acme, cb, other_cb, lead_auditor, cb_admin, other_cb_admin
):
    ClientRelationship.objects.create(organization=acme, certification_body=other_cb)
    share(client_admin, acme, other_cb)
    for user in (lead_auditor, cb_admin):
        assert statuses(user, read_urls(acme, work)) == {404}
    assert statuses(other_cb_admin, read_urls(acme, work)) == {200}


def test_a_cb_reader_sees_no_edit_control_and_no_write_url_changes_anything(
    work, client_admin, acme, cb, lead_auditor, cb_admin
):
    share(client_admin, acme, cb)
    assessment, document, revision = work["assessment"], work["document"], work["revision"]
    item = assessment.items.order_by("pk").first()
    org = acme.public_id
    pages = [*read_urls(acme, work)[:3], reverse("readiness:assessment-detail", args=[assessment.public_id])]
    controls = ("Add</button>", "Create draft</button>", "Approve</button>", "Save owner and approver</button>")
    seen_by_admin = "".join(login(client_admin).get(url).content.decode() for url in pages)
    assert all(control in seen_by_admin for control in controls)  # the client's own administrator writes
    for user in (lead_auditor, cb_admin):
        client = login(user)
        for url in pages:
            body = client.get(url).content.decode()
            for control in controls:
                assert control not in body, (url, control)
            assert 'method="post"' not in body.split("<main", 1)[-1], url
    writes = [
        reverse("readiness:assessment-create", args=[org]),
        reverse("readiness:document-create", args=[org]),
        reverse("readiness:documents-prefill", args=[org]),
        reverse("readiness:internal-audit-create", args=[org]),
        reverse("readiness:review-create", args=[org]),
        reverse("readiness:risk-create", args=[org]),
        reverse("readiness:item", args=[assessment.public_id, item.pk]),
        reverse("readiness:item-status", args=[assessment.public_id, item.pk]),
        reverse("readiness:item-evidence-add", args=[assessment.public_id, item.pk]),
        reverse("readiness:assessment-rerun", args=[assessment.public_id]),
        reverse("readiness:document-owners", args=[document.public_id]),
        reverse("readiness:revision-create", args=[document.public_id]),
        reverse("readiness:revision-approve", args=[revision.public_id]),
        reverse("readiness:revision-reject", args=[revision.public_id]),
        reverse("readiness:revision-withdraw", args=[revision.public_id]),
        reverse("readiness:internal-audit-complete", args=[work["internal"].public_id]),
        reverse("readiness:review-record", args=[work["review"].public_id]),
        reverse("readiness:review-action-add", args=[work["review"].public_id]),
        reverse("readiness:review-action-done", args=[work["action"].public_id]),
        reverse("readiness:review-action-reopen", args=[work["action"].public_id]),
        reverse("readiness:internal-audit-finding", args=[work["internal"].public_id]),
        reverse("readiness:item-override", args=[assessment.public_id, item.pk]),
        reverse("readiness:item-share", args=[assessment.public_id, item.pk]),
        reverse("readiness:soa-publish", args=[assessment.public_id]),
        reverse("readiness:risk-matrix", args=[org]),
        reverse("readiness:risk-update", args=[work["risk"].public_id]),
    ]
    logged = AuditLogEntry.objects.count()
    for user in (lead_auditor, cb_admin):
        client = login(user)
        for url in writes:
            status = client.post(url, {"title": "x", "label": "x", "url": "https://example.test"}).status_code
            assert status in (403, 404), (url, status)
    assert AuditLogEntry.objects.count() == logged
    assert Document.objects.filter(organization=acme).count() == 1
    assert DocumentRevision.objects.get(pk=revision.pk).status == "in_review"  # neither approved nor rejected
    with pytest.raises(PermissionDenied):
        document_create(actor=lead_auditor, organization=acme, title="Auditor's note")


def test_the_other_auditor_cannot_write_either(work, client_admin, acme, cb, auditor):
    share(client_admin, acme, cb)
    with pytest.raises(NotFound):
        document_create(actor=auditor, organization=acme, title="x")


def test_the_stage1_page_links_to_the_clients_readiness_only_while_shared(
    stage1, client_admin, acme, cb, lead_auditor, programme_manager
):
    page = reverse("audits:audit-detail", args=[stage1.public_id])
    dashboard = reverse("readiness:dashboard", args=[acme.public_id])
    documents = reverse("readiness:documents", args=[acme.public_id])
    for user in (lead_auditor, programme_manager):
        body = login(user).get(page).content.decode()
        assert "does not share its readiness work" in body
        assert dashboard not in body
        assert documents not in body
    share(client_admin, acme, cb)
    for user in (lead_auditor, programme_manager):
        body = login(user).get(page).content.decode()
        assert "does not share" not in body
        assert f'href="{dashboard}#stage1-check">Client\'s stage-1 readiness check</a>' in body
        assert f'href="{documents}">Client\'s documents</a>' in body
        client = login(user)
        assert client.get(dashboard).status_code == 200
        assert client.get(documents).status_code == 200


def test_only_the_stage1_page_speaks_of_the_clients_readiness(
    stage1, programme, client_admin, acme, cb, programme_manager
):
    share(client_admin, acme, cb)
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    response = login(programme_manager).get(reverse("audits:audit-detail", args=[stage2.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Client's readiness work" not in body
    assert reverse("readiness:dashboard", args=[acme.public_id]) not in body


def test_the_api_refuses_the_cb_readers_writes_with_a_valid_body(work, client_admin, acme, cb, lead_auditor, auditor):
    share(client_admin, acme, cb)
    documents = f"/api/v1/organizations/{acme.public_id}/documents"
    approve = f"/api/v1/revisions/{work['revision'].public_id}/approve"
    reader, _ = token_client(lead_auditor)
    assert reader.post(documents, {"title": "Auditor's note"}, content_type="application/json").status_code == 403
    assert reader.post(approve, content_type="application/json").status_code == 403
    stranger, _ = token_client(auditor)
    assert stranger.post(documents, {"title": "x"}, content_type="application/json").status_code == 404
    assert Document.objects.filter(organization=acme).count() == 1
