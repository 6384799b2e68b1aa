from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conformo.conftest import login, token_client
from conformo.core.errors import NotFound, PermissionDenied, ValidationFailed
from conformo.readiness.models import Item
from conformo.readiness.selectors import audit_coverage
from conformo.readiness.services import (
    assessment_create,
    internal_audit_complete,
    internal_audit_plan,
    item_answer,
    management_review_create,
    risk_create,
    risk_matrix_configure,
    soa_publish,
)
from conformo.standards.models import Clause, ClauseKind

pytestmark = pytest.mark.django_db


def test_the_coverage_matrix_shows_gaps_until_a_completed_audit_covers_a_clause(client_admin, acme, catalog):
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"], catalog["14001"]])
    chapter_7 = Clause.objects.get(standard=catalog["9001"], ref="7")
    audit = internal_audit_plan(
        actor=client_admin, organization=acme, title="Support", planned_on=date(2026, 2, 1), clauses=[chapter_7]
    )
    matrix = audit_coverage(user=client_admin, organization=acme, assessment=assessment)
    assert [s.code for s in matrix.standards] == ["iso-14001-2015", "iso-9001-2015"]
    assert dict(matrix.rows)["7.5"] == ["gap", "gap"]
    internal_audit_complete(actor=client_admin, audit=audit, completed_on=date(2026, 2, 2))
    matrix = audit_coverage(user=client_admin, organization=acme, assessment=assessment)
    assert dict(matrix.rows)["7.5"] == ["gap", "covered"]
    assert dict(matrix.rows)["8.3"] == ["", "gap"]
    response = login(client_admin).get(reverse("readiness:audit-programme", args=[acme.public_id]))
    assert "✘ gap" in response.content.decode()


def test_a_management_review_lists_the_inputs_each_standard_requires(client_admin, acme, catalog):
    review = management_review_create(
        actor=client_admin, organization=acme, title="MR 2026", standards=[catalog["9001"], catalog["45001"]]
    )
    body = login(client_admin).get(reverse("readiness:review-detail", args=[review.public_id])).content.decode()
    assert "Customer satisfaction" in body
    assert "consultation and participation of workers" in body
    assert "risk treatment plan" not in body


def test_risks_are_rated_on_the_configured_matrix(client_admin, acme, catalog):
    risk = risk_create(actor=client_admin, organization=acme, title="Supplier failure", likelihood=3, impact=3)
    assert risk.level == "medium"
    aspect = risk_create(
        actor=client_admin,
        organization=acme,
        title="Solvent emissions",
        likelihood=2,
        impact=2,
        kind="environmental_aspect",
    )
    assert aspect.level == "low"
    risk_matrix_configure(
        actor=client_admin, organization=acme, likelihood_levels=3, impact_levels=3, low_max=2, medium_max=5
    )
    risk.refresh_from_db()
    assert risk.level == "high"
    with pytest.raises(ValidationFailed, match="Likelihood"):
        risk_create(actor=client_admin, organization=acme, title="x", likelihood=4, impact=1)


def test_risks_are_private_to_the_organization(client_admin, client_member, other_client_admin, acme, catalog):
    risk_create(actor=client_admin, organization=acme, title="Fire", likelihood=1, impact=5, kind="ohs_hazard")
    with pytest.raises(PermissionDenied):
        risk_create(actor=client_member, organization=acme, title="x", likelihood=1, impact=1)
    with pytest.raises(NotFound):
        risk_create(actor=other_client_admin, organization=acme, title="x", likelihood=1, impact=1)
    client, _ = token_client(other_client_admin)
    assert client.get(f"/api/v1/organizations/{acme.public_id}/risks").status_code == 404
    client, _ = token_client(client_member)
    assert client.get(f"/api/v1/organizations/{acme.public_id}/risks").json()["count"] == 1


def _justify_all_controls(actor, assessment, standard):
    items = Item.objects.filter(assessment=assessment, clause__standard=standard, clause__kind=ClauseKind.CONTROL)
    for n, item in enumerate(items.select_related("answer", "assessment", "clause")):
        if n % 10 == 0:
            item_answer(actor=actor, item=item, status="not_applicable", justification="No such activity.")
        else:
            item_answer(actor=actor, item=item, status="implemented", justification="Required by risk treatment.")


def test_the_soa_needs_every_justification_and_exports_93_controls(client_admin, acme, catalog):
    standard = catalog["27001"]
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[standard])
    with pytest.raises(ValidationFailed, match="93 controls have no justification"):
        soa_publish(actor=client_admin, assessment=assessment, standard=standard)
    _justify_all_controls(client_admin, assessment, standard)
    version = soa_publish(actor=client_admin, assessment=assessment, standard=standard, note="For stage 1")
    assert version.number == 1
    assert len(version.rows) == 93
    client = login(client_admin)
    response = client.get(reverse("readiness:soa-export", args=[version.public_id, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 93
    assert all(row[4] for row in rows)  # every justification
    assert sum(1 for row in rows if row[3] == "No") == 10
    response = client.get(reverse("readiness:soa-export", args=[version.public_id, "pdf"]))
    assert response.content.startswith(b"%PDF")
    again = soa_publish(actor=client_admin, assessment=assessment, standard=standard)
    assert again.number == 2
    api, _ = token_client(client_admin)
    assert api.get(f"/api/v1/assessments/{assessment.public_id}/soa/versions").json()["count"] == 2


def test_other_tenants_cannot_export_an_soa(client_admin, other_client_admin, acme, catalog):
    standard = catalog["27001"]
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[standard])
    _justify_all_controls(client_admin, assessment, standard)
    version = soa_publish(actor=client_admin, assessment=assessment, standard=standard)
    url = reverse("readiness:soa-export", args=[version.public_id, "xlsx"])
    assert login(other_client_admin).get(url).status_code == 404


def test_the_soa_page_offers_edit_links_only_to_who_may_edit(client_admin, client_member, acme, catalog):
    standard = catalog["27001"]
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[standard])
    url = reverse("readiness:soa", args=[assessment.public_id])
    assert b">edit</a>" in login(client_admin).get(url).content
    as_member = login(client_member).get(url)
    assert as_member.status_code == 200
    assert b">edit</a>" not in as_member.content
