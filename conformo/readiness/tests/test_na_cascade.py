"""Marking a clause not applicable offers to apply it to its sub-clauses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.errors import ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.readiness.models import Item
from conformo.readiness.services import assessment_create, item_answer, subclause_items
from conformo.standards.models import ClauseKind

pytestmark = pytest.mark.django_db


def _item(assessment, standard, ref):
    return Item.objects.select_related("answer", "clause", "assessment").get(
        assessment=assessment, clause__standard=standard, clause__ref=ref, clause__kind=ClauseKind.CLAUSE
    )


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=list(catalog.values()))


def test_not_applicable_is_applied_to_the_sub_clauses_when_asked(client_admin, assessment, catalog):
    parent = _item(assessment, catalog["27001"], "6.1")
    assert [i.clause.ref for i in subclause_items(parent)] == ["6.1.3"]
    item_answer(
        actor=client_admin, item=parent, status="not_applicable", justification="Out of scope", apply_to_subclauses=True
    )
    child = _item(assessment, catalog["27001"], "6.1.3")
    assert (child.answer.status, child.answer.justification) == ("not_applicable", "Out of scope")
    entries = AuditLogEntry.objects.filter(action="readiness.answer.update")
    assert [(e.after or {})["status"] for e in entries] == ["not_applicable", "not_applicable"]


def test_without_the_checkbox_or_another_status_the_sub_clauses_stay(client_admin, assessment, catalog):
    parent = _item(assessment, catalog["27001"], "6.1")
    item_answer(actor=client_admin, item=parent, status="not_applicable", justification="Out of scope")
    item_answer(actor=client_admin, item=parent, status="implemented", apply_to_subclauses=True)
    assert _item(assessment, catalog["27001"], "6.1.3").answer.status != "not_applicable"


def test_a_refused_answer_changes_no_sub_clause(client_admin, assessment, catalog):
    parent = _item(assessment, catalog["27001"], "6.1")
    with pytest.raises(ValidationFailed):
        item_answer(actor=client_admin, item=parent, status="not_applicable", apply_to_subclauses=True)
    assert _item(assessment, catalog["27001"], "6.1.3").answer.status != "not_applicable"


def test_the_form_offers_the_checkbox_with_the_count_and_applies_it(client_admin, assessment, catalog):
    parent = _item(assessment, catalog["27001"], "6.1")
    url = reverse("readiness:item", args=[assessment.public_id, parent.pk])
    page = login(client_admin)
    assert "apply to its 1 sub-clause" in page.get(url).content.decode()
    leaf = _item(assessment, catalog["27001"], "6.1.3")
    assert (
        "sub-clause" not in page.get(reverse("readiness:item", args=[assessment.public_id, leaf.pk])).content.decode()
    )
    response = page.post(url, {"status": "not_applicable", "justification": "No ISMS", "apply_to_subclauses": "on"})
    assert response.status_code == 302
    assert _item(assessment, catalog["27001"], "6.1.3").answer.status == "not_applicable"


def test_the_api_applies_not_applicable_to_the_sub_clauses(client_admin, assessment, catalog):
    parent = _item(assessment, catalog["27001"], "6.1")
    client, _ = token_client(client_admin)
    response = client.patch(
        f"/api/v1/assessments/{assessment.public_id}/items/{parent.pk}",
        {"status": "not_applicable", "justification": "No ISMS", "apply_to_subclauses": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert _item(assessment, catalog["27001"], "6.1.3").answer.justification == "No ISMS"
