"""The CB staff page for the CertSearch import (all or nothing, every bad row shown) and export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conformo.certificates.certsearch import HEADERS
from conformo.certificates.models import Certificate
from conformo.certificates.tests.test_certsearch import row
from conformo.conftest import login
from conformo.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db
URL = "/certificates/certsearch/"


def upload(rows: list[dict[str, str]], name: str = "register.csv") -> SimpleUploadedFile:
    if name.endswith(".xlsx"):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(HEADERS)
        for r in rows:
            sheet.append([r.get(h, "") for h in HEADERS])
        out = io.BytesIO()
        workbook.save(out)
        return SimpleUploadedFile(name, out.getvalue())
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")


def two(**second: str) -> list[dict[str, str]]:
    return [
        row(),
        row(**{"Certification Identity Number": "OLD-2", "Certificate Number": "OLD-2-A01", **second}),
    ]


def test_the_cb_admin_imports_a_csv_and_sees_how_many(accredited_cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Download CSV" in page.content
    assert b'enctype="multipart/form-data"' in page.content
    response = client.post(URL, {"file": upload(two())}, follow=True)
    assert response.status_code == 200
    assert b"Imported 2 certificate(s) from register.csv" in response.content
    assert set(Certificate.objects.values_list("number", flat=True)) == {"OLD-1-A01", "OLD-2-A01"}


def test_an_xlsx_is_imported_too(accredited_cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(URL, {"file": upload(two(), "register.xlsx")})
    assert response.status_code == 302
    assert Certificate.objects.count() == 2


def test_a_bad_file_writes_nothing_and_shows_every_bad_row_with_its_field(accredited_cb: Any, cb_admin: Any) -> None:
    log_before = AuditLogEntry.objects.count()
    rows = [
        row(),
        row(**{"Certification Identity Number": "OLD-2", "Certificate Number": "OLD-2-A01"}),
        row(
            **{
                "Certification Identity Number": "OLD-3",
                "Certificate Number": "OLD-3-A01",
                "Certification Expiry Date": "2026-13-45",
            }
        ),
        row(
            **{
                "Certification Identity Number": "OLD-4",
                "Certificate Number": "OLD-4-A01",
                "Certified Entity Country": "France",
                "Technical Sectors": "40",
            }
        ),
    ]
    response = login(cb_admin).post(URL, {"file": upload(rows)})
    assert response.status_code == 422
    assert Certificate.objects.count() == 0
    assert AuditLogEntry.objects.count() == log_before
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "3 errors in 2 rows" in html
    table = html[html.index('id="import-errors"') :]
    assert "<td>4</td><td>Certification Expiry Date</td>" in table
    assert "<td>5</td><td>Certified Entity Country</td>" in table
    assert "<td>5</td><td>Technical Sectors</td>" in table


def test_a_file_of_another_kind_is_refused_on_the_form(accredited_cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(URL, {"file": SimpleUploadedFile("register.pdf", b"%PDF")})
    assert response.status_code == 422
    assert b"Upload a .csv or .xlsx file." in response.content
    assert Certificate.objects.count() == 0


def test_the_register_downloads_as_csv_and_xlsx(accredited_cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    client.post(URL, {"file": upload(two())})
    response = client.get(URL + "export", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == HEADERS
    assert [line[1] for line in lines[1:]] == ["OLD-1-A01", "OLD-2-A01"]
    response = client.get(URL + "export", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [r[1] for r in sheet.iter_rows(values_only=True)][1:] == ["OLD-1-A01", "OLD-2-A01"]


def test_a_decision_maker_exports_but_may_not_import(accredited_cb: Any, decision_maker: Any) -> None:
    client = login(decision_maker)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Download CSV" in page.content
    assert b'type="file"' not in page.content
    assert client.get(URL + "export").status_code == 200
    response = client.post(URL, {"file": upload(two())})
    assert response.status_code == 403
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize("who", ["auditor", "client_admin", "outsider"])
def test_others_get_neither_the_page_nor_the_register(accredited_cb: Any, who: str, request: Any) -> None:
    client = login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export").status_code == 403
    assert client.post(URL, {"file": upload(two())}).status_code == 403
    assert Certificate.objects.count() == 0


def test_another_cbs_register_cannot_be_picked_with_the_cb_parameter(
    accredited_cb: Any, cb_admin: Any, other_cb_admin: Any, other_cb: Any
) -> None:
    login(cb_admin).post(URL, {"file": upload(two())})
    response = login(other_cb_admin).get(URL + "export", {"cb": str(accredited_cb.public_id)})
    assert response.status_code == 200
    assert b"OLD-1-A01" not in response.content  # the parameter falls back to the user's own CB


def test_anonymous_visitors_are_sent_to_sign_in(db: Any) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_certificate_list_links_the_page_for_cb_staff_only(
    accredited_cb: Any, cb_admin: Any, client_admin: Any
) -> None:
    assert URL.encode() in login(cb_admin).get("/certificates/").content
    assert URL.encode() not in login(client_admin).get("/certificates/").content


def test_an_unknown_export_format_is_refused_rather_than_served_as_csv(accredited_cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    response = client.get(URL + "export?format=pdf")
    assert response.status_code == 422
    assert b"csv or xlsx" in response.content
    assert client.get(URL + "export?format=xlsx").status_code == 200
