from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.models import Audit, AuditProgramme, AuditReport, CBSettings
from conformo.certificates.models import Certificate, CertificateStandard, StatusChange
from conformo.certificates.services import certificate_apply_decision, certificate_issue
from conformo.certificates.tests.conftest import decide, issue
from conformo.certification.models import Certification
from conformo.certification.services import decision_take
from conformo.conftest import login
from conformo.core.errors import Conflict, PermissionDenied
from conformo.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_a_grant_issues_a_certificate_numbered_by_the_cb_pattern(granted: Certificate) -> None:
    assert granted.number == "NBC-2026-00001"
    assert (granted.base_number, granted.revision, granted.is_current) == ("NBC-2026-00001", 0, True)
    assert granted.status == "active"


def test_the_certificate_holds_the_17021_contents(granted: Certificate) -> None:
    assert granted.holder_name == "Acme Precision Parts"
    assert granted.holder_country == "DE"
    assert granted.holder_address == "Hauptstr. 1, Stuttgart"
    assert [s["name"] for s in granted.sites] == ["Stuttgart plant", "Leipzig warehouse"]
    assert granted.sites[0]["headquarters"] is True
    assert all(s["scope"] == "Machining of precision parts" for s in granted.sites)
    assert granted.standards == [
        {"id": "iso-14001-2015", "designation": "ISO 14001:2015"},
        {"id": "iso-9001-2015", "designation": "ISO 9001:2015"},
    ]
    assert (granted.issued_on, granted.original_issued_on, granted.expires_on) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2029, 3, 1),
    )
    assert granted.cb_name == "Northbridge Certification"
    assert granted.accreditation == "UKAS 0042"
    assert set(CertificateStandard.objects.filter(certificate=granted).values_list("code", flat=True)) == {
        "iso-9001-2015",
        "iso-14001-2015",
    }


def test_without_an_expiry_from_the_programme_the_rules_engine_gives_it(
    certification: Certification, decision_maker: Any
) -> None:
    certificate = issue(certification, "grant", date(2026, 3, 2), decision_maker)
    assert certificate.expires_on == date(2029, 3, 1)


def test_numbers_follow_the_sequence_and_a_custom_pattern(
    certification: Certification, decision_maker: Any, bluewater: Any, qms: Any
) -> None:
    CBSettings.objects.update_or_create(
        certification_body=certification.certification_body,
        defaults={"certificate_number_pattern": "Q{seq:04d}/{year}", "certificate_number_next": 7},
    )
    first = issue(certification, "grant", date(2026, 3, 2), decision_maker)
    other = Certification.objects.create(
        certification_body=certification.certification_body, organization=bluewater, scope="Warehousing"
    )
    other.standards.set([qms])
    second = issue(other, "grant", date(2026, 3, 3), decision_maker)
    assert (first.number, second.number) == ("Q0007/2026", "Q0008/2026")


def test_a_renewal_reissues_with_a_revision_suffix_and_keeps_the_superseded_revision(
    granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    renewed = issue(certification, "renew", date(2029, 1, 15), decision_maker, expires_on=date(2032, 3, 1))
    assert renewed.number == "NBC-2026-00001-R1"
    assert renewed.revision == 1
    assert (renewed.issued_on, renewed.original_issued_on, renewed.expires_on) == (
        date(2029, 1, 15),
        date(2026, 3, 2),
        date(2032, 3, 1),
    )
    granted.refresh_from_db()
    assert granted.is_current is False
    assert granted.superseded_on == date(2029, 1, 15)
    assert Certificate.objects.filter(base_number="NBC-2026-00001").count() == 2


def test_scope_changes_reissue_with_the_new_scope(
    granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    reduced = issue(
        certification, "reduce_scope", date(2026, 9, 1), decision_maker, scope="Machining", reason="Sold a line"
    )
    extended = issue(certification, "extend_scope", date(2027, 2, 1), decision_maker, scope="Machining and coating")
    assert (reduced.number, reduced.scope) == ("NBC-2026-00001-R1", "Machining")
    assert (extended.number, extended.scope) == ("NBC-2026-00001-R2", "Machining and coating")
    assert extended.sites[0]["scope"] == "Machining and coating"
    assert extended.expires_on == granted.expires_on
    assert list(Certificate.objects.filter(is_current=True).values_list("number", flat=True)) == [extended.number]


def test_status_decisions_move_the_status_and_the_history(
    granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    for kind, state, on in (
        ("suspend", "suspended", date(2026, 6, 1)),
        ("restore", "active", date(2026, 7, 1)),
        ("suspend", "suspended", date(2026, 8, 1)),
        ("withdraw", "withdrawn", date(2026, 9, 1)),
    ):
        decision = decide(certification, kind, on, decision_maker, state_after=state, reason="because")
        certificate = certificate_apply_decision(decision=decision, actor=decision_maker)
        assert certificate is not None
        assert certificate.status == state
    history = list(StatusChange.objects.filter(certificate=granted).values_list("event", "status_after"))
    assert history == [
        ("issue", "active"),
        ("suspend", "suspended"),
        ("restore", "active"),
        ("suspend", "suspended"),
        ("withdraw", "withdrawn"),
    ]
    assert Certificate.objects.count() == 1


def test_applying_the_same_decision_twice_changes_nothing(
    granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    assert granted.decision is not None
    again = certificate_apply_decision(decision=granted.decision, actor=decision_maker)
    assert again == granted
    assert Certificate.objects.count() == 1


def test_a_refusal_issues_nothing(certification: Certification, decision_maker: Any) -> None:
    decision = decide(certification, "refuse", date(2026, 3, 2), decision_maker, state_after="refused", reason="x")
    assert certificate_apply_decision(decision=decision, actor=decision_maker) is None
    assert not Certificate.objects.exists()


def test_a_reissue_dated_before_the_current_issue_is_refused(
    granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    decision = decide(certification, "extend_scope", date(2026, 1, 1), decision_maker, scope="More")
    with pytest.raises(Conflict, match="cannot re-issue"):
        certificate_issue(decision=decision, actor=decision_maker)


def test_only_the_cbs_decision_makers_issue(
    certification: Certification, decision_maker: Any, other_cb_admin: Any, client_admin: Any
) -> None:
    decision = decide(certification, "grant", date(2026, 3, 2), decision_maker)
    for user in (other_cb_admin, client_admin):
        with pytest.raises(PermissionDenied):
            certificate_issue(decision=decision, actor=user)


def test_issuing_writes_the_audit_log(granted: Certificate, decision_maker: Any) -> None:
    entry = AuditLogEntry.objects.get(action="certificate.issue")
    assert entry.actor == decision_maker
    assert entry.after is not None
    assert entry.after["number"] == granted.number


def test_a_decision_taken_through_the_decision_service_issues_the_certificate(
    certification: Certification, decision_maker: Any
) -> None:
    # A grant rests on a completed stage 2 of the certification's programme (checked by the domain) ...
    programme = AuditProgramme.objects.create(
        certification_body=certification.certification_body,
        organization=certification.organization,
        certification=certification,
        scope=certification.scope,
    )
    stage2 = Audit.objects.create(
        programme=programme, kind=AuditKind.STAGE_2, status=AuditStatus.COMPLETED, completed_on=date(2026, 2, 27)
    )
    # ... and on its issued report with the team's recommendation (17021-1 9.5.1).
    AuditReport.objects.create(
        audit=stage2,
        kind="audit",
        revision=1,
        status="issued",
        recommendation="grant",
        objectives="Conformity",
        criteria="ISO 9001",
        scope=certification.scope,
        issued_at=timezone.now(),
    )
    decision = decision_take(
        actor=decision_maker, certification=certification, kind="grant", decided_on=date(2026, 3, 2)
    )
    certificate = Certificate.objects.get(decision=decision)  # issued by the decision service's hook
    assert certificate.issued_on >= decision.decided_on
    certification.refresh_from_db()
    suspension = decision_take(
        actor=decision_maker,
        certification=certification,
        kind="suspend",
        reason="No surveillance",
        decided_on=date(2026, 5, 1),
    )
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    assert certificate.status_changes.get(event="suspend").decision == suspension


def test_the_demo_catch_up_issues_missing_certificates_once(certification: Certification, decision_maker: Any) -> None:
    from conformo.certification.demo import certificates_demo_load

    decide(certification, "grant", date(2026, 3, 2), decision_maker, expires_on=date(2029, 3, 1))
    decide(certification, "suspend", date(2026, 5, 2), decision_maker, state_after="suspended", reason="x")
    assert certificates_demo_load() == 2
    assert certificates_demo_load() == 0
    certificate = Certificate.objects.get()
    assert certificate.status == "suspended"
    assert list(certificate.status_changes.values_list("event", flat=True)) == ["issue", "suspend"]


def test_an_isms_certificate_carries_the_soa_version_of_the_report_its_decision_rested_on(
    certification: Certification, decision_maker: Any
) -> None:
    programme = AuditProgramme.objects.create(
        certification_body=certification.certification_body,
        organization=certification.organization,
        certification=certification,
        scope=certification.scope,
    )
    stage2 = Audit.objects.create(programme=programme, kind=AuditKind.STAGE_2, status=AuditStatus.COMPLETED)
    report = AuditReport.objects.create(
        audit=stage2,
        kind="audit",
        revision=1,
        status="issued",
        recommendation="grant",
        soa_version="SoA 3.2 of 2026-01-15",
        objectives="Conformity",
        criteria="ISO/IEC 27001",
        scope=certification.scope,
        issued_at=timezone.now(),
    )
    decision = decide(certification, "grant", date(2026, 3, 2), decision_maker, expires_on=date(2029, 3, 1))
    decision.basis_report = report
    decision.save()
    certificate = certificate_apply_decision(decision=decision, actor=decision_maker)
    assert certificate is not None
    assert certificate.soa_version == "SoA 3.2 of 2026-01-15"
    page = login(decision_maker).get(reverse("certificates:detail", args=[certificate.number]))
    assert "SoA 3.2 of 2026-01-15" in page.content.decode()
    reduced = issue(certification, "reduce_scope", date(2026, 6, 1), decision_maker, scope="Less", reason="Sold")
    assert reduced.soa_version == "SoA 3.2 of 2026-01-15"  # a re-issue without a report keeps it
