"""The CertSearch export cannot attack the person who opens it: formula-like text is prefixed with a quote."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conformo.certificates.models import Certificate
from conformo.conftest import login, token_client
from conformo.core.tests.factories import OrganizationFactory
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def acme(cb: CertificationBody) -> Organization:
    """A client whose name tries to run a formula in whoever opens an export."""
    org = OrganizationFactory.create(legal_name=HOSTILE, country="DE")
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    return org


def names_in_csv(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode())))
    return [row[rows[0].index("Certified Entity Name")] for row in rows[1:]]


def names_in_xlsx(body: bytes) -> list[Any]:
    rows = list(load_workbook(io.BytesIO(body), read_only=True).worksheets[0].iter_rows(values_only=True))
    return [row[list(rows[0]).index("Certified Entity Name")] for row in rows[1:]]


def formulas(body: bytes) -> list[str]:
    """The worksheets of an XLSX file that hold a formula cell (`<f>`)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return [name for name in sheets if b"<f>" in archive.read(name)]


def test_the_page_export_neutralises_the_name_in_csv_and_xlsx(granted: Certificate, cb_admin: Any) -> None:
    assert granted.holder_name == HOSTILE
    client = login(cb_admin)
    url = reverse("certificates:certsearch-export")
    cb = str(granted.certification_body.public_id)
    assert names_in_csv(client.get(url, {"cb": cb, "format": "csv"}).content) == ["'" + HOSTILE]
    xlsx = client.get(url, {"cb": cb, "format": "xlsx"}).content
    assert names_in_xlsx(xlsx) == ["'" + HOSTILE]
    assert not formulas(xlsx)


def test_the_api_export_neutralises_the_name_too(granted: Certificate, cb_admin: Any) -> None:
    api, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{granted.certification_body.public_id}/certificates/export"
    assert names_in_csv(api.get(url, {"format": "csv"}).content) == ["'" + HOSTILE]
    assert names_in_xlsx(api.get(url, {"format": "xlsx"}).content) == ["'" + HOSTILE]
