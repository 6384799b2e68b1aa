"""CertSearch imports run by the worker: queued from the page (large files) or the API, their progress and
outcome on a status page polled with htmx and an API resource."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.certificates.imports import certsearch_import_run
from conformo.certificates.models import Certificate, CertificateImport, ImportStatus
from conformo.certificates.tests.test_certsearch import csv_file, row
from conformo.conftest import login, token_client
from conformo.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def upload(rows: list[dict[str, str]], name: str = "register.csv") -> Any:
    handle = csv_file(rows)
    handle.name = name
    return handle


def test_the_api_queues_an_import_and_reports_its_outcome(
    accredited_cb: Any, cb_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api, _ = token_client(cb_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/import-jobs",
            {"file": upload([row(), row(**{"Certification Identity Number": "OLD-2", "Certificate Number": "OLD-2"})])},
        )
    assert response.status_code == 202, response.content
    queued = response.json()
    assert (queued["status"], queued["filename"]) == ("queued", "register.csv")
    done = api.get(f"/api/v1/certificates/import-jobs/{queued['id']}").json()
    assert (done["status"], done["imported"], done["error_count"]) == ("imported", 2, 0)
    assert done["finished_at"] is not None
    assert Certificate.objects.filter(source="imported").count() == 2
    job = CertificateImport.objects.get()
    assert not job.file  # the kept upload is removed once the import ran
    assert AuditLogEntry.objects.filter(action="certificates.import_queued").exists()
    assert AuditLogEntry.objects.filter(action="certificates.import").exists()


def test_a_rejected_file_lists_its_row_errors_on_the_resource(
    accredited_cb: Any, cb_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api, _ = token_client(cb_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/import-jobs",
            {"file": upload([row(), row(**{"Certified Entity Name": "a\x00b", "Certificate Number": "X"})])},
        )
    done = api.get(f"/api/v1/certificates/import-jobs/{response.json()['id']}").json()
    assert done["status"] == "rejected"
    assert done["errors"] == [
        {"row": 3, "field": "Certified Entity Name", "message": "Control characters (such as NUL) are not allowed."}
    ]
    assert "nothing was written" in done["message"]
    assert not Certificate.objects.filter(source="imported").exists()


def test_the_api_refuses_another_cb_s_import_and_a_file_that_is_not_a_register(
    accredited_cb: Any, cb_admin: Any, other_cb_admin: Any, programme_manager: Any
) -> None:
    api, _ = token_client(cb_admin)
    url = f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/import-jobs"
    assert api.post(url, {"file": upload([row()], "notes.txt")}).status_code == 422
    job = api.post(url, {"file": upload([row()])}).json()
    other, _ = token_client(other_cb_admin)
    assert other.get(f"/api/v1/certificates/import-jobs/{job['id']}").status_code == 404
    manager, _ = token_client(programme_manager)
    assert manager.post(url, {"file": upload([row()])}).status_code == 403
    assert manager.get(f"/api/v1/certificates/import-jobs/{job['id']}").status_code == 404


def test_a_large_upload_on_the_page_goes_to_the_worker_and_its_page_polls_until_done(
    accredited_cb: Any, cb_admin: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CERTSEARCH_IMPORT_INLINE_MAX_BYTES = 100
    client = login(cb_admin)
    page = f"{reverse('certificates:certsearch')}?cb={accredited_cb.public_id}"
    response = client.post(page, {"file": upload([row()])})
    job = CertificateImport.objects.get()
    status_url = reverse("certificates:certsearch-import", args=[job.public_id])
    assert response.status_code == 302
    assert response["Location"] == status_url
    waiting = client.get(status_url)
    assert b"Waiting for the background worker" in waiting.content
    assert b'hx-trigger="every 2s"' in waiting.content
    certsearch_import_run(job.pk)
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert b"Imported 1 certificate(s)." in partial.content
    assert b"hx-trigger" not in partial.content  # done: the polling stops
    assert b"<html" not in partial.content
    assert b"register.csv" in client.get(page).content  # listed among the recent imports
    assert certsearch_import_run(job.pk) == "not queued"


def test_an_import_whose_requester_lost_the_role_imports_nothing(
    accredited_cb: Any, cb_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from conformo.accounts.models import Membership
    from conformo.certificates.imports import certsearch_import_enqueue

    job = certsearch_import_enqueue(
        actor=cb_admin,
        certification_body=accredited_cb,
        upload=SimpleUploadedFile("register.csv", csv_file([row()]).getvalue()),
    )
    Membership.objects.filter(user=cb_admin).delete()
    cb_admin.refresh_from_db()
    assert certsearch_import_run(job.pk) == ImportStatus.REJECTED
    job.refresh_from_db()
    assert "may no longer import" in job.message
    assert not Certificate.objects.filter(source="imported").exists()


def test_the_status_page_is_only_for_the_cb_s_administrators(
    accredited_cb: Any, cb_admin: Any, other_cb_admin: Any
) -> None:
    from conformo.certificates.imports import certsearch_import_enqueue

    job = certsearch_import_enqueue(
        actor=cb_admin,
        certification_body=accredited_cb,
        upload=SimpleUploadedFile("register.csv", csv_file([row()]).getvalue()),
    )
    url = reverse("certificates:certsearch-import", args=[job.public_id])
    assert login(other_cb_admin).get(url).status_code == 404
    assert login(cb_admin).get(url).status_code == 200
