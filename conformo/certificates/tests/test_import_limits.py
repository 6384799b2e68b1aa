"""A CertSearch XLSX that would unpack too far is refused before it is parsed, by the page, the API and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conformo.certificates.models import Certificate
from conformo.conftest import login, token_client
from conformo.core.tests.test_limits import zip_bomb

pytestmark = pytest.mark.django_db
BOMB = zip_bomb(8 * 1024 * 1024)  # 8 MB of one letter in a few KB: compressed ~1000×


def test_the_page_refuses_a_zip_bomb_on_its_file_field(accredited_cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(
        f"/certificates/certsearch/?cb={accredited_cb.public_id}", {"file": SimpleUploadedFile("r.xlsx", BOMB)}
    )
    assert response.status_code == 422
    assert "compressed more than 100 times" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_api_refuses_a_zip_bomb_with_a_field_error(accredited_cb: Any, cb_admin: Any) -> None:
    api, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/import"
    response = api.post(url, {"file": SimpleUploadedFile("r.xlsx", BOMB)})
    assert response.status_code == 422
    assert response.json()["code"] == "unsafe_spreadsheet"
    assert list(response.json()["fields"]) == ["file"]


def test_the_command_refuses_a_zip_bomb(accredited_cb: Any, cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(BOMB)
    result = cli("certificate", "import", str(path), "--cb", accredited_cb.name)
    assert result.returncode != 0
    assert "compressed more than 100 times" in result.stderr
