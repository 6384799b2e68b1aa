"""The readiness exports (assessment, Statement of Applicability) cannot attack the person who opens them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conformo.conftest import login
from conformo.core.tests.factories import OrganizationFactory
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization
from conformo.readiness.models import Item
from conformo.readiness.services import assessment_create, item_answer, soa_publish
from conformo.standards.models import ClauseKind

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def acme(cb: CertificationBody) -> Organization:
    """A client whose name tries to run a formula in whoever opens an export."""
    org = OrganizationFactory.create(legal_name=HOSTILE, country="DE")
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    return org


def cells(body: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(body))
    return [value for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row]


def formulas(body: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return [name for name in sheets if b"<f>" in archive.read(name)]


def test_the_soa_export_neutralises_the_organization_name_and_answers(client_admin: Any, acme: Any, catalog) -> None:
    standard = catalog["27001"]
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[standard])
    items = Item.objects.filter(assessment=assessment, clause__standard=standard, clause__kind=ClauseKind.CONTROL)
    for item in items.select_related("answer", "assessment", "clause"):
        item_answer(actor=client_admin, item=item, status="implemented", justification="-1 risk; " + HOSTILE)
    version = soa_publish(actor=client_admin, assessment=assessment, standard=standard)
    body = login(client_admin).get(reverse("readiness:soa-export", args=[version.public_id, "xlsx"])).content
    values = cells(body)
    assert str(values[0]).startswith("'" + HOSTILE)
    assert values.count("'-1 risk; " + HOSTILE) == 93
    assert not formulas(body)


def test_the_assessment_export_neutralises_the_answers(client_admin: Any, acme: Any, catalog) -> None:
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"]])
    item = Item.objects.filter(assessment=assessment).select_related("answer", "assessment", "clause").first()
    assert item is not None
    item_answer(actor=client_admin, item=item, status="implemented", justification=HOSTILE, notes="@SUM(1+1)")
    body = login(client_admin).get(reverse("readiness:assessment-export", args=[assessment.public_id, "xlsx"])).content
    values = cells(body)
    assert "'" + HOSTILE in values
    assert "'@SUM(1+1)" in values
    assert not formulas(body)
