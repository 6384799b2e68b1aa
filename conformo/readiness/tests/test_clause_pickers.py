"""The clause pickers of the internal audit and risk forms search by number or title across the standards of
the latest assessment (htmx, GET), keeping the chosen clauses; another organization's users find nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.conftest import login
from conformo.readiness.services import assessment_create, risk_create
from conformo.standards.models import Clause


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"], catalog["27001"]])


@pytest.fixture
def risk(client_admin, acme, assessment):
    return risk_create(
        actor=client_admin, organization=acme, kind="risk", title="Fire", likelihood=2, impact=2, treatment="reduce"
    )


def test_the_internal_audit_form_shows_the_search_box(client_admin, acme, assessment):
    html = login(client_admin).get(reverse("readiness:audit-programme", args=[acme.public_id])).content.decode()
    assert f'hx-get="{reverse("readiness:internal-audit-clauses", args=[acme.public_id])}"' in html


def test_the_internal_audit_search_finds_a_clause_number_across_the_assessments_standards(
    client_admin, acme, assessment, catalog
):
    chosen = Clause.objects.get(standard=catalog["9001"], ref="4")
    url = reverse("readiness:internal-audit-clauses", args=[acme.public_id])
    page = login(client_admin).get(url, {"clause_q": "9.2", "clauses": [str(chosen.pk)], "widget_id": "id_clauses"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "ISO 9001:2015 9.2 Clause 9.2" in html
    assert "ISO/IEC 27001:2022 9.2 Clause 9.2" in html
    assert f'value="{chosen.pk}" selected' in html
    assert "14001" not in html
    assert "8.1" not in html


def test_the_risk_search_finds_annex_controls_by_their_a_number(client_admin, risk):
    url = reverse("readiness:risk-clauses", args=[risk.public_id])
    html = login(client_admin).get(url, {"clause_q": "A.5.1", "widget_id": "id_clauses"}).content.decode()
    assert "A.5.1 Control 1" in html
    assert "Clause " not in html


def test_another_organizations_admin_cannot_search_these_clauses(other_client_admin, acme, risk):
    client = login(other_client_admin)
    query = {"clause_q": "9", "widget_id": "id_clauses"}
    assert client.get(reverse("readiness:risk-clauses", args=[risk.public_id]), query).status_code == 404
    assert client.get(reverse("readiness:internal-audit-clauses", args=[acme.public_id]), query).status_code in (
        403,
        404,
    )
