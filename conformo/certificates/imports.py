"""CertSearch imports run by the worker, off the request (docs/certificates.md, "Imports in the background").

`certsearch_import_enqueue` keeps the uploaded file and queues `run_certsearch_import` (conformo/certificates/
tasks.py) once the request commits; the worker runs the usual all-or-nothing import (`certsearch_import`) and
writes its progress (stage, rows checked) and outcome on the `CertificateImport` row, which the status page polls
with htmx and the API returns as a resource. The permission is checked when the import is queued and again when
it runs (a CB administrator removed meanwhile imports nothing).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import IO, Any, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.certificates.certsearch import ImportRejected, certsearch_import, check_size
from conformo.certificates.models import CertificateImport, ImportStatus
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import ApplicationError, ValidationFailed
from conformo.core.tenancy import has_cb_role, require_cb_role
from conformo.organizations.models import CertificationBody

logger = logging.getLogger(__name__)
KEPT_ERRORS = 1000
"""Rejected rows kept on the import for the status page and the API (the count says how many in all)."""


def _enqueue(import_id: int) -> None:
    from conformo.certificates.tasks import run_certsearch_import

    run_certsearch_import.enqueue(import_id)


@transaction.atomic
def certsearch_import_enqueue(
    *, actor: Actor, certification_body: CertificationBody, upload: UploadedFile
) -> CertificateImport:
    """Keep the file and queue its import (CB administrator). Returns the import to follow."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="import certificates")
    filename = (upload.name or "register.csv")[-255:]
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ValidationFailed("Upload a .csv or .xlsx file.", fields={"file": ["CSV or XLSX."]})
    check_size(cast(IO[bytes], upload.file), filename, settings.CERTSEARCH_IMPORT_MAX_BYTES)
    job = CertificateImport(
        certification_body=certification_body,
        requested_by=actor if isinstance(actor, User) else None,
        filename=filename,
    )
    job.file.save(filename, upload, save=False)
    job.save()
    audit_log_record(
        actor=actor,
        action="certificates.import_queued",
        obj=job,
        after={"file": filename},
        certification_body_id=certification_body.pk,
    )
    transaction.on_commit(partial(_enqueue, job.pk), robust=True)
    return job


def _update(job_id: int, **values: Any) -> None:
    CertificateImport.objects.filter(pk=job_id).update(updated_at=timezone.now(), **values)


def certsearch_import_run(import_id: int) -> str:
    """Run one queued import to its end (the worker's task). Claims it first, so a second run does nothing."""
    now = timezone.now()
    if not CertificateImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, stage="checking", started_at=now, updated_at=now
    ):
        return "not queued"
    job = CertificateImport.objects.select_related("certification_body", "requested_by").get(pk=import_id)
    outcome: dict[str, Any]
    try:
        actor = job.requested_by
        if actor is None or not has_cb_role(actor, job.certification_body_id, "cb_admin"):
            raise ApplicationError("The person who queued this import may no longer import certificates.")
        with job.file.open("rb") as handle:
            result = certsearch_import(
                actor=actor,
                certification_body=job.certification_body,
                handle=handle,
                filename=job.filename,
                progress=lambda stage, rows: _update(import_id, stage=stage, rows_checked=rows),
            )
        outcome = {"status": ImportStatus.IMPORTED, "imported": result.imported, "rows_checked": result.imported}
        outcome["message"] = f"Imported {result.imported} certificate(s)."
    except ImportRejected as exc:
        outcome = {
            "status": ImportStatus.REJECTED,
            "message": exc.message,
            "errors": [e.as_dict() for e in exc.errors[:KEPT_ERRORS]],
            "error_count": len(exc.errors),
        }
    except ApplicationError as exc:
        outcome = {"status": ImportStatus.REJECTED, "message": exc.message}
    except Exception as exc:  # any other failure ends the import as failed (nothing was written), never stuck
        logger.exception("CertSearch import %s failed", import_id)
        outcome = {
            "status": ImportStatus.FAILED,
            "message": f"The import failed ({type(exc).__name__}); nothing was written.",
        }
    job.file.delete(save=False)
    _update(import_id, stage="", file="", finished_at=timezone.now(), **outcome)
    return str(outcome["status"])


def import_visible_to(user: Any, public_id: Any) -> CertificateImport | None:
    """The import, for an administrator of its CB (None for anyone else: not found)."""
    job = CertificateImport.objects.select_related("certification_body").filter(public_id=public_id).first()
    if job is None or not has_cb_role(user, job.certification_body_id, "cb_admin"):
        return None
    return job
