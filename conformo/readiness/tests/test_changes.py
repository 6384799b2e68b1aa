"""Evidence links, a document's owner and approver, management-review actions done, a risk's treatment
and links: pages and API, each refused to client members, other organizations and CBs, audit-logged,
with field errors on bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conformo.conftest import login, token_client
from conformo.core.models import AuditLogEntry
from conformo.organizations.models import ClientRelationship
from conformo.readiness.models import Evidence, Item, ReviewAction
from conformo.readiness.services import (
    assessment_create,
    document_create,
    management_review_create,
    review_action_add,
    risk_create,
)
from conformo.standards.models import Clause

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def work(client_admin, acme, catalog):
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"], catalog["27001"]])
    item = Item.objects.get(assessment=assessment, clause__standard=catalog["9001"], clause__ref="5.2")
    document = document_create(actor=client_admin, organization=acme, title="Quality policy")
    review = management_review_create(actor=client_admin, organization=acme, title="MR", standards=[catalog["9001"]])
    action = review_action_add(
        actor=client_admin, review=review, description="Train auditors", due_date=timezone.localdate()
    )
    risk = risk_create(actor=client_admin, organization=acme, title="Supplier failure", likelihood=3, impact=4)
    return {
        "assessment": assessment,
        "item": item,
        "document": document,
        "review": review,
        "action": action,
        "risk": risk,
    }


def _json(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _logged(action):
    return AuditLogEntry.objects.filter(action=action).count()


# --- Evidence --------------------------------------------------------------------------------------------


def test_a_client_admin_links_evidence_on_the_page_and_it_is_shared(client_admin, work, catalog):
    item, document = work["item"], work["document"]
    url = reverse("readiness:item-evidence", args=[work["assessment"].public_id, item.pk])
    add = reverse("readiness:item-evidence-add", args=[work["assessment"].public_id, item.pk])
    client = login(client_admin)
    assert f'action="{add}"' in client.get(url).content.decode()
    assert client.post(url, {"label": "Policy", "url": "https://intranet.example/policy"}).status_code == 405
    response = client.post(add, {"label": "Policy", "url": "https://intranet.example/policy"})
    assert response.status_code == 302
    client.post(add, {"label": "Signed policy", "document": document.pk})
    body = client.get(url).content.decode()
    assert "https://intranet.example/policy" in body
    assert "Quality policy" in body
    # the 27001 item shares the HS 5.2 answer, so it shows the same evidence
    twin = Item.objects.get(assessment=work["assessment"], clause__standard=catalog["27001"], clause__ref="5.2")
    twin_url = reverse("readiness:item-evidence", args=[work["assessment"].public_id, twin.pk])
    assert "https://intranet.example/policy" in client.get(twin_url).content.decode()
    assert _logged("readiness.evidence.add") == 2


def test_the_evidence_page_shows_field_errors(client_admin, work):
    url = reverse("readiness:item-evidence-add", args=[work["assessment"].public_id, work["item"].pk])
    response = login(client_admin).post(url, {"label": "", "url": "not a link"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a valid URL." in body
    assert 'value="not a link"' in body
    response = login(client_admin).post(url, {"label": "Nothing"})
    assert "Give a link or choose a document." in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_through_the_api(client_admin, work, other_client_admin, bluewater):
    client, _ = token_client(client_admin)
    base = f"{API}/assessments/{work['assessment'].public_id}/items/{work['item'].pk}/evidence"
    response = _json(client, "post", base, {"label": "Policy", "document_id": str(work["document"].public_id)})
    assert response.status_code == 201, response.content
    assert response.json()["document_title"] == "Quality policy"
    assert client.get(base).json()[0]["label"] == "Policy"
    response = _json(client, "post", base, {"label": "x", "url": "ftp://nope"})
    assert response.status_code == 422
    assert "url" in response.json()["fields"]
    foreign = document_create(actor=other_client_admin, organization=bluewater, title="Theirs")
    response = _json(client, "post", base, {"label": "x", "document_id": str(foreign.public_id)})
    assert response.status_code == 422
    assert "document_id" in response.json()["fields"]
    assert _logged("readiness.evidence.add") == 1


# --- Refusals: client member, other organization, CB (with and without sharing) -----------------------------


def _writes(work):
    a, item = work["assessment"], work["item"]
    return [
        (
            "post",
            f"{API}/assessments/{a.public_id}/items/{item.pk}/evidence",
            {"label": "x", "url": "https://evidence.example/x"},
        ),
        ("patch", f"{API}/documents/{work['document'].public_id}", {"review_due": "2027-01-01"}),
        ("post", f"{API}/review-actions/{work['action'].public_id}/done", {"done": True}),
        ("post", f"{API}/management-reviews/{work['review'].public_id}/actions", {"description": "x"}),
        ("patch", f"{API}/risks/{work['risk'].public_id}", {"treatment_status": "done"}),
    ]


def _pages(work):
    """(page, the URL of one of its actions, that action's input)"""
    a, item = work["assessment"], work["item"]
    evidence = reverse("readiness:item-evidence", args=[a.public_id, item.pk])
    evidence_add = reverse("readiness:item-evidence-add", args=[a.public_id, item.pk])
    document = work["document"].public_id
    risk = reverse("readiness:risk-detail", args=[work["risk"].public_id])
    risk_update = reverse("readiness:risk-update", args=[work["risk"].public_id])
    return [
        (evidence, evidence_add, {"label": "x", "url": "https://evidence.example/x"}),
        (
            reverse("readiness:document-detail", args=[document]),
            reverse("readiness:document-owners", args=[document]),
            {"review_due": "2027-01-01"},
        ),
        (
            reverse("readiness:review-detail", args=[work["review"].public_id]),
            reverse("readiness:review-action-done", args=[work["action"].public_id]),
            {},
        ),
        (risk, risk_update, {"treatment": "avoid", "treatment_status": "done"}),
    ]


def _unchanged(work):
    assert not Evidence.objects.exists()
    assert not ReviewAction.objects.filter(done=True).exists()
    work["risk"].refresh_from_db()
    assert work["risk"].treatment_status == "not_started"
    work["document"].refresh_from_db()
    assert work["document"].review_due is None


def test_a_client_member_may_read_but_not_change(client_member, work):
    client, _ = token_client(client_member)
    for method, url, data in _writes(work):
        assert _json(client, method, url, data).status_code == 403, url
    page = login(client_member)
    for url, action, data in _pages(work):
        assert page.get(url).status_code == 200, url
        assert page.post(action, data).status_code == 403, action
    assert "Save treatment" not in page.get(_pages(work)[3][0]).content.decode()
    _unchanged(work)


def test_another_organization_and_a_cb_see_nothing(other_client_admin, cb_admin, work, acme):
    for user in (other_client_admin, cb_admin):
        client, _ = token_client(user)
        for method, url, data in _writes(work):
            assert _json(client, method, url, data).status_code == 404, url
        page = login(user)
        for url, action, data in _pages(work):
            assert page.get(url).status_code == 404, url
            assert page.post(action, data).status_code == 404, action
    ClientRelationship.objects.filter(organization=acme).update(shares_readiness=True)
    client, _ = token_client(cb_admin)
    for method, url, data in _writes(work):
        assert _json(client, method, url, data).status_code == 403, url
    page = login(cb_admin)
    for url, action, data in _pages(work):
        assert page.get(url).status_code == 200, url
        assert page.post(action, data).status_code == 403, action
    _unchanged(work)


# --- Document owner and approver --------------------------------------------------------------------------


def test_a_client_admin_sets_owner_and_approver_on_the_page(client_admin, client_member, work):
    document = work["document"]
    url = reverse("readiness:document-owners", args=[document.public_id])
    client = login(client_admin)
    response = client.post(url, {"owner": client_member.pk, "approver": client_admin.pk, "review_due": "2027-03-01"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.owner, document.approver, document.review_due) == (client_member, client_admin, date(2027, 3, 1))
    entry = AuditLogEntry.objects.get(action="readiness.document.update")
    assert (entry.after or {})["approver"] == client_admin.pk
    response = client.post(url, {"owner": "999999", "review_due": "someday"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Select a valid choice" in body
    assert "Enter a valid date." in body
    assert 'value="someday"' in body
    document.refresh_from_db()
    assert (document.owner, document.review_due) == (client_member, date(2027, 3, 1))


def test_owner_and_approver_through_the_api(client_admin, client_member, outsider, work):
    client, _ = token_client(client_admin)
    url = f"{API}/documents/{work['document'].public_id}"
    response = _json(client, "patch", url, {"approver_email": client_member.email})
    assert response.status_code == 200, response.content
    assert response.json()["approver"] == client_member.email
    response = _json(client, "patch", url, {"owner_email": client_admin.email, "review_due": "2027-01-31"})
    assert response.json()["owner"] == client_admin.email
    assert response.json()["approver"] == client_member.email  # left out: kept
    assert response.json()["review_due"] == "2027-01-31"
    response = _json(client, "patch", url, {"owner_email": "nobody@example.test"})
    assert response.status_code == 422
    assert "owner_email" in response.json()["fields"]
    response = _json(client, "patch", url, {"approver_email": outsider.email})
    assert response.status_code == 422
    assert "approver_email" in response.json()["fields"]
    response = _json(client, "patch", url, {"approver_email": ""})
    assert response.json()["approver"] is None
    assert _logged("readiness.document.update") == 3


# --- Management-review actions ----------------------------------------------------------------------------


def test_a_client_admin_marks_a_review_action_done_on_the_page(client_admin, work):
    action, review = work["action"], work["review"]
    url = reverse("readiness:review-detail", args=[review.public_id])
    client = login(client_admin)
    done = reverse("readiness:review-action-done", args=[action.public_id])
    assert done in client.get(url).content.decode()
    assert client.post(done).status_code == 302
    action.refresh_from_db()
    assert action.done
    assert AuditLogEntry.objects.get(action="readiness.review_action.done").after == {"done": True}
    assert client.post(done).status_code == 302  # already done: a message, not an error page
    assert AuditLogEntry.objects.filter(action="readiness.review_action.done").count() == 1
    assert client.post(reverse("readiness:review-action-reopen", args=[action.public_id])).status_code == 302
    action.refresh_from_db()
    assert not action.done
    add = reverse("readiness:review-action-add", args=[review.public_id])
    response = client.post(add, {"description": "Hire", "due_date": "tomorrow"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body
    assert 'value="tomorrow"' in body
    assert 'value="Hire"' in body
    response = client.post(add, {"description": "", "due_date": "2026-02-30"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert review.actions.count() == 1
    assert client.post("/readiness/review-actions/not-a-uuid/done/").status_code == 404


def test_review_actions_through_the_api(client_admin, client_member, work):
    client, _ = token_client(client_admin)
    review = work["review"]
    response = _json(
        client,
        "post",
        f"{API}/management-reviews/{review.public_id}/actions",
        {"description": "Update the risk register", "owner_email": client_member.email, "due_date": "2026-12-01"},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["owner"] == client_member.email
    assert created["done"] is False
    response = _json(client, "post", f"{API}/review-actions/{created['id']}/done", {})
    assert response.status_code == 200
    assert response.json()["done"] is True
    assert _json(client, "post", f"{API}/review-actions/{created['id']}/done", {}).status_code == 409
    listed = client.get(f"{API}/management-reviews/{review.public_id}/actions").json()
    assert {a["description"]: a["done"] for a in listed} == {"Train auditors": False, "Update the risk register": True}
    response = _json(client, "post", f"{API}/management-reviews/{review.public_id}/actions", {"description": " "})
    assert response.status_code == 422
    assert "description" in response.json()["fields"]
    assert _logged("readiness.review_action.done") == 1


# --- Risk treatment, status and links ---------------------------------------------------------------------


def test_a_client_admin_updates_a_risk_and_links_clauses_and_controls_on_the_page(client_admin, work, catalog):
    risk = work["risk"]
    page = reverse("readiness:risk-detail", args=[risk.public_id])
    url = reverse("readiness:risk-update", args=[risk.public_id])
    clause = Clause.objects.get(standard=catalog["9001"], ref="8.1")
    control = Clause.objects.filter(standard=catalog["27001"], kind="control").order_by("position")[0]
    client = login(client_admin)
    body = client.get(page).content.decode()
    assert f"A.{control.ref}" in body
    assert f'action="{url}"' in body
    assert client.post(page, {"treatment": "transfer", "treatment_status": "in_progress"}).status_code == 405
    response = client.post(
        url,
        {
            "treatment": "transfer",
            "treatment_status": "in_progress",
            "treatment_plan": "Second supplier",
            "clauses": [clause.pk, control.pk],
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.treatment, risk.treatment_status, risk.treatment_plan) == (
        "transfer",
        "in_progress",
        "Second supplier",
    )
    assert set(risk.clauses.all()) == {clause, control}
    entry = AuditLogEntry.objects.get(action="readiness.risk.update")
    assert (entry.before or {})["treatment_status"] == "not_started"
    assert (entry.after or {})["clauses"] == sorted(["iso-9001-2015:8.1", f"iso-iec-27001-2022:A.{control.ref}"])
    assert (
        f"A.{control.ref}"
        in client.get(reverse("readiness:risks", args=[risk.organization.public_id])).content.decode()
    )
    response = client.post(url, {"treatment": "bribe", "treatment_status": "done", "treatment_plan": "Kept plan"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert "Kept plan" in response.content.decode()
    risk.refresh_from_db()
    assert risk.treatment == "transfer"


def test_risk_treatment_and_links_through_the_api(client_admin, work, catalog):
    client, _ = token_client(client_admin)
    url = f"{API}/risks/{work['risk'].public_id}"
    control = Clause.objects.filter(standard=catalog["27001"], kind="control").order_by("position")[0]
    response = _json(
        client,
        "patch",
        url,
        # The older form with a space is still read; the answer has the one form with a colon.
        {"treatment_status": "done", "clauses": ["iso-9001-2015 8.1", f"ISO/IEC 27001:2022 A.{control.ref}"]},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["treatment_status"] == "done"
    assert data["treatment"] == "reduce"
    assert data["clauses"] == sorted(["iso-9001-2015:8.1", f"iso-iec-27001-2022:A.{control.ref}"])
    response = _json(client, "patch", url, {"treatment_status": "finished"})
    assert response.status_code == 422
    assert "treatment_status" in response.json()["fields"]
    response = _json(client, "patch", url, {"clauses": ["iso-9001-2015 99.9"]})
    assert response.status_code == 422
    assert "clauses" in response.json()["fields"]
    assert client.get(url).json()["clauses"] == data["clauses"]  # unchanged by the refused requests
    response = _json(client, "patch", url, {"clauses": []})
    assert response.json()["clauses"] == []
    assert _logged("readiness.risk.update") == 2
