"""No input gives a 500: control characters, numbers beyond their columns, unreadable and deep documents, and every
refusal of the API in one shape `{"detail", "code"}` (docs/api.md#errors). The same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conformo.conftest import token_client
from conformo.core.cleaning import (
    MAX_DOCUMENT_DEPTH,
    DocumentRefused,
    control_character_places,
    json_document,
    json_nesting_depth,
    refuse_control_chars,
)
from conformo.core.errors import ValidationFailed
from conformo.organizations.models import Organization, Site

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000


def api(user: Any) -> Client:
    return token_client(user)[0]


# --- control characters -------------------------------------------------------------------------------------


def test_a_nul_in_a_public_registry_address_is_a_400_in_the_error_shape() -> None:
    response = Client().get("/api/v1/registry/certificates/AB%00CD")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address holds a control character. Control characters (such as NUL) are not allowed.",
        "code": "control_character",
    }


def test_a_control_character_in_the_query_string_names_the_parameter() -> None:
    response = Client().get("/api/v1/registry/certificates", {"q": "Acme\x01"})
    assert response.status_code == 422
    assert response.json()["code"] == "control_character"
    assert set(response.json()["fields"]) == {"q"}


def test_a_nul_escape_in_a_json_body_is_refused_by_field_and_nothing_is_written(client_admin: Any, acme: Any) -> None:
    response = api(client_admin).post(
        f"/api/v1/organizations/{acme.public_id}/sites",
        {"name": "Plant\u0000", "country": "DE", "address": "Line 1\nLine 2\tend"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "control_character"
    assert response.json()["fields"] == {"name": ["Control characters (such as NUL) are not allowed."]}
    assert not Site.objects.exists()


def test_tabs_and_line_breaks_in_a_body_are_kept(client_admin: Any, acme: Any) -> None:
    response = api(client_admin).post(
        f"/api/v1/organizations/{acme.public_id}/sites",
        {"name": "Plant", "country": "DE", "address": "Line 1\r\nLine 2\tend"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Site.objects.get().address == "Line 1\r\nLine 2\tend"


def test_a_control_character_in_a_page_form_gets_the_error_page(client_admin: Any, acme: Any) -> None:
    client = Client()
    client.force_login(client_admin)
    response = client.post(f"/organizations/{acme.public_id}/sites/new/", {"name": "Plant\x00", "country": "DE"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"control character" in response.content
    assert not Site.objects.exists()


def test_a_control_character_in_a_page_query_gets_the_error_page(client_admin: Any, acme: Any) -> None:
    client = Client()
    client.force_login(client_admin)
    response = client.get(f"/readiness/o/{acme.public_id}/risks/", {"kind": "risk\x00"})
    assert response.status_code == 400
    assert b"control character" in response.content


def test_a_control_character_in_a_page_address_gets_the_error_page() -> None:
    response = Client().get("/standards/iso%00/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_shared_helper_names_every_place_of_a_control_character() -> None:
    document = {"rows": [{"name": "ok", "note": "a\x00b"}, {"name\x07": "x"}], "text": "line\nbreak\ttab"}
    assert sorted(control_character_places(document)) == ["rows.0.note", "rows.1.name\x07"]
    assert control_character_places("tab\tstays", text=False) == ["__all__"]
    with pytest.raises(ValidationFailed) as refused:
        refuse_control_chars(document, root="file")
    assert refused.value.code == "control_character"
    assert set(refused.value.fields) == {"file.rows.0.note", "file.rows.1.name\x07"}


# --- numbers and lengths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["99999999999999999999999", "0", "-1", "100001"])
def test_a_page_outside_its_bounds_is_a_422_naming_it(cb_admin: Any, page: str) -> None:
    response = api(cb_admin).get("/api/v1/organizations", {"page": page})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"page"}


def test_a_page_size_above_the_maximum_is_a_422(cb_admin: Any, settings: Any) -> None:
    response = api(cb_admin).get("/api/v1/organizations", {"page_size": "501"})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"page_size"}


def test_a_registration_number_longer_than_its_column_is_a_422(cb_admin: Any, cb: Any) -> None:
    before = Organization.objects.count()
    response = api(cb_admin).post(
        "/api/v1/organizations",
        {
            "legal_name": "Longco",
            "country": "DE",
            "registration_number": "X" * 101,
            "certification_body_id": str(cb.public_id),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"registration_number"}
    assert Organization.objects.count() == before


@pytest.mark.parametrize("staff", [2**31, 2**63, -1])
def test_a_head_count_beyond_its_column_is_a_422(client_admin: Any, acme: Any, staff: int) -> None:
    response = api(client_admin).post(
        f"/api/v1/organizations/{acme.public_id}/sites",
        {"name": "Plant", "country": "DE", "permanent_staff": staff},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"permanent_staff"}
    assert not Site.objects.exists()


def test_a_value_its_column_cannot_hold_is_refused_before_any_write(acme: Any) -> None:
    site = Site(organization=acme, name="Plant\x00", country="DE", permanent_staff=2**31)
    with pytest.raises(ValidationFailed) as refused:
        site.save()
    assert refused.value.code == "value_out_of_range"
    assert set(refused.value.fields) == {"name", "permanent_staff"}
    acme.registration_number = "X" * 101
    with pytest.raises(ValidationFailed, match="does not fit"):
        acme.save()
    assert not Site.objects.exists()


# --- documents ----------------------------------------------------------------------------------------------


def test_a_body_nested_too_deep_is_a_400_and_not_parsed(cb_admin: Any) -> None:
    response = api(cb_admin).post("/api/v1/organizations", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def test_a_body_that_is_not_json_is_a_400_with_a_code(cb_admin: Any) -> None:
    response = api(cb_admin).post("/api/v1/organizations", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert "not valid JSON" in response.json()["detail"]


def test_the_depth_is_counted_outside_strings_without_parsing() -> None:
    assert json_nesting_depth('{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert json_nesting_depth(DEEP) == MAX_DOCUMENT_DEPTH + 1
    with pytest.raises(DocumentRefused) as refused:
        json_document(DEEP)
    assert refused.value.code == "too_deep"
    with pytest.raises(DocumentRefused) as refused:
        json_document(b"\xff\xfe")
    assert refused.value.code in {"not_utf8", "invalid_json"}


OSCAL_META = {
    "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
    "metadata": {"title": "X", "last-modified": "2024-01-01T00:00:00+00:00", "version": "1", "oscal-version": "1.1.2"},
}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (json.dumps({"catalog": {**OSCAL_META, "groups": "nope"}}), "not a valid OSCAL catalog"),
        ('{"catalog": ' + DEEP + "}", "more than 64 deep"),
        (json.dumps({"catalog": {**OSCAL_META, "groups": [{"id": "g", "title": "A\u0000"}]}}), "Control characters"),
    ],
)
def test_an_invalid_oscal_catalog_is_one_line_from_the_cli_without_a_traceback(
    cli: Any, tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(content)
    result = cli("catalog", "import", "--format", "oscal", str(path))
    assert result.returncode != 0
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_yaml_library_with_a_control_character_is_refused(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "library.yaml"
    path.write_text('urn: "x"\nobjects:\n  framework:\n    name: "bad\\x00name"\n    requirement_nodes: []\n')
    result = cli("catalog", "import", "--format", "ciso-assistant", str(path))
    assert result.returncode != 0
    assert "Control characters" in result.stderr


# --- one error shape ----------------------------------------------------------------------------------------


def test_an_unknown_api_address_is_a_json_404() -> None:
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_method_an_operation_does_not_have_is_a_json_405_with_allow(cb_admin: Any) -> None:
    response = api(cb_admin).delete("/api/v1/organizations")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_multipart_without_a_boundary_is_a_json_400(cb_admin: Any, cb: Any) -> None:
    response = api(cb_admin).post(
        f"/api/v1/certification-bodies/{cb.public_id}/certificates/import",
        b"--x\r\n",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_multipart"


def test_a_body_over_the_size_limit_is_a_json_413(cb_admin: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = api(cb_admin).post("/api/v1/organizations", {"legal_name": "x" * 200}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_an_internal_error_of_the_api_is_a_json_500(cb_admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from conformo.organizations import api as organizations_api

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("broken")

    monkeypatch.setattr(organizations_api, "organization_list", broken)
    client = token_client(cb_admin)[0]
    client.raise_request_exception = False
    response = client.get("/api/v1/organizations")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error.", "code": "server_error"}


def test_pages_keep_their_error_pages() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
