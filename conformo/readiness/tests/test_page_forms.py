"""Every readiness page action has its own URL and form: a valid post does the thing; bad input (a date
that does not exist, a number that is not one, an id that is not offered, a missing field) is a form error
on the same page with the input kept, never a 500 nor a silent default, and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conformo.conftest import login
from conformo.improvement.models import Nonconformity
from conformo.readiness.models import Document, InternalAudit, Item, Risk, RiskMatrixConfig
from conformo.readiness.services import (
    assessment_create,
    document_create,
    internal_audit_plan,
    management_review_create,
)
from conformo.standards.models import Clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"], catalog["27001"]])


@pytest.fixture
def audit(client_admin, acme, catalog, assessment):
    clauses = Clause.objects.filter(standard=catalog["9001"], ref__in=["4", "5"])
    return internal_audit_plan(
        actor=client_admin, organization=acme, title="Audit", planned_on=date(2026, 3, 1), clauses=list(clauses)
    )


# --- Internal audit ------------------------------------------------------------------------------------


def test_completing_an_internal_audit_records_the_date_given(client_admin, audit):
    url = reverse("readiness:internal-audit-complete", args=[audit.public_id])
    response = login(client_admin).post(url, {"completed_on": "2026-03-02", "summary": "Fine"})
    audit.refresh_from_db()
    assert response.status_code == 302
    assert (audit.status, audit.completed_on, audit.summary) == ("completed", date(2026, 3, 2), "Fine")


@pytest.mark.parametrize("completed_on", ["2026-02-31", "abc", ""])
def test_a_bad_completion_date_is_a_form_error_not_today(client_admin, audit, completed_on):
    url = reverse("readiness:internal-audit-complete", args=[audit.public_id])
    response = login(client_admin).post(url, {"completed_on": completed_on, "summary": "Kept summary"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body or "This field is required." in body
    assert "Kept summary</textarea>" in body
    audit.refresh_from_db()
    assert (audit.status, audit.completed_on) == ("planned", None)


def test_completing_a_completed_audit_is_a_conflict_on_the_page(client_admin, audit):
    url = reverse("readiness:internal-audit-complete", args=[audit.public_id])
    client = login(client_admin)
    client.post(url, {"completed_on": "2026-03-02"})
    response = client.post(url, {"completed_on": "2026-03-05"})
    assert response.status_code == 409
    assert "Only a planned audit can be completed." in response.content.decode()
    assert InternalAudit.objects.get(pk=audit.pk).completed_on == date(2026, 3, 2)


def test_a_finding_of_an_internal_audit_is_raised_on_its_checklist_clauses(client_admin, audit):
    clause = audit.clauses.get(ref="5")
    url = reverse("readiness:internal-audit-finding", args=[audit.public_id])
    response = login(client_admin).post(url, {"title": "No policy", "grade": "major", "clauses": [clause.pk]})
    nc = Nonconformity.objects.get()
    assert response.status_code == 302
    assert (nc.title, nc.grade, nc.source, nc.internal_audit) == ("No policy", "major", "internal_audit", audit)
    assert list(nc.clauses.all()) == [clause]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"grade": "huge"}, "Select a valid choice."),
        ({"clauses": ["abc"]}, "is not a valid value."),
        ({"clauses": ["999999"]}, "Select a valid choice."),
    ],
)
def test_bad_finding_input_is_a_form_error_and_raises_nothing(client_admin, audit, data, error):
    url = reverse("readiness:internal-audit-finding", args=[audit.public_id])
    response = login(client_admin).post(url, {"title": "No policy", "grade": "minor", "description": "Kept", **data})
    body = response.content.decode()
    assert response.status_code == 422
    assert error in body
    assert "Kept</textarea>" in body
    assert not Nonconformity.objects.exists()


def test_a_clause_outside_the_audits_checklist_is_not_accepted(client_admin, audit, catalog):
    other = Clause.objects.filter(standard=catalog["9001"]).exclude(pk__in=audit.clauses.all())[0]
    url = reverse("readiness:internal-audit-finding", args=[audit.public_id])
    response = login(client_admin).post(url, {"title": "x", "grade": "minor", "clauses": [other.pk]})
    assert response.status_code == 422
    assert not Nonconformity.objects.exists()


def test_a_member_may_not_complete_an_audit(client_member, audit):
    url = reverse("readiness:internal-audit-complete", args=[audit.public_id])
    assert login(client_member).post(url, {"completed_on": "2026-03-02"}).status_code == 403


# --- Management review ---------------------------------------------------------------------------------


@pytest.fixture
def review(client_admin, acme, catalog):
    return management_review_create(actor=client_admin, organization=acme, title="MR", standards=[catalog["9001"]])


def test_a_bad_held_on_date_is_a_form_error_and_the_inputs_are_kept(client_admin, review):
    url = reverse("readiness:review-record", args=[review.public_id])
    response = login(client_admin).post(url, {"held_on": "2026-02-31", "input-audit_results": "All audited"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body
    assert 'value="2026-02-31"' in body
    assert "All audited</textarea>" in body
    review.refresh_from_db()
    assert (review.held_on, review.inputs) == (None, {})


def test_recording_a_review_saves_its_inputs_and_the_form_shows_them(client_admin, review):
    url = reverse("readiness:review-record", args=[review.public_id])
    client = login(client_admin)
    response = client.post(url, {"held_on": "2026-03-10", "attendees": "CEO", "input-audit_results": "All audited"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.held_on, review.attendees, review.inputs["audit_results"]) == (
        date(2026, 3, 10),
        "CEO",
        "All audited",
    )
    body = client.get(reverse("readiness:review-detail", args=[review.public_id])).content.decode()
    assert 'value="2026-03-10"' in body
    assert "All audited</textarea>" in body


def test_a_reader_sees_the_review_form_disabled(client_member, review):
    body = login(client_member).get(reverse("readiness:review-detail", args=[review.public_id])).content.decode()
    assert "disabled" in body
    assert "Save review" not in body


# --- Risk register -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"likelihood_levels": "abc"}, "Enter a whole number."),
        ({"impact_levels": "11"}, "Ensure this value is less than or equal to 10."),
        ({"low_max": ""}, "This field is required."),
    ],
)
def test_bad_risk_matrix_input_is_a_form_error(client_admin, acme, data, error):
    url = reverse("readiness:risk-matrix", args=[acme.public_id])
    form = {"likelihood_levels": "4", "impact_levels": "4", "low_max": "4", "medium_max": "9", **data}
    response = login(client_admin).post(url, form)
    body = response.content.decode()
    assert response.status_code == 422
    assert error in body
    assert not RiskMatrixConfig.objects.exists()


def test_a_matrix_the_rules_refuse_shows_the_reason_on_the_form(client_admin, acme):
    url = reverse("readiness:risk-matrix", args=[acme.public_id])
    response = login(client_admin).post(
        url, {"likelihood_levels": "3", "impact_levels": "3", "low_max": "8", "medium_max": "4"}
    )
    assert response.status_code == 422
    assert 'class="form-errors"' in response.content.decode()
    assert not RiskMatrixConfig.objects.exists()


def test_the_matrix_form_shows_the_matrix_in_use_and_saves(client_admin, acme):
    client = login(client_admin)
    url = reverse("readiness:risk-matrix", args=[acme.public_id])
    data = {"likelihood_levels": "4", "impact_levels": "4", "low_max": "4", "medium_max": "9"}
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("readiness:risks", args=[acme.public_id])).content.decode()
    assert 'name="medium_max" value="9"' in body


def test_a_risk_with_a_likelihood_that_is_not_a_number_is_a_form_error(client_admin, acme):
    url = reverse("readiness:risk-create", args=[acme.public_id])
    data = {"kind": "risk", "title": "Fire", "likelihood": "abc", "impact": "2", "treatment": "reduce"}
    response = login(client_admin).post(url, data)
    assert response.status_code == 422
    assert "Enter a whole number." in response.content.decode()
    assert 'value="Fire"' in response.content.decode()
    assert not Risk.objects.exists()


# --- Documents -----------------------------------------------------------------------------------------


def test_a_document_with_a_review_date_that_does_not_exist_is_a_form_error(client_admin, acme):
    url = reverse("readiness:document-create", args=[acme.public_id])
    response = login(client_admin).post(url, {"title": "Policy", "kind": "document", "review_due": "2026-02-31"})
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode()
    assert not Document.objects.exists()


def test_the_owners_form_shows_the_owner_and_approver_as_they_stand(client_admin, client_member, acme):
    document = document_create(
        actor=client_admin, organization=acme, title="Policy", owner=client_member, approver=client_admin
    )
    body = login(client_admin).get(reverse("readiness:document-detail", args=[document.public_id])).content.decode()
    assert f'<option value="{client_member.pk}" selected>' in body
    assert f'<option value="{client_admin.pk}" selected>' in body


def test_approving_a_draft_is_refused_with_a_message_not_an_error_page(client_admin, acme):
    document = document_create(actor=client_admin, organization=acme, title="Policy")
    client = login(client_admin)
    client.post(reverse("readiness:revision-create", args=[document.public_id]), {"change_note": "first"})
    revision = document.revisions.get()
    response = client.post(reverse("readiness:revision-approve", args=[revision.public_id]), follow=True)
    assert response.status_code == 200
    assert "A revision that is draft cannot become approved." in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == "draft"


def test_revision_actions_answer_only_post(client_admin, acme):
    document = document_create(actor=client_admin, organization=acme, title="Policy")
    client = login(client_admin)
    client.post(reverse("readiness:revision-create", args=[document.public_id]), {"change_note": "first"})
    revision = document.revisions.get()
    assert client.get(reverse("readiness:revision-submit", args=[revision.public_id])).status_code == 405


# --- Assessment table and SoA --------------------------------------------------------------------------


def _item(assessment, standard, ref):
    return Item.objects.select_related("answer").get(assessment=assessment, clause__standard=standard, clause__ref=ref)


def test_an_unknown_status_from_the_inline_select_is_a_form_error(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "8.3")
    url = reverse("readiness:item-status", args=[assessment.public_id, item.pk])
    response = login(client_admin).post(url, {"status": "bogus"})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert _item(assessment, catalog["9001"], "8.3").answer.status == item.answer.status


def test_not_applicable_without_justification_opens_the_row_as_a_form_with_the_reason(
    client_admin, assessment, catalog
):
    item = _item(assessment, catalog["9001"], "8.3")
    url = reverse("readiness:item-status", args=[assessment.public_id, item.pk])
    response = login(client_admin).post(url, {"status": "not_applicable"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert f'id="item-{item.pk}"' in body
    assert 'role="alert"' in body
    assert '<option value="not_applicable" selected>' in body
    assert _item(assessment, catalog["9001"], "8.3").answer.status != "not_applicable"


def test_a_bad_due_date_on_the_item_form_is_a_form_error(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "8.3")
    url = reverse("readiness:item", args=[assessment.public_id, item.pk])
    response = login(client_admin).post(url, {"status": "partial", "due_date": "2026-02-31", "notes": "kept"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body
    assert "kept</textarea>" in body
    assert _item(assessment, catalog["9001"], "8.3").answer.due_date is None


def test_publishing_an_soa_with_unjustified_controls_shows_the_reason_and_keeps_the_note(client_admin, assessment):
    url = reverse("readiness:soa-publish", args=[assessment.public_id])
    response = login(client_admin).post(url, {"note": "First cut"})
    body = response.content.decode()
    assert response.status_code == 422
    assert 'class="form-errors"' in body
    assert 'value="First cut"' in body
    assert not assessment.soa_versions.exists()


def test_the_answer_mode_buttons_post_to_their_own_urls(client_admin, assessment, catalog):
    item = _item(assessment, catalog["27001"], "9.2")
    own = reverse("readiness:item-override", args=[assessment.public_id, item.pk])
    shared = reverse("readiness:item-share", args=[assessment.public_id, item.pk])
    client = login(client_admin)
    page = reverse("readiness:assessment-detail", args=[assessment.public_id])
    assert f'action="{own}"' in client.get(page).content.decode()
    assert client.post(own).status_code == 302
    assert not _item(assessment, catalog["27001"], "9.2").answer.hs_ref
    assert f'action="{shared}"' in client.get(page).content.decode()
    response = client.post(own, follow=True)  # already its own: a message on the page, not an error page
    assert response.status_code == 200
    assert "This item already has its own answer." in response.content.decode()
    assert client.post(shared).status_code == 302
    assert _item(assessment, catalog["27001"], "9.2").answer.hs_ref


def test_the_inline_status_select_posts_to_the_status_url(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "8.3")
    status = reverse("readiness:item-status", args=[assessment.public_id, item.pk])
    body = login(client_admin).get(reverse("readiness:assessment-detail", args=[assessment.public_id])).content
    assert f'hx-post="{status}"' in body.decode()


# --- Every action URL: a page for its GET, nothing for another organization ------------------------------


@pytest.fixture
def action_urls(client_admin, acme, assessment, audit, review, catalog):
    from conformo.improvement.services import corrective_action_set, nonconformity_raise
    from conformo.readiness.services import review_action_add, risk_create

    document = document_create(actor=client_admin, organization=acme, title="Policy")
    login(client_admin).post(reverse("readiness:revision-create", args=[document.public_id]), {"change_note": "x"})
    revision = document.revisions.get()
    action = review_action_add(actor=client_admin, review=review, description="Train")
    item = _item(assessment, catalog["27001"], "9.2")
    nc = nonconformity_raise(actor=client_admin, organization=acme, source="incident", grade="minor", title="x")
    risk = risk_create(
        actor=client_admin, organization=acme, kind="risk", title="Fire", likelihood=2, impact=2, treatment="reduce"
    )
    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="r", action="a", due_date=date(2026, 5, 1))
    forms = [
        reverse("readiness:assessment-create", args=[acme.public_id]),
        reverse("readiness:document-create", args=[acme.public_id]),
        reverse("readiness:internal-audit-create", args=[acme.public_id]),
        reverse("readiness:review-create", args=[acme.public_id]),
        reverse("readiness:risk-create", args=[acme.public_id]),
        reverse("readiness:item-evidence-add", args=[assessment.public_id, item.pk]),
        reverse("readiness:risk-update", args=[risk.public_id]),
        reverse("readiness:internal-audit-complete", args=[audit.public_id]),
        reverse("readiness:internal-audit-finding", args=[audit.public_id]),
        reverse("readiness:review-record", args=[review.public_id]),
        reverse("readiness:review-action-add", args=[review.public_id]),
        reverse("readiness:risk-matrix", args=[acme.public_id]),
        reverse("readiness:document-owners", args=[document.public_id]),
        reverse("readiness:revision-create", args=[document.public_id]),
        reverse("readiness:soa-publish", args=[assessment.public_id]),
        reverse("improvement:nonconformity-raise", args=[acme.public_id]),
        reverse("improvement:action-plan", args=[nc.public_id]),
        reverse("improvement:action-complete", args=[nc.public_id]),
        reverse("improvement:effectiveness-check", args=[nc.public_id]),
    ]
    buttons = [
        reverse("readiness:review-action-done", args=[action.public_id]),
        reverse("readiness:review-action-reopen", args=[action.public_id]),
        reverse("readiness:documents-prefill", args=[acme.public_id]),
        reverse("readiness:revision-submit", args=[revision.public_id]),
        reverse("readiness:revision-approve", args=[revision.public_id]),
        reverse("readiness:revision-reject", args=[revision.public_id]),
        reverse("readiness:revision-withdraw", args=[revision.public_id]),
        reverse("readiness:item-status", args=[assessment.public_id, item.pk]),
        reverse("readiness:item-override", args=[assessment.public_id, item.pk]),
        reverse("readiness:item-share", args=[assessment.public_id, item.pk]),
    ]
    return forms, buttons


def test_the_get_of_a_form_action_shows_the_page_with_its_form_and_buttons_answer_only_post(client_admin, action_urls):
    forms, buttons = action_urls
    client = login(client_admin)
    for url in forms:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'method="post"' in response.content.decode(), url
    for url in buttons:
        assert client.get(url).status_code == 405, url


def test_another_organization_reaches_no_action(client_admin, other_client_admin, action_urls):
    from conformo.core.models import AuditLogEntry

    forms, buttons = action_urls
    before = AuditLogEntry.objects.count()
    client = login(other_client_admin)
    for url in forms + buttons:
        assert client.post(url, {"status": "implemented", "completed_on": "2026-03-02"}).status_code == 404, url
    assert AuditLogEntry.objects.count() == before
