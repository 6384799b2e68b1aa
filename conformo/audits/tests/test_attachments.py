"""Finding attachments through the API (multipart) and the page: same service, same size and type limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.conftest import login, token_client

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(user, finding, filename="evidence.pdf", content=b"%PDF-1.4 evidence", **extra):
    client, _ = token_client(user)
    data = {"file": SimpleUploadedFile(filename, content, content_type="application/octet-stream"), **extra}
    return client, client.post(f"{API}/findings/{finding.public_id}/attachments", data)


def test_the_lead_auditor_uploads_evidence_and_the_client_downloads_it(open_minor, ready, client_admin):
    _, response = upload(ready.lead.user, open_minor, filename="photo.png", content=b"png-bytes")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["size"], body["uploaded_by"]) == ("photo.png", 9, "lead@northbridge.test")
    client, _ = token_client(client_admin)
    listed = client.get(f"{API}/findings/{open_minor.public_id}/attachments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = client.get(f"{API}/findings/{open_minor.public_id}/attachments/{body['id']}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"png-bytes"  # type: ignore[attr-defined]


def test_the_client_attaches_evidence_of_its_action_under_a_name(open_minor, client_admin):
    _, response = upload(client_admin, open_minor, filename="plan.docx", content=b"doc", name="Corrective action plan")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Corrective action plan"
    assert open_minor.attachments.get().uploaded_by == client_admin


def test_the_file_type_and_size_are_limited_as_on_the_page(open_minor, ready, settings):
    _, response = upload(ready.lead.user, open_minor, filename="tool.exe", content=b"MZ")
    assert response.status_code == 422
    assert response.json()["fields"]["file"][0].startswith("Accepted types:")
    settings.AUDITS_ATTACHMENT_MAX_BYTES = 4
    _, response = upload(ready.lead.user, open_minor, filename="big.pdf", content=b"%PDF-1.4")
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": ["The limit is 4 bytes."]}
    # The page refuses the same file with the same reason.
    page = login(ready.lead.user).post(
        reverse("audits:finding-attach", args=[open_minor.public_id]), {"file": SimpleUploadedFile("tool.exe", b"MZ")}
    )
    assert page.status_code == 422
    assert b"This type of file is not accepted." in page.content
    assert not open_minor.attachments.exists()


def test_a_missing_file_is_a_validation_error(open_minor, ready):
    client, _ = token_client(ready.lead.user)
    response = client.post(f"{API}/findings/{open_minor.public_id}/attachments", {"name": "nothing"})
    assert response.status_code == 422


def test_only_the_team_the_cb_managers_and_the_client_attach(open_minor, decision_maker, other_client_admin):
    _, response = upload(decision_maker, open_minor)
    assert response.status_code == 403
    _, response = upload(other_client_admin, open_minor)
    assert response.status_code == 404
    assert not open_minor.attachments.exists()


def test_another_client_cannot_list_or_download(open_minor, ready, other_client_admin):
    _, response = upload(ready.lead.user, open_minor)
    attachment_id = response.json()["id"]
    client, _ = token_client(other_client_admin)
    assert client.get(f"{API}/findings/{open_minor.public_id}/attachments").status_code == 404
    assert client.get(f"{API}/findings/{open_minor.public_id}/attachments/{attachment_id}/file").status_code == 404
