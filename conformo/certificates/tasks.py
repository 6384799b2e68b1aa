"""Background tasks of certificates: a queued CertSearch import (conformo.certificates.imports)."""

from __future__ import annotations

from django.tasks import task

from conformo.certificates.imports import certsearch_import_run


@task()
def run_certsearch_import(import_id: int) -> str:
    """Run a queued CertSearch import; safe to run twice (the second finds it claimed)."""
    return certsearch_import_run(import_id)
