"""`conformo demo --scale N`: a data set whose counts follow N, with a certificate in every status, made through
the services, reproducible from its seed and loaded once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from conformo.certificates.models import Certificate
from conformo.core.models import AuditLogEntry
from conformo.home.demo import DEMO_CB_NAME
from conformo.home.demo_scale import SCALE_CB_NAME, demo_scale_load
from conformo.home.demo_scale_plan import auditor_count, scale_plan
from conformo.organizations.models import CertificationBody

TODAY = date(2026, 6, 15)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    first, again, other = scale_plan(40, 7), scale_plan(40, 7), scale_plan(40, 8)
    assert first == again
    assert [c.legal_name for c in first.clients] != [c.legal_name for c in other.clients]
    assert len({c.legal_name for c in first.clients}) == 40


def test_the_plan_keeps_the_ratios_of_the_scale() -> None:
    plan = scale_plan(600, 1)
    certifications = [cert for client in plan.clients for cert in client.certifications]
    audits = [audit for cert in certifications for audit in cert.audits]
    findings = sum(len(audit.findings) for audit in audits)
    assert len(plan.auditors) == auditor_count(600) == 40
    assert 3.0 * 600 < len(certifications) < 3.6 * 600
    assert 8.5 * 600 < len(audits) < 11.5 * 600
    assert 3.0 < findings / len(audits) < 3.6
    assert {cert.outcome for cert in certifications} == {"valid", "suspended", "withdrawn", "expired"}
    assert max(cert.applied_days_ago for cert in certifications) < 4 * 365


@pytest.mark.parametrize("seed", range(5))
def test_two_clients_already_hold_a_certificate_in_every_status(seed: int) -> None:
    plan = scale_plan(2, seed)
    outcomes = {cert.outcome for client in plan.clients for cert in client.certifications}
    assert outcomes == {"valid", "suspended", "withdrawn", "expired"}


def _snapshot() -> list[tuple[str, str, str, str]]:
    return sorted(
        Certificate.objects.filter(certification_body__name=SCALE_CB_NAME, is_current=True).values_list(
            "number", "organization__legal_name", "status", "scope"
        )
    )


def test_three_clients_get_auditors_audits_findings_and_certificates_in_every_status(db: Any) -> None:
    result = demo_scale_load(3, seed=5, today=TODAY)
    counts = result.counts
    assert counts["organizations"] == 3
    assert counts["auditors"] == 2
    assert counts["certificates"] == sum(len(c.certifications) for c in scale_plan(3, 5).clients)
    assert counts["audits"] == 5 * counts["certificates"]  # stage 1 to recertification, in each programme
    held = sum(len(cert.audits) for client in scale_plan(3, 5).clients for cert in client.certifications)
    assert counts["audits held"] == held
    assert counts["findings"] >= held
    assert set(result.statuses) == {"active", "suspended", "withdrawn", "expired"}
    # Through the services: the audit log holds the audits' and the decisions' steps.
    cb = CertificationBody.objects.get(name=SCALE_CB_NAME)
    actions = set(AuditLogEntry.objects.filter(certification_body_id=cb.pk).values_list("action", flat=True))
    assert {"audit.complete", "certification.grant", "certification.withdraw"} <= actions
    assert not CertificationBody.objects.filter(name=DEMO_CB_NAME).exists()


class _Undo(Exception):
    pass


def _load_and_undo(n: int, seed: int) -> list[tuple[str, str, str, str]]:
    """Load the scale demo, take its certificates and roll the load back."""
    snapshot: list[tuple[str, str, str, str]] = []
    try:
        with transaction.atomic():
            demo_scale_load(n, seed=seed, today=TODAY)
            snapshot = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not CertificationBody.objects.filter(name=SCALE_CB_NAME).exists()
    return snapshot


def test_the_same_seed_gives_the_same_names_and_certificate_numbers(db: Any) -> None:
    first = _load_and_undo(2, 11)
    assert first
    assert _load_and_undo(2, 11) == first


def test_a_second_scale_load_is_refused_and_changes_nothing(db: Any) -> None:
    call_command("demo", "--scale", "1", "--seed", "3", "--quiet")
    before = Certificate.objects.count()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("demo", "--scale", "1", "--seed", "3")
    assert Certificate.objects.count() == before


@pytest.mark.parametrize("scale", ["0", "-3", "many"])
def test_a_scale_that_is_not_a_positive_whole_number_is_refused_in_one_line(db: Any, cli: Any, scale: str) -> None:
    result = cli("demo", "--scale", scale)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--scale" in result.stderr
    assert not CertificationBody.objects.filter(name=SCALE_CB_NAME).exists()
