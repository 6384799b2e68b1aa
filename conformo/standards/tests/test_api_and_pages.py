"""The catalog API and pages: public reads with bounded queries, imports for CB administrators only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conformo.conftest import login, token_client
from conformo.standards.models import Standard
from conformo.standards.tests.test_importers import oscal_catalog

pytestmark = pytest.mark.django_db


def test_anyone_may_list_the_standards_with_a_fixed_number_of_queries(
    shipped: dict[str, Standard], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        response = Client().get("/api/v1/standards")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    item = next(i for i in body["items"] if i["id"] == "iso-iec-27001-2022")
    assert (item["clauses"], item["controls"], item["edition"]) == (41, 93, 2022)


def test_anyone_may_read_a_standard_tree_with_documents(
    shipped: dict[str, Standard], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        response = Client().get("/api/v1/standards/iso-9001-2015")
    assert response.status_code == 200
    body = response.json()
    assert [n["ref"] for n in body["children"]] == ["4", "5", "6", "7", "8", "9", "10"]
    assert body["children"][0]["children"][3]["children"][0] == {
        **body["children"][0]["children"][3]["children"][0],
        "ref": "4.4.1",
        "untitled": True,
    }
    assert any(d["ref"] == "4.3" for d in body["mandatory_documents"])


def test_an_unknown_standard_is_a_404(db: Any) -> None:
    response = Client().get("/api/v1/standards/iso-0-1900")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_correspondences_answer_which_clauses_of_the_selected_standards_match(shipped: dict[str, Standard]) -> None:
    response = Client().get(
        "/api/v1/standards/iso-9001-2015/correspondences",
        {"ref": "10.3", "standards": "iso-iec-27001-2022,harmonized-structure"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["clause"]["hs"] == "10.1"
    assert {(c["standard"], c["ref"]) for c in body["corresponding"]} == {
        ("iso-iec-27001-2022", "10.1"),
        ("harmonized-structure", "10.1"),
    }
    assert Client().get("/api/v1/standards/iso-9001-2015/correspondences", {"ref": "99"}).status_code == 404


def test_clause_search_by_ref_or_title(shipped: dict[str, Standard]) -> None:
    response = Client().get("/api/v1/standards/clauses", {"q": "management review", "standards": "iso-13485-2016"})
    assert response.status_code == 200
    assert {c["ref"] for c in response.json()} == {"5.6"}


def test_the_oscal_export_is_public_json(shipped: dict[str, Standard]) -> None:
    response = Client().get("/api/v1/standards/iso-45001-2018/oscal")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["catalog"]["metadata"]["version"] == "1"


def _upload(client: Client, document: Any, name: str = "gadget.json") -> Any:
    upload = SimpleUploadedFile(name, json.dumps(document).encode(), content_type="application/json")
    return client.post("/api/v1/standards/import", {"format": "oscal", "file": upload})


def test_a_cb_admin_imports_an_oscal_catalog(cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    response = _upload(client, oscal_catalog())
    assert response.status_code == 201
    assert response.json() == {
        "id": "oscal-gadget-security-catalog",
        "designation": "Gadget Security Catalog",
        "clauses": 7,
        "controls": 0,
    }


def test_a_catalog_file_over_the_import_limit_is_refused_on_its_field(cb_admin: Any, settings: Any) -> None:
    settings.STANDARDS_IMPORT_MAX_BYTES = 200
    client, _ = token_client(cb_admin)
    response = _upload(client, oscal_catalog())
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": ["The file is larger than 200 bytes."]}
    assert client.get("/api/v1/standards/oscal-gadget-security-catalog").status_code == 404


def test_a_client_admin_may_not_import(client_admin: Any) -> None:
    response = _upload(login(client_admin), oscal_catalog())
    assert response.status_code == 403
    assert not Standard.objects.exists()


def test_an_anonymous_import_is_refused(db: Any) -> None:
    assert _upload(Client(), oscal_catalog()).status_code == 401


def test_a_malformed_upload_is_refused_with_the_place_and_nothing_loaded(cb_admin: Any) -> None:
    document = oscal_catalog()
    document["catalog"]["groups"][0]["title"] = ""
    response = _upload(login(cb_admin), document, name="broken.json")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("broken.json: $.catalog.groups[0]")
    assert not Standard.objects.exists()


def test_the_pages_are_public_and_show_the_tree_controls_and_correspondences(
    shipped: dict[str, Standard], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(6):
        listing = client.get("/standards/")
    assert listing.status_code == 200
    assert b"ISO/IEC 27001:2022" in listing.content
    with django_assert_max_num_queries(8):
        page = client.get("/standards/iso-iec-27001-2022/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Threat intelligence" in html
    assert "Organizational controls: 37" in html
    assert "ISO 9001:2015 10.3" in html  # 27001 10.1 ↔ 9001 10.3 through HS 10.1
    assert "Statement of Applicability" in html


def test_the_search_page_finds_clauses(shipped: dict[str, Standard]) -> None:
    page = Client().get("/standards/search/", {"q": "A.5.7"})
    assert page.status_code == 200
    assert "Threat intelligence" in page.content.decode()
    assert Client().get("/standards/iso-0-1900/").status_code == 404
