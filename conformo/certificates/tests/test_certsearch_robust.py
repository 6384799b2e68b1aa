"""The CertSearch import's hard cases: NUL characters, oversized cells and files, a number taken while the
file was being checked, and the staging tables (docs/registry.md, "Import")."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection

from conformo.certificates.certsearch import ImportRejected, certsearch_import
from conformo.certificates.certsearch.write import STAGING
from conformo.certificates.models import Certificate
from conformo.certificates.tests.test_certsearch import csv_file, row
from conformo.conftest import token_client
from conformo.core.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db


def second(**values: str) -> dict[str, str]:
    return row(**{"Certification Identity Number": "OLD-2", "Certificate Number": "OLD-2-A01", **values})


def test_a_nul_character_is_reported_with_its_row_and_field_and_nothing_is_written(
    accredited_cb: Any, cb_admin: Any
) -> None:
    rows = [row(), second(**{"Certified Entity Name": "Bad\x00Name"})]
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")
    assert [(e.row, e.field, e.message) for e in caught.value.errors] == [
        (3, "Certified Entity Name", "Control characters (such as NUL) are not allowed.")
    ]
    assert not Certificate.objects.filter(source="imported").exists()


def test_a_cell_over_the_csv_limit_is_reported_with_its_row_not_a_server_error(
    accredited_cb: Any, cb_admin: Any
) -> None:
    rows = [row(), second(**{"Certification Scope": "x" * 140_000}), row()]
    with pytest.raises(ImportRejected) as caught:
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file(rows), filename="r.csv")
    [error] = caught.value.errors
    assert error.row == 3
    assert "131,072 characters" in error.message
    assert not Certificate.objects.filter(source="imported").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    accredited_cb: Any, cb_admin: Any, settings: Any
) -> None:
    settings.CERTSEARCH_IMPORT_MAX_BYTES = 200
    with pytest.raises(ValidationFailed) as caught:
        certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file([row()]), filename="r.csv")
    assert caught.value.code == "file_too_large"
    assert "At most 200 bytes." in caught.value.fields["file"]


def test_the_api_answers_bad_cells_with_row_numbered_errors(accredited_cb: Any, cb_admin: Any, settings: Any) -> None:
    api, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/import"
    nul = csv_file([row(**{"Certification Scope": "a\x00b"})])
    nul.name = "nul.csv"
    response = api.post(url, {"file": nul})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 2, "field": "Certification Scope", "message": "Control characters (such as NUL) are not allowed."}
    ]
    huge = csv_file([row(**{"Certified Entity Address": "y" * 200_000})])
    huge.name = "huge.csv"
    response = api.post(url, {"file": huge})
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 2
    settings.CERTSEARCH_IMPORT_MAX_BYTES = 100
    small = csv_file([row()])
    small.name = "small.csv"
    response = api.post(url, {"file": small})
    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"


def test_a_number_taken_between_the_check_and_the_publish_refuses_the_whole_file(
    accredited_cb: Any, cb_admin: Any, monkeypatch: Any
) -> None:
    certsearch_import(actor=cb_admin, certification_body=accredited_cb, handle=csv_file([row()]), filename="a.csv")
    # As if another import had written OLD-1-A01 after this file's check ran.
    monkeypatch.setattr("conformo.certificates.certsearch.parse._check_existing", lambda *args: None)
    with pytest.raises(Conflict) as caught:
        certsearch_import(
            actor=cb_admin,
            certification_body=accredited_cb,
            handle=csv_file([second(), row(**{"Certification Identity Number": "OLD-9"})]),
            filename="b.csv",
        )
    assert caught.value.code == "import_conflict"
    assert not Certificate.objects.filter(number="OLD-2-A01").exists()
    assert Certificate.objects.filter(source="imported").count() == 1


def test_the_staging_tables_are_gone_after_an_import(accredited_cb: Any, cb_admin: Any) -> None:
    certsearch_import(
        actor=cb_admin, certification_body=accredited_cb, handle=csv_file([row(), second()]), filename="r.csv"
    )
    assert Certificate.objects.filter(source="imported").count() == 2
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{STAGING}"])
            assert cursor.fetchone()[0] is None
        else:
            cursor.execute("SELECT count(*) FROM sqlite_temp_master WHERE name = %s", [STAGING])
            assert cursor.fetchone()[0] == 0


def test_an_upload_form_refuses_a_file_over_the_limit(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
    from django.utils.datastructures import MultiValueDict

    from conformo.certificates.forms import ImportForm

    settings.CERTSEARCH_IMPORT_MAX_BYTES = 10
    files: MultiValueDict[str, UploadedFile] = MultiValueDict(
        {"file": [SimpleUploadedFile("r.csv", io.BytesIO(b"x" * 11).getvalue())]}
    )
    form = ImportForm({}, files)
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is 11 bytes; an import takes at most 10 bytes."]
