"""Request body limits and spreadsheet safety (conformo.core.limits, conformo.core.spreadsheets)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from conformo.core.errors import ValidationFailed
from conformo.core.spreadsheets import check_xlsx, neutralise_cell, neutralise_row

ROOT = Path(__file__).resolve().parents[3]


def workbook_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A workbook-shaped archive whose one sheet is `unpacked` bytes of the same character."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"a" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return out.getvalue()


# --- request bodies ------------------------------------------------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


WSGI_INPUT_UNREADABLE: dict[str, Any] = {"wsgi.input": Unreadable()}


def test_an_anonymous_oversized_post_is_refused_with_413_before_the_body_is_read(db: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 4096
    response = Client().generic(
        "POST",
        "/accounts/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="50000000",
        **WSGI_INPUT_UNREADABLE,
    )
    assert response.status_code == 413
    assert "The request is too large: the limit is 4 KB." in response.content.decode()


def test_an_oversized_api_request_gets_the_json_error(db: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 4096
    response = Client().post("/api/v1/tokens", b"x" * 5000, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: the limit is 4 KB.", "code": "request_too_large"}


def test_a_file_upload_has_its_own_larger_limit(db: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 2048
    settings.MAX_UPLOAD_BYTES = 64 * 1024
    upload = io.BytesIO(b"a" * 10_000)
    upload.name = "r.csv"
    # Within the upload limit: the request goes on (here to the sign-in check of the API).
    assert Client().post("/api/v1/certification-bodies/x/certificates/import", {"file": upload}).status_code != 413
    big = io.BytesIO(b"a" * 100_000)
    big.name = "r.csv"
    response = Client().post("/api/v1/certification-bodies/x/certificates/import", {"file": big})
    assert response.status_code == 413
    assert response.json()["detail"] == "The request is too large: the limit is 64 KB."


def test_a_body_under_the_limit_is_served_as_before(db: Any) -> None:
    assert Client().post("/accounts/login/", {"username": "a@b.test", "password": "x"}).status_code == 200


def test_a_chunked_body_without_content_length_is_never_read(db: Any) -> None:
    response = Client().generic(
        "POST",
        "/accounts/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
        **WSGI_INPUT_UNREADABLE,
    )
    assert response.status_code == 200  # the sign-in form, with its fields required


# --- spreadsheets ----------------------------------------------------------------------------------------------


def test_an_ordinary_workbook_passes_the_check_and_stays_readable() -> None:
    handle = io.BytesIO(workbook_bytes([["Number", "Name"], *[[f"N-{i}", "Acme " * 20] for i in range(2000)]]))
    check_xlsx(handle)
    assert handle.tell() == 0
    assert load_workbook(handle, read_only=True).active.max_row == 2001


def test_a_zip_bomb_is_refused_from_its_declared_sizes(settings: Any) -> None:
    bomb = zip_bomb(16 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    with pytest.raises(ValidationFailed) as caught:
        check_xlsx(io.BytesIO(bomb))
    assert caught.value.code == "unsafe_spreadsheet"
    assert "compressed more than 100 times" in caught.value.fields["file"][0]


def test_the_unpacked_size_limits_hold_whatever_the_ratio(settings: Any) -> None:
    settings.XLSX_MAX_RATIO = 10**9
    settings.XLSX_MAX_MEMBER_BYTES = 8 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="more than 8 MB"):
        check_xlsx(io.BytesIO(zip_bomb(16 * 1024 * 1024)))
    settings.XLSX_MAX_MEMBER_BYTES = 64 * 1024 * 1024
    settings.XLSX_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="The workbook would unpack to more than 4 MB"):
        check_xlsx(io.BytesIO(zip_bomb(16 * 1024 * 1024)))


def test_a_file_that_is_not_a_zip_is_unreadable() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_xlsx(io.BytesIO(b"Number,Name\n1,Acme\n"), field="upload")
    assert caught.value.code == "unreadable_file"
    assert caught.value.fields == {"upload": ["Not an XLSX file."]}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_text_a_spreadsheet_would_run_is_prefixed_with_a_quote(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


def test_other_values_are_left_alone() -> None:
    assert neutralise_row(["Acme", "", "a=b", -1, 2.5, None]) == ["Acme", "", "a=b", -1, 2.5, None]


# --- files owner-only ------------------------------------------------------------------------------------------


def test_uploads_and_their_folders_are_owner_only(settings: Any, tmp_path: Path) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "files")
    name = storage.save("org/1/evidence.pdf", ContentFile(b"%PDF-1.7"))
    assert stat.S_IMODE(os.stat(storage.path(name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "files" / "org").st_mode) == 0o700


def test_the_sqlite_database_file_is_created_owner_only(tmp_path: Path) -> None:
    env = {**os.environ, "CONFORMO_VAR_DIR": str(tmp_path / "var"), "DEBUG": "1", "DATABASE_URL": ""}
    env.pop("CONFORMO_TESTING", None)
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "conformo.settings", "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=120,
    )
    assert stat.S_IMODE(os.stat(tmp_path / "var" / "conformo.sqlite3").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "var").st_mode) == 0o700
