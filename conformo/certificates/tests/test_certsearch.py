from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from conformo.certificates.certsearch import HEADERS, ImportRejected, certsearch_export, certsearch_import
from conformo.certificates.models import Certificate, CertificateStandard
from conformo.conftest import token_client
from conformo.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def row(**values: str) -> dict[str, str]:
    base = {
        "Certification Identity Number": "OLD-1",
        "Certificate Number": "OLD-1-A01",
        "Certification Status": "Active",
        "Accreditation Status": "Accredited",
        "Certification Type": "Management System",
        "Standards": "ISO 9001:2015; ISO 14001:2015",
        "Certification Scope": "Injection moulding",
        "Certification Original Issue Date": "20200115",
        "Certification Issue Date": "20230115",
        "Certification Expiry Date": "20260114",
        "Certified Entity Unique ID": "ENT-1",
        "Certified Entity Name": "Société Générale de Plastiques",
        "Certified Entity Country": "FR",
        "Certified Entity Address": "1 rue de Lyon, Paris",
        "Certification Sites": "Paris HQ | 1 rue de Lyon, Paris | FR\nLille plant | 3 av. Foch, Lille | FR",
        "Technical Sectors": "14",
        "Confidential": "No",
    }
    return {**base, **values}


def csv_file(rows: list[dict[str, str]]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode())


def test_a_register_is_imported_with_every_field(accredited_cb: Any, cb_admin: Any, qms: Any) -> None:
    result = certsearch_import(
        actor=cb_admin,
        certification_body=accredited_cb,
        handle=csv_file(
            [
                row(),
                row(
                    **{
                        "Certification Identity Number": "OLD-2",
                        "Certificate Number": "OLD-2-A01",
                        "Certification Status": "Cancelled",
                        "Confidential": "Yes",
                    }
                ),
            ]
        ),
        filename="register.csv",
    )
    assert result.imported == 2
    imported = Certificate.objects.get(number="OLD-1-A01")
    assert (imported.source, imported.base_number, imported.status) == ("imported", "OLD-1", "active")
    assert imported.certification is None
    assert imported.decision is None
    assert imported.standards == [
        {"id": "iso-9001-2015", "designation": "ISO 9001:2015"},
        {"id": "iso-14001-2015", "designation": "ISO 14001:2015"},
    ]
    assert [s["name"] for s in imported.sites] == ["Paris HQ", "Lille plant"]
    assert imported.sites[0]["headquarters"] is True
    assert (imported.original_issued_on, imported.issued_on, imported.expires_on) == (
        date(2020, 1, 15),
        date(2023, 1, 15),
        date(2026, 1, 14),
    )
    assert imported.search_text == "old-1-a01 societe generale de plastiques"
    assert imported.accreditation == "UKAS 0042"
    assert set(CertificateStandard.objects.filter(certificate=imported).values_list("code", flat=True)) == {
        "iso-9001-2015",
        "iso-14001-2015",
    }
    other = Certificate.objects.get(number="OLD-2-A01")
    assert (other.status, other.confidential) == ("withdrawn", True)


def test_one_bad_row_rejects_the_file_and_every_error_is_reported_by_row_and_field(
    accredited_cb: Any, cb_admin: Any, granted: Certificate
) -> None:
    rows = [
        row(),
        row(
            **{
                "Certification Identity Number": "OLD-2",
                "Certificate Number": "OLD-2",
                "Certification Expiry Date": "2026-13-01",
                "Certified Entity Country": "France",
            }
        ),
        row(**{"Certification Identity Number": "OLD-3", "Certificate Number": "OLD-1-A01"}),
        row(
            **{
                "Certification Identity Number": "OLD-4",
                "Certificate Number": "NBC-2026-00001",
                "Certification Status": "Draft",
                "Certified Entity Name": "",
            }
        ),
    ]
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")
    errors = [(e.row, e.field) for e in caught.value.errors]
    assert errors == [
        (3, "Certification Expiry Date"),
        (3, "Certified Entity Country"),
        (4, "Certificate Number"),
        (5, "Certification Status"),
        (5, "Certified Entity Name"),
    ]
    assert "nothing was written" in caught.value.message
    assert Certificate.objects.filter(source="imported").count() == 0


def test_a_number_already_in_the_register_is_refused(accredited_cb: Any, cb_admin: Any, granted: Certificate) -> None:
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(
            actor=cb_admin,
            certification_body=accredited_cb,
            handle=csv_file([row(**{"Certificate Number": "NBC-2026-00001"})]),
            filename="r.csv",
        )
    assert [(e.row, e.field, e.message) for e in caught.value.errors] == [
        (2, "Certificate Number", "Already in the register.")
    ]


def test_a_missing_column_is_reported_on_row_1(accredited_cb: Any, cb_admin: Any) -> None:
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(
            actor=cb_admin,
            certification_body=accredited_cb,
            handle=io.BytesIO(b"Certificate Number\nX\n"),
            filename="r.csv",
        )
    assert {e.row for e in caught.value.errors} == {1}
    assert "Certified Entity Name" in {e.field for e in caught.value.errors}


def test_xlsx_is_imported_too(accredited_cb: Any, cb_admin: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    values = row()
    values["Certification Issue Date"] = date(2023, 1, 15)  # type: ignore[assignment]
    sheet.append([values[h] for h in HEADERS])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=data, filename="r.xlsx")
    assert Certificate.objects.get(number="OLD-1-A01").issued_on == date(2023, 1, 15)


def test_only_cb_admins_import(accredited_cb: Any, client_admin: Any, other_cb_admin: Any) -> None:
    for user in (client_admin, other_cb_admin):
        with pytest.raises(PermissionDenied):
            certsearch_import(actor=user, certification_body=accredited_cb, handle=csv_file([row()]), filename="r.csv")


def test_the_export_uses_the_certsearch_layout_and_maps_status_as_of_today(
    accredited_cb: Any, cb_admin: Any, granted: Certificate
) -> None:
    certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file([row()]), filename="r.csv")
    with time_machine.travel(date(2026, 6, 1), tick=False):
        data = certsearch_export(actor=cb_admin, certification_body=accredited_cb, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert list(rows[0]) == HEADERS
    by_number = {r["Certificate Number"]: r for r in rows}
    assert by_number["OLD-1-A01"]["Certification Status"] == "Expired"  # expired 2026-01-14, no job ran
    ours = by_number["NBC-2026-00001"]
    assert ours["Certification Status"] == "Active"
    assert ours["Certification Issue Date"] == "20260302"
    assert ours["Certification Expiry Date"] == "20290301"
    assert ours["Standards"] == "ISO 14001:2015; ISO 9001:2015"
    assert ours["Accreditation Status"] == "Accredited"
    assert ours["Certification Sites"].splitlines()[0].startswith("Stuttgart plant | Hauptstr. 1, Stuttgart | DE")


def test_an_export_imports_again_elsewhere(
    accredited_cb: Any, cb_admin: Any, granted: Certificate, other_cb: Any, other_cb_admin: Any
) -> None:
    data = certsearch_export(actor=cb_admin, certification_body=accredited_cb, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert list(header) == HEADERS
    text = certsearch_export(actor=cb_admin, certification_body=accredited_cb, fmt="csv").decode()
    text = text.replace("NBC-2026-00001", "MOVED-00001")
    certsearch_import(
        actor=other_cb_admin, certification_body=other_cb, handle=io.BytesIO(text.encode()), filename="moved.csv"
    )
    moved = Certificate.objects.get(number="MOVED-00001")
    assert moved.sites == granted.sites
    assert moved.standards == granted.standards


def test_the_api_imports_and_exports(accredited_cb: Any, cb_admin: Any) -> None:
    api, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates"
    upload = csv_file([row()])
    upload.name = "r.csv"
    response = api.post(f"{url}/import", {"file": upload})
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 1}
    bad = csv_file([row(**{"Certificate Number": "", "Certification Identity Number": "Z"})])
    bad.name = "bad.csv"
    response = api.post(f"{url}/import", {"file": bad})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"row": 2, "field": "Certificate Number", "message": "Required."}]
    export = api.get(f"{url}/export?format=csv")
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv"
    assert b"OLD-1-A01" in export.content


def test_a_sector_that_is_not_an_iaf_code_is_reported_with_the_domain_s_reason(
    accredited_cb: Any, cb_admin: Any
) -> None:
    rows = [row(**{"Technical Sectors": "14; 17a; 40; 07"})]
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")
    assert [(e.field, e.message) for e in caught.value.errors] == [
        (
            "Technical Sectors",
            "'17a' is not an IAF sector code; IAF sector codes are whole numbers from 1 to 39, without sub-divisions.",
        ),
        ("Technical Sectors", "40 is not an IAF sector code; IAF sector codes run from 1 to 39."),
    ]
