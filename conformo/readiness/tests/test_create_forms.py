"""Each create form of a readiness list page posts to its own URL: a valid post creates; bad input (a missing
field, a date that does not exist) shows the list page again with the field's error and the input kept (422)
and creates nothing; another organization's user gets a 404; the list URL itself answers only GET."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conformo.conftest import login
from conformo.readiness.models import Assessment, Document, InternalAudit, ManagementReview, Risk
from conformo.readiness.services import assessment_create
from conformo.standards.models import Clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"]])


def _chapter(catalog: Any) -> int:
    return Clause.objects.get(standard=catalog["9001"], ref="4").pk


# name, list page, model, valid data, bad data, the error shown, the kept input as rendered
CASES: list[tuple[str, str, Any, Any, Any, str, str]] = [
    (
        "readiness:assessment-create",
        "readiness:assessments",
        Assessment,
        lambda c: {"title": "Gap 2026", "standards": [c["9001"].pk]},
        lambda c: {"title": "Kept title"},
        "This field is required.",
        'value="Kept title"',
    ),
    (
        "readiness:document-create",
        "readiness:documents",
        Document,
        lambda c: {"title": "Quality policy", "kind": "document"},
        lambda c: {"title": "Quality policy", "kind": "document", "review_due": "2026-02-31"},
        "Enter a valid date.",
        'value="2026-02-31"',
    ),
    (
        "readiness:internal-audit-create",
        "readiness:audit-programme",
        InternalAudit,
        lambda c: {"title": "Full audit", "planned_on": "2026-03-01", "clauses": [_chapter(c)]},
        lambda c: {"title": "Full audit", "planned_on": "2026-02-31", "clauses": [_chapter(c)]},
        "Enter a valid date.",
        'value="2026-02-31"',
    ),
    (
        "readiness:review-create",
        "readiness:reviews",
        ManagementReview,
        lambda c: {"title": "MR 2026", "standards": [c["9001"].pk]},
        lambda c: {"title": "MR 2026"},
        "This field is required.",
        'value="MR 2026"',
    ),
    (
        "readiness:risk-create",
        "readiness:risks",
        Risk,
        lambda c: {"kind": "risk", "title": "Fire", "likelihood": "2", "impact": "3", "treatment": "reduce"},
        lambda c: {"kind": "risk", "title": "Fire", "impact": "3", "treatment": "reduce"},
        "This field is required.",
        'value="Fire"',
    ),
]
IDS = [case[0].split(":")[1] for case in CASES]


@pytest.mark.parametrize(("name", "page", "model", "valid", "bad", "error", "kept"), CASES, ids=IDS)
def test_a_valid_post_creates(client_admin, acme, catalog, assessment, name, page, model, valid, bad, error, kept):
    before = model.objects.count()
    response = login(client_admin).post(reverse(name, args=[acme.public_id]), valid(catalog))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.objects.count() == before + 1


@pytest.mark.parametrize(("name", "page", "model", "valid", "bad", "error", "kept"), CASES, ids=IDS)
def test_bad_input_is_a_field_error_with_the_input_kept(
    client_admin, acme, catalog, assessment, name, page, model, valid, bad, error, kept
):
    before = model.objects.count()
    url = reverse(name, args=[acme.public_id])
    response = login(client_admin).post(url, bad(catalog))
    body = response.content.decode()
    assert response.status_code == 422
    assert error in body
    assert kept in body
    assert f'action="{url}"' in body
    assert model.objects.count() == before


@pytest.mark.parametrize(("name", "page", "model", "valid", "bad", "error", "kept"), CASES, ids=IDS)
def test_another_organization_gets_a_404_and_creates_nothing(
    client_admin, other_client_admin, acme, catalog, assessment, name, page, model, valid, bad, error, kept
):
    before = model.objects.count()
    client = login(other_client_admin)
    assert client.post(reverse(name, args=[acme.public_id]), valid(catalog)).status_code == 404
    assert client.get(reverse(name, args=[acme.public_id])).status_code == 404
    assert model.objects.count() == before


@pytest.mark.parametrize(("name", "page", "model", "valid", "bad", "error", "kept"), CASES, ids=IDS)
def test_the_list_page_answers_only_get_and_its_form_posts_to_the_create_url(
    client_admin, acme, catalog, assessment, name, page, model, valid, bad, error, kept
):
    client = login(client_admin)
    list_url = reverse(page, args=[acme.public_id])
    before = model.objects.count()
    assert client.post(list_url, valid(catalog)).status_code == 405
    assert model.objects.count() == before
    response = client.get(list_url)
    assert response.status_code == 200
    assert f'action="{reverse(name, args=[acme.public_id])}"' in response.content.decode()
    create = client.get(reverse(name, args=[acme.public_id]))
    assert create.status_code == 200
    assert f'action="{reverse(name, args=[acme.public_id])}"' in create.content.decode()


# --- Filters in the query string: an odd value is ignored, never an error page ----------------------------


ODD = ["abc", "99999999999", "-1", "0", "²", "", "1e3"]  # control characters: a 400 page (core/cleaning.py)


@pytest.mark.parametrize("value", ODD)
def test_an_odd_year_on_the_audit_programme_is_ignored(client_admin, acme, catalog, assessment, value):
    from datetime import date

    from conformo.readiness.services import internal_audit_plan

    clause = Clause.objects.get(pk=_chapter(catalog))
    internal_audit_plan(
        actor=client_admin, organization=acme, title="Kept", planned_on=date(2026, 3, 1), clauses=[clause]
    )
    response = login(client_admin).get(reverse("readiness:audit-programme", args=[acme.public_id]), {"year": value})
    assert response.status_code == 200
    assert "Kept" in response.content.decode()


def test_a_valid_year_filters_the_audit_programme(client_admin, acme, catalog, assessment):
    from datetime import date

    from conformo.readiness.services import internal_audit_plan

    clause = Clause.objects.get(pk=_chapter(catalog))
    for year in (2025, 2026):
        internal_audit_plan(
            actor=client_admin, organization=acme, title=f"Audit {year}", planned_on=date(year, 3, 1), clauses=[clause]
        )
    body = login(client_admin).get(reverse("readiness:audit-programme", args=[acme.public_id]), {"year": "2026"})
    assert "Audit 2026" in body.content.decode()
    assert "Audit 2025" not in body.content.decode()


@pytest.mark.parametrize("value", ["nonsense", "risk ", "x" * 5000])
def test_an_odd_kind_on_the_risk_register_is_ignored(client_admin, acme, value):
    from conformo.readiness.services import risk_create

    risk_create(
        actor=client_admin, organization=acme, kind="risk", title="Fire", likelihood=2, impact=2, treatment="reduce"
    )
    response = login(client_admin).get(reverse("readiness:risks", args=[acme.public_id]), {"kind": value})
    assert response.status_code == 200
    assert "Fire" in response.content.decode()


def test_a_valid_kind_filters_the_risk_register(client_admin, acme):
    from conformo.readiness.services import risk_create

    risk_create(
        actor=client_admin, organization=acme, kind="risk", title="Fire", likelihood=2, impact=2, treatment="reduce"
    )
    body = login(client_admin).get(reverse("readiness:risks", args=[acme.public_id]), {"kind": "opportunity"})
    assert "Fire" not in body.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"standard": "x" * 5000, "status": "x" * 5000},
        {"standard": "iso-9001-2015 "},
    ],
)
def test_odd_filters_on_the_assessment_table_are_ignored(client_admin, assessment, params):
    response = login(client_admin).get(reverse("readiness:assessment-detail", args=[assessment.public_id]), params)
    assert response.status_code == 200
    assert response.context["row_count"] == assessment.items.count()
