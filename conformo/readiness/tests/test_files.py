"""A file stored during a transaction that rolls back is removed; a committed one is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from conformo.readiness.files import atomic_with_files
from conformo.readiness.models import DocumentRevision
from conformo.readiness.services import document_create, revision_create
from conformo.readiness.services import documents as document_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client_admin, acme):
    return document_create(actor=client_admin, organization=acme, title="Quality manual")


def _pdf():
    return SimpleUploadedFile("manual.pdf", b"%PDF-1.4 manual", content_type="application/pdf")


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_committed_upload_is_kept(client_admin, document, settings):
    revision = revision_create(actor=client_admin, document=document, file=_pdf())
    assert _stored(settings) == [Path(revision.file.path)]


def test_a_failure_inside_the_service_after_the_upload_removes_the_file(client_admin, document, settings, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(document_services, "audit_log_record", fail)
    with pytest.raises(RuntimeError):
        revision_create(actor=client_admin, document=document, file=_pdf())
    assert not DocumentRevision.objects.exists()
    assert _stored(settings) == []


def test_an_enclosing_transaction_that_rolls_back_removes_the_file(client_admin, document, settings):
    seen: list[bool] = []

    def upload_then_fail() -> None:
        with atomic_with_files():
            revision = revision_create(actor=client_admin, document=document, file=_pdf())
            seen.append(Path(revision.file.path).exists())
            raise ValueError("a later step failed")

    with pytest.raises(ValueError, match="later step"):
        upload_then_fail()
    assert seen == [True]
    assert not DocumentRevision.objects.exists()
    assert _stored(settings) == []


def test_set_rollback_removes_the_file_and_an_outer_commit_keeps_the_inner_ones(client_admin, document, settings):
    with atomic_with_files():
        revision_create(actor=client_admin, document=document, file=_pdf())
        transaction.set_rollback(True)
    assert _stored(settings) == []
    with atomic_with_files(), atomic_with_files():
        kept = revision_create(actor=client_admin, document=document, file=_pdf())
    assert _stored(settings) == [Path(kept.file.path)]
