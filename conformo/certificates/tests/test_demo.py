"""The demo holds certificates in every public status, each the result of recorded decisions."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conformo.certificates.models import Certificate, StatusChange
from conformo.core.models import AuditLogEntry
from conformo.home.demo import demo_load

STATUSES = ("active", "suspended", "withdrawn", "expired")


def test_the_demo_has_a_public_certificate_in_every_status_each_from_a_decision(db: Any, settings: Any) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    demo_load()
    client = Client()
    for status in STATUSES:
        body = client.get("/api/v1/registry/certificates", {"status": status}).json()
        assert body["count"] >= 1, status
        for item in body["items"]:
            assert item["status"] == status
            certificate = Certificate.objects.get(number=item["number"])
            assert certificate.decision is not None, item["number"]
            if status in ("suspended", "withdrawn"):
                change = StatusChange.objects.get(certificate=certificate, status_after=status)
                assert change.decision is not None
                assert change.decision.kind == {"suspended": "suspend", "withdrawn": "withdraw"}[status]
    expired = client.get("/api/v1/registry/certificates", {"status": "expired"}).json()["items"]
    assert {i["holder"]["name"] for i in expired} == {"Delta Logística S.A."}
    # Accent-insensitive search finds it too.
    found = client.get("/api/v1/registry/certificates", {"q": "LOGISTICA"}).json()
    assert [i["holder"]["name"] for i in found["items"]] == ["Delta Logística S.A."]


def test_a_second_demo_load_writes_nothing(db: Any) -> None:
    demo_load()
    counts = (AuditLogEntry.objects.count(), Certificate.objects.count(), StatusChange.objects.count())
    demo_load()
    assert (AuditLogEntry.objects.count(), Certificate.objects.count(), StatusChange.objects.count()) == counts
