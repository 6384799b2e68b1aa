"""From a fresh organization to a green stage-1 readiness check, through the API, then through the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.domain.readiness import Stage1Key
from conformo.readiness.stage1 import stage1_for

pytestmark = pytest.mark.django_db

CLAUSES_9001 = ["4", "5", "6", "7", "8", "9", "10"]


def _check(client, org):
    response = client.get(f"/api/v1/organizations/{org.public_id}/stage1-check")
    assert response.status_code == 200
    return response.json()


def test_a_client_admin_takes_a_fresh_organization_to_a_green_stage1_check_through_the_api(client_admin, acme, catalog):
    client, _ = token_client(client_admin)
    org = acme.public_id
    body = _check(client, acme)
    assert not body["ready"]
    assert body["items"][0]["missing"] == ["Create a gap assessment to select the standards"]

    assert (
        client.post(
            f"/api/v1/organizations/{org}/assessments",
            {"standards": ["iso-9001-2015"]},
            content_type="application/json",
        ).status_code
        == 201
    )
    body = _check(client, acme)
    by_key = {i["key"]: i for i in body["items"]}
    assert by_key["documented_information"]["missing"] == [
        "ISO 9001:2015 5.2: Quality policy",
        "ISO 9001:2015 9.2: Audit results",
    ]
    assert "ISO 9001:2015 4.1" in by_key["internal_audit"]["missing"]
    assert by_key["management_review"]["missing"] == ["No management review has been held"]
    assert by_key["documented_information"]["url"].endswith("/documents/")

    # documented information: prefill the register, upload, review and approve each entry
    assert client.post(
        f"/api/v1/organizations/{org}/documents/prefill",
        {"standards": ["iso-9001-2015"]},
        content_type="application/json",
    ).json() == {"added": 2}
    for document in client.get(f"/api/v1/organizations/{org}/documents").json()["items"]:
        upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 policy", content_type="application/pdf")
        response = client.post(f"/api/v1/documents/{document['id']}/revisions", {"file": upload, "change_note": "v1"})
        assert response.status_code == 201, response.content
        revision = response.json()
        assert len(revision["sha256"]) == 64
        assert client.post(f"/api/v1/revisions/{revision['id']}/submit").status_code == 200
        assert client.post(f"/api/v1/revisions/{revision['id']}/approve").json()["status"] == "approved"

    # internal audit covering every clause (written in each accepted clause-reference form), completed
    forms = ("iso-9001-2015:{}", "iso-9001-2015 {}", "ISO 9001:2015 clause {}")
    refs = [forms[i % 3].format(c) for i, c in enumerate(CLAUSES_9001)]
    response = client.post(
        f"/api/v1/organizations/{org}/internal-audits",
        {"title": "QMS audit", "planned_on": "2026-03-01", "clauses": refs},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    audit_id = response.json()["id"]
    assert (
        client.post(
            f"/api/v1/internal-audits/{audit_id}/complete",
            {"completed_on": "2026-03-02"},
            content_type="application/json",
        ).status_code
        == 200
    )

    # management review with every required input
    review = client.post(
        f"/api/v1/organizations/{org}/management-reviews",
        {"standards": ["iso-9001-2015"]},
        content_type="application/json",
    ).json()
    partial = client.patch(
        f"/api/v1/management-reviews/{review['id']}",
        {"inputs": {"audit_results": "All clauses audited"}, "held_on": "2026-03-10"},
        content_type="application/json",
    )
    assert partial.status_code == 200
    missing = {i["key"]: i for i in _check(client, acme)["items"]}["management_review"]["missing"]
    assert "Input not recorded: Customer satisfaction and feedback from relevant interested parties" in missing
    inputs = dict.fromkeys(review["required_inputs"], "Reviewed.")
    client.patch(f"/api/v1/management-reviews/{review['id']}", {"inputs": inputs}, content_type="application/json")

    body = _check(client, acme)
    assert body["ready"], body


def test_an_open_major_nonconformity_turns_the_check_red_and_names_it(client_admin, acme, catalog):
    from conformo.improvement.services import nonconformity_raise

    nonconformity_raise(
        actor=client_admin, organization=acme, source="internal_audit", grade="major", title="No calibration records"
    )
    items = {r.item.key: r for r in stage1_for(user=client_admin, organization=acme)}
    assert items[Stage1Key.MAJOR_NCS].item.missing == ("NC-1 No calibration records",)
    assert items[Stage1Key.MAJOR_NCS].url.startswith("/improvement/")


def test_the_dashboard_shows_the_check_charts_and_their_text_alternatives(
    client_admin, acme, catalog, django_assert_max_num_queries
):
    from conformo.readiness.services import assessment_create

    assessment_create(actor=client_admin, organization=acme, standards=list(catalog.values()))
    client = login(client_admin)
    client.get("/")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("readiness:dashboard", args=[acme.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Stage-1 readiness check" in body
    assert "<svg" in body
    assert "<title" in body
    assert "Heatmap as a table" in body


def test_the_pdf_readiness_report_renders(client_admin, acme, catalog):
    from conformo.readiness.services import assessment_create

    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"]])
    response = login(client_admin).get(reverse("readiness:assessment-export", args=[assessment.public_id, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_not_yet_audited_list_is_in_the_order_of_the_standards_and_their_clauses(client_admin, acme, catalog):
    """Not in the database's row order: the items are read in the table's order (standard, position), so the
    list (cut when shown) is the same on SQLite and PostgreSQL whatever the order the rows were written."""
    from conformo.readiness.services import assessment_create
    from conformo.standards.models import Clause, ClauseKind

    # positions opposite to the order the items are inserted in: the row order would read them backwards
    for clause in Clause.objects.all():
        clause.position = 100_000 - clause.position
        clause.save(update_fields=["position"])
    standards = list(catalog.values())
    assessment = assessment_create(actor=client_admin, organization=acme, standards=standards)
    items_in_row_order = list(assessment.items.filter(clause__kind=ClauseKind.CLAUSE).order_by("id"))
    expected = [
        f"{i.clause.standard.designation} {i.clause.ref}"
        for i in sorted(items_in_row_order, key=lambda i: (i.clause.standard.code, i.clause.position))
    ]
    assert expected != [f"{i.clause.standard.designation} {i.clause.ref}" for i in items_in_row_order]
    items = {r.item.key: r for r in stage1_for(user=client_admin, organization=acme)}
    missing = list(items[Stage1Key.INTERNAL_AUDIT].item.missing)
    assert len(missing) > 1
    assert missing == expected
