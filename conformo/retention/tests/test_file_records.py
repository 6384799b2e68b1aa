"""The certification file under records retention (ISO/IEC 17021-1 9.9; docs/rules.md R6-R8): plans, reports,
findings with responses and verifications, decisions, certificates, agreements and quotations of a withdrawn
certification are anonymised six years after the withdrawal — the day before nothing, the day after exactly them,
a second run nothing — and the records of a running certification stay as they are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from conformo.audits.choices import AuditKind
from conformo.audits.models import (
    Agreement,
    AuditPlan,
    AuditReport,
    AuditTimeDetermination,
    Finding,
    FindingResponse,
    Verification,
)
from conformo.audits.tests.conftest import ROW, acme_sites, audit_of, programme, ready, stage1_done  # noqa: F401 - fixtures
from conformo.certificates.models import Certificate
from conformo.certification.models import Decision
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import granted  # noqa: F401 - fixture
from conformo.core.errors import ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.fees.models import Quotation
from conformo.registry import selectors as registry
from conformo.retention import services
from conformo.retention.models import RetentionLogEntry, RetentionPolicy
from conformo.retention.records import REMOVED
from conformo.retention.selectors import due_records

pytestmark = pytest.mark.django_db

WITHDRAWN = date(2027, 5, 3)  # kept until 2033-05-03, past retention from 2033-05-04
FILE_KINDS = {"audit_plans", "audit_reports", "findings", "decisions", "certificates", "agreements", "quotations"}


@pytest.fixture
def withdrawn(granted, ready, programme_manager, decision_maker):  # noqa: F811 - fixtures
    """Acme's certification file — a plan, the stage 2 report, a minor with its response and verification, the
    grant, the certificate, the agreement, a quotation — withdrawn on 2027-05-03. Jane Roe is Acme's contact."""
    cycle = granted.programmes.get()
    stage2 = audit_of(cycle, AuditKind.STAGE_2)
    AuditPlan.objects.create(
        audit=stage2,
        version=1,
        objectives="Audit the plant with Jane Roe",
        scope="Plant",
        criteria="ISO 9001",
        timetable=[ROW],
        issued_by=programme_manager,
    )
    finding = Finding.objects.create(
        audit=stage2,
        grade="minor",
        statement="Jane Roe signed nothing",
        raised_by=ready.lead.user,
        raised_on=date(2026, 3, 2),
    )
    FindingResponse.objects.create(
        finding=finding, correction="Jane Roe signs", root_cause="No rule", corrective_action="A rule"
    )
    Verification.objects.create(
        finding=finding, verified_by=ready.lead.user, method="documents", effective=True, verified_on=date(2026, 4, 1)
    )
    application = cycle.application
    Quotation.objects.create(  # as quotation_create leaves it (it refuses an accepted application)
        certification_body=application.certification_body,
        organization=application.organization,
        application=application,
        determination=AuditTimeDetermination.objects.filter(application=application).latest("id"),
        number=1,
        currency="EUR",
        prices={},
        result={},
        facts={"client": "Acme, attention Jane Roe"},
        subtotal=Decimal(1000),
        tax=Decimal(190),
        total=Decimal(1190),
        valid_until=date(2026, 4, 1),
        created_by=programme_manager,
    )
    with time_machine.travel(WITHDRAWN, tick=False):
        decision_take(actor=decision_maker, certification=granted, kind="withdraw", reason="Jane Roe asked for it")
    return granted


def _apply(cb: Any, cb_admin: Any, on: date) -> Any:
    return services.retention_apply(actor=cb_admin, certification_body=cb, on=on)


def test_the_file_of_a_withdrawn_certification_is_anonymised_the_day_after_six_years(withdrawn, cb_admin):
    cb = withdrawn.certification_body
    assert due_records(cb, date(2033, 5, 3)) == []
    assert _apply(cb, cb_admin, date(2033, 5, 3)) is None
    due = due_records(cb, date(2033, 5, 4))
    expected = {
        ("audit_plans", 1),
        ("audit_reports", 1),
        ("findings", 1),
        ("decisions", 2),  # grant and withdrawal
        ("certificates", 1),
        ("agreements", 1),
        ("quotations", 1),
    }
    assert {(kind, sum(1 for d in due if d.kind.value == kind)) for kind in FILE_KINDS} == expected
    assert {d.closed_on for d in due} == {WITHDRAWN}

    decisions = AuditLogEntry.objects.filter(action__in=["certification.grant", "certification.withdraw"])
    assert any("Jane" in str(entry.after) for entry in decisions)

    run = _apply(cb, cb_admin, date(2033, 5, 4))
    assert run is not None
    assert (run.deleted, run.anonymised) == (0, 8)
    plan = AuditPlan.objects.get()
    assert (plan.objectives, plan.timetable, plan.issued_by) == (REMOVED, [], None)
    report = AuditReport.objects.get()
    assert (report.conclusions, report.sections, report.facts, report.recommendation) == (REMOVED, [], {}, "grant")
    finding = Finding.objects.get()
    assert (finding.statement, finding.grade, finding.raised_by) == (REMOVED, "minor", None)
    assert FindingResponse.objects.get().correction == REMOVED
    assert Verification.objects.get().verified_by is None
    assert set(Decision.objects.values_list("reason", flat=True)) == {"", REMOVED}
    assert set(Decision.objects.values_list("kind", flat=True)) == {"grant", "withdraw"}
    agreement = Agreement.objects.get()
    assert (agreement.accepted_by, agreement.ip_address) == (None, None)
    assert withdrawn.programmes.get().application.quotations.get().facts == {}
    # Nothing holds Jane Roe any more, and the audit log kept its entries (redacted).
    assert decisions.count() == 2
    assert all("Jane" not in str(entry.after) for entry in decisions.all())

    assert _apply(cb, cb_admin, date(2033, 5, 5)) is None
    assert RetentionLogEntry.objects.count() == 8


def test_a_verifier_still_gets_withdrawn_for_an_anonymised_certificate(withdrawn, cb_admin):
    certificate = Certificate.objects.get()
    holder = certificate.holder_name
    _apply(withdrawn.certification_body, cb_admin, date(2033, 5, 4))
    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.sites, certificate.status) == (REMOVED, [], "withdrawn")
    assert holder.casefold() not in certificate.search_text
    row = registry.registry_get(certificate.number)
    assert row is not None
    record = registry.registry_record(row, date(2033, 5, 4))
    assert (record["number"], record["status"], record["holder"]["name"]) == (certificate.number, "withdrawn", REMOVED)


def test_the_file_of_a_running_certification_is_never_due(granted, cb_admin):  # noqa: F811 - fixture
    # Renewed until 2041: its records stay however old they are (R2).
    type(granted).objects.filter(pk=granted.pk).update(expires_on=date(2041, 4, 9))
    cb = granted.certification_body
    assert {d.kind.value for d in due_records(cb, date(2040, 1, 1))} & FILE_KINDS == set()
    assert _apply(cb, cb_admin, date(2040, 1, 1)) is None
    assert AuditReport.objects.get().conclusions == "Effective"


def test_the_certification_file_can_be_kept_longer_but_never_deleted(cb, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.policy_update(
            actor=cb_admin,
            certification_body=cb,
            rows=[
                {"kind": "certificates", "years": 10, "action": "delete"},
                {"kind": "decisions", "years": 12, "action": "anonymise"},
            ],
        )
    assert set(refused.value.fields) == {"certificates.action"}
    assert not RetentionPolicy.objects.filter(certification_body=cb).exists()
    services.policy_update(
        actor=cb_admin, certification_body=cb, rows=[{"kind": "decisions", "years": 12, "action": "anonymise"}]
    )
    assert RetentionPolicy.objects.get(certification_body=cb).years == 12
