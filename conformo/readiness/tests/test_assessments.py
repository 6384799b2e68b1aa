from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conformo.conftest import login, token_client
from conformo.core.errors import NotFound, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.organizations.models import ClientRelationship
from conformo.readiness.choices import ItemStatus
from conformo.readiness.models import Answer, Item
from conformo.readiness.selectors import assessment_summary
from conformo.readiness.services import assessment_create, assessment_rerun, item_answer, item_override, item_share
from conformo.standards.models import ClauseKind

pytestmark = pytest.mark.django_db


def _item(assessment, standard, ref, kind=ClauseKind.CLAUSE):
    return Item.objects.select_related("answer", "clause", "assessment").get(
        assessment=assessment, clause__standard=standard, clause__ref=ref, clause__kind=kind
    )


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=list(catalog.values()))


def test_it_creates_one_item_per_clause_and_control_in_a_bounded_number_of_queries(
    client_admin, acme, catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        assessment = assessment_create(actor=client_admin, organization=acme, standards=list(catalog.values()))
    # 4 standards × 9 sub-clauses + 3 standard-specific clauses + 93 Annex A controls
    assert assessment.items.count() == 4 * 9 + 3 + 93
    # the 9 HS clauses are answered once for all four standards
    assert Answer.objects.filter(assessment=assessment, hs_ref__gt="").count() == 9
    assert AuditLogEntry.objects.filter(action="readiness.assessment.create", organization=acme).count() == 1


def test_answering_a_shared_clause_once_shows_in_every_selected_standard(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "5.2")
    item_answer(actor=client_admin, item=item, status="implemented")
    for standard in catalog.values():
        assert _item(assessment, standard, "5.2").answer.status == "implemented"
    assert _item(assessment, catalog["9001"], "8.3").answer.status == "not_started"


def test_one_standard_can_answer_a_shared_clause_differently_and_return_to_the_shared_answer(
    client_admin, assessment, catalog
):
    item_answer(actor=client_admin, item=_item(assessment, catalog["9001"], "9.2"), status="partial")
    own = item_override(actor=client_admin, item=_item(assessment, catalog["27001"], "9.2"))
    assert own.answer.status == "partial"
    item_answer(actor=client_admin, item=_item(assessment, catalog["27001"], "9.2"), status="implemented")
    assert _item(assessment, catalog["9001"], "9.2").answer.status == "partial"
    assert _item(assessment, catalog["27001"], "9.2").answer.status == "implemented"
    item_share(actor=client_admin, item=_item(assessment, catalog["27001"], "9.2"))
    assert _item(assessment, catalog["27001"], "9.2").answer.status == "partial"


def test_not_applicable_requires_a_justification(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "8.3")
    with pytest.raises(ValidationFailed, match="why"):
        item_answer(actor=client_admin, item=item, status="not_applicable")
    item_answer(actor=client_admin, item=item, status="not_applicable", justification="We do no design work.")
    assert _item(assessment, catalog["9001"], "8.3").answer.justification == "We do no design work."


def test_a_rerun_starts_from_the_last_answers_marked_for_review(client_admin, assessment, catalog):
    item_answer(actor=client_admin, item=_item(assessment, catalog["9001"], "4.1"), status="implemented")
    new = assessment_rerun(actor=client_admin, assessment=assessment)
    carried = _item(new, catalog["14001"], "4.1").answer
    assert carried.status == "implemented"
    assert carried.needs_review
    assert new.previous == assessment
    assert _item(assessment, catalog["9001"], "4.1").answer.needs_review is False


def test_the_readiness_score_counts_applicable_items(client_admin, acme, catalog):
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"]])
    for ref in ("4.1", "4.3", "5.2"):
        item_answer(actor=client_admin, item=_item(assessment, catalog["9001"], ref), status="implemented")
    item_answer(
        actor=client_admin, item=_item(assessment, catalog["9001"], "8.3"), status="not_applicable", justification="n/a"
    )
    summary = assessment_summary(assessment=assessment)
    assert summary.overall.applicable == 9
    assert str(summary.overall.percent) == "33.3"
    assert str(summary.by_group[("ISO 9001:2015", "4")].percent) == "100.0"


def test_a_client_member_answers_only_items_they_own(client_admin, client_member, assessment, catalog):
    item = _item(assessment, catalog["9001"], "7.5")
    with pytest.raises(PermissionDenied):
        item_answer(actor=client_member, item=item, status="planned")
    item_answer(actor=client_admin, item=item, owner=client_member)
    item = _item(assessment, catalog["9001"], "7.5")
    item_answer(actor=client_member, item=item, status="planned")
    with pytest.raises(PermissionDenied):
        item_answer(actor=client_member, item=item, owner=client_admin)
    with pytest.raises(PermissionDenied):
        assessment_create(actor=client_member, organization=item.assessment.organization, standards=[catalog["9001"]])


def test_other_tenants_and_outsiders_cannot_create_or_answer(
    other_client_admin, outsider, cb_admin, assessment, catalog, acme
):
    item = _item(assessment, catalog["9001"], "4.1")
    for user in (other_client_admin, outsider, cb_admin):
        with pytest.raises(NotFound):
            item_answer(actor=user, item=item, status="implemented")
        with pytest.raises(NotFound):
            assessment_create(actor=user, organization=acme, standards=[catalog["9001"]])


def test_a_cb_reads_readiness_only_when_the_client_shares_it_and_never_writes(cb_admin, assessment, catalog, acme):
    url = reverse("readiness:assessment-detail", args=[assessment.public_id])
    assert login(cb_admin).get(url).status_code == 404
    ClientRelationship.objects.filter(organization=acme).update(shares_readiness=True)
    assert login(cb_admin).get(url).status_code == 200
    cb_admin = type(cb_admin).objects.get(pk=cb_admin.pk)  # fresh user: no cached access
    with pytest.raises(PermissionDenied):
        item_answer(actor=cb_admin, item=_item(assessment, catalog["9001"], "4.1"), status="implemented")


def test_the_assessment_page_renders_with_a_query_count_independent_of_the_clauses(
    client_admin, assessment, catalog, django_assert_max_num_queries
):
    client = login(client_admin)
    url = reverse("readiness:assessment-detail", args=[assessment.public_id])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert "Shared (HS 5.2)" in response.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get(url + "?standard=iso-iec-27001-2022").status_code == 200


def test_an_htmx_status_change_returns_the_row_and_updates_sibling_rows(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "6.1")
    response = login(client_admin).post(
        reverse("readiness:item-status", args=[assessment.public_id, item.pk]),
        {"status": "partial"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in body
    assert body.count('hx-swap-oob="true"') == 3  # the same HS clause in 14001, 45001 and 27001
    assert _item(assessment, catalog["45001"], "6.1").answer.status == "partial"


def test_an_htmx_not_applicable_without_justification_shows_the_error_in_the_row(client_admin, assessment, catalog):
    item = _item(assessment, catalog["9001"], "8.3")
    response = login(client_admin).post(
        reverse("readiness:item", args=[assessment.public_id, item.pk]),
        {"status": "not_applicable", "justification": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "justification is required" in response.content.decode()


def test_the_api_lists_items_with_a_bounded_query_count(client_admin, assessment, django_assert_max_num_queries):
    client, _ = token_client(client_admin)
    url = f"/api/v1/assessments/{assessment.public_id}/items?standard=iso-iec-27001-2022&page_size=500"
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9 + 1 + 93
    assert {"ref", "status", "shared", "hs_ref"} <= set(body["items"][0])


def test_the_api_creates_answers_and_scores_an_assessment(client_admin, acme, catalog):
    client, _ = token_client(client_admin)
    response = client.post(
        f"/api/v1/organizations/{acme.public_id}/assessments",
        {"standards": ["iso-9001-2015", "iso-14001-2015"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assessment_id = response.json()["id"]
    items = client.get(f"/api/v1/assessments/{assessment_id}/items?standard=iso-9001-2015").json()["items"]
    policy = next(i for i in items if i["ref"] == "5.2")
    response = client.patch(
        f"/api/v1/assessments/{assessment_id}/items/{policy['id']}",
        {"status": "implemented"},
        content_type="application/json",
    )
    assert response.status_code == 200
    other = client.get(f"/api/v1/assessments/{assessment_id}/items?standard=iso-14001-2015").json()["items"]
    assert next(i for i in other if i["ref"] == "5.2")["status"] == "implemented"
    response = client.patch(
        f"/api/v1/assessments/{assessment_id}/items/{policy['id']}",
        {"status": "not_applicable"},
        content_type="application/json",
    )
    assert response.status_code == 422
    scores = client.get(f"/api/v1/assessments/{assessment_id}/readiness").json()
    assert scores["overall"]["applicable"] == 2 * 9 + 2


def test_the_api_hides_other_tenants_assessments(other_client_admin, assessment):
    client, _ = token_client(other_client_admin)
    assert client.get(f"/api/v1/assessments/{assessment.public_id}").status_code == 404
    assert client.get(f"/api/v1/assessments/{assessment.public_id}/items").status_code == 404
    org = assessment.organization.public_id
    assert client.get(f"/api/v1/organizations/{org}/assessments").status_code == 404


def test_the_assessment_exports_as_xlsx(client_admin, assessment):
    response = login(client_admin).get(reverse("readiness:assessment-export", args=[assessment.public_id, "xlsx"]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.title.startswith("ISO ")
    assert sheet["A2"].value in {"Clause", "Annex control"}
    assert sheet["F2"].value in {label for _, label in ItemStatus.choices}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("status=implemented", 200), ("status=nonsense", 422), ("status=%00", 422), ("standard=%00", 422)],
)
def test_the_api_item_filters_refuse_odd_values_without_an_error_page(client_admin, assessment, query, expected):
    client, _ = token_client(client_admin)
    response = client.get(f"/api/v1/assessments/{assessment.public_id}/items?{query}")
    assert response.status_code == expected, response.content
