"""A certification that has ended (withdrawn, refused or expired) has no audit due: nothing lists its open
audits as overdue, a withdrawal retires them, and an expired certification is not proposed for suspension."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit
from conformo.audits.tests.conftest import audit_of
from conformo.certification.selectors import suspension_proposals
from conformo.certification.services import decision_take
from conformo.conftest import login, token_client
from conformo.core.models import AuditLogEntry

AFTER_EXPIRY = date(2029, 4, 10)  # granted 2026-04-10, valid until 2029-04-09


def test_a_withdrawal_retires_the_audits_that_have_not_taken_place_with_an_audit_log_entry(granted, decision_maker):
    stage2 = audit_of(granted.programmes.get(), AuditKind.STAGE_2)
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="withdraw",
        reason="Misuse of marks",
        decided_on=date(2026, 6, 1),
    )
    statuses = dict(Audit.objects.filter(programme__certification=granted).values_list("kind", "status"))
    assert statuses[AuditKind.SURVEILLANCE_1] == "cancelled"
    assert statuses[AuditKind.RECERTIFICATION] == "cancelled"
    assert statuses[AuditKind.STAGE_2] == "completed"  # what took place stays on the record
    retired = AuditLogEntry.objects.filter(action="audit.retire")
    assert retired.count() == 3  # surveillance 1 and 2, recertification
    entry = retired.first()
    assert entry is not None
    assert entry.before == {"status": "planned"}
    assert entry.after == {"status": "cancelled", "reason": "Certification withdraw: Misuse of marks"}
    assert not AuditLogEntry.objects.filter(action="audit.retire", object_id=str(stage2.pk)).exists()


def test_a_suspension_retires_nothing(granted, decision_maker):
    decision_take(
        actor=decision_maker, certification=granted, kind="suspend", reason="Request", decided_on=date(2026, 6, 1)
    )
    assert not AuditLogEntry.objects.filter(action="audit.retire").exists()
    assert Audit.objects.filter(programme__certification=granted, status="planned").count() == 3


def test_an_expired_certification_is_not_proposed_for_suspension(granted, decision_maker):
    # Surveillance 1 was due by 2027-04-10 and never took place: proposed while the certification runs ...
    assert suspension_proposals(user=decision_maker, today=date(2029, 4, 9))
    # ... and no longer once it reads as expired.
    assert suspension_proposals(user=decision_maker, today=AFTER_EXPIRY) == []


def test_the_workspace_lists_no_audit_of_an_expired_certification_as_overdue(granted, programme_manager):
    with time_machine.travel(date(2027, 5, 1), tick=False):
        page = login(programme_manager).get(reverse("audits:home")).content.decode()
        assert "Overdue" in page  # surveillance 1, due by 2027-04-10
    with time_machine.travel(AFTER_EXPIRY, tick=False):
        page = login(programme_manager).get(reverse("audits:home")).content.decode()
    assert "Overdue" not in page
    assert "Surveillance" not in page


def test_the_workspace_lists_no_audit_of_a_withdrawn_certification(granted, programme_manager, decision_maker):
    decision_take(
        actor=decision_maker, certification=granted, kind="withdraw", reason="Misuse", decided_on=date(2027, 5, 1)
    )
    with time_machine.travel(date(2027, 5, 2), tick=False):
        page = login(programme_manager).get(reverse("audits:home")).content.decode()
    assert "Overdue" not in page
    assert "Surveillance" not in page


def test_the_schedule_leaves_out_the_open_audits_of_an_expired_certification(granted, programme_manager, settings):
    settings.API_TOKEN_TTL_DAYS = 10 * 365  # the token is used years later, at the end of the cycle
    recertification = audit_of(granted.programmes.get(), AuditKind.RECERTIFICATION)
    link = reverse("audits:audit-detail", args=[recertification.public_id])
    period: dict[str, str] = {"start": "2029-01-01", "end": "2029-12-31"}
    client, _ = token_client(programme_manager)
    with time_machine.travel(date(2029, 1, 1), tick=False):
        page = login(programme_manager).get(reverse("audits:schedule"), {"days": 365}).content.decode()
        listed = client.get("/api/v1/schedule", period).json()
    assert link in page
    assert [a["id"] for a in listed["items"]] == [str(recertification.public_id)]
    with time_machine.travel(AFTER_EXPIRY, tick=False):
        page = (
            login(programme_manager)
            .get(reverse("audits:schedule"), {"start": "2029-01-01", "days": "365"})
            .content.decode()
        )
        listed = client.get("/api/v1/schedule", period).json()
    assert link not in page
    assert listed["items"] == []


def test_an_open_audit_of_an_ended_certification_reads_as_ended_not_overdue(granted, decision_maker):
    surveillance = audit_of(granted.programmes.get(), AuditKind.SURVEILLANCE_1)
    assert surveillance.timing(date(2027, 5, 1)) == "overdue"
    surveillance.refresh_from_db()
    assert surveillance.timing(AFTER_EXPIRY) == "ended"


def test_only_a_decision_maker_or_a_manager_retires_a_programmes_audits(granted, lead_auditor, client_admin):
    from conformo.audits.services import programme_retire_open_audits
    from conformo.core.errors import PermissionDenied

    for someone in (lead_auditor, client_admin):
        with pytest.raises(PermissionDenied):
            programme_retire_open_audits(actor=someone, certification=granted, reason="Not mine to retire")
    assert Audit.objects.filter(programme__certification=granted, status="planned").count() == 3


def test_a_refusal_retires_the_audits_still_planned(stage1_done, decision_maker):
    decision_take(
        actor=decision_maker, certification=stage1_done.certification, kind="refuse", reason="Scope not auditable"
    )
    statuses = dict(stage1_done.audits.values_list("kind", "status"))
    assert statuses[AuditKind.STAGE_1] == "completed"
    assert {statuses[k] for k in (AuditKind.STAGE_2, AuditKind.SURVEILLANCE_1, AuditKind.RECERTIFICATION)} == {
        "cancelled"
    }
    assert AuditLogEntry.objects.filter(action="audit.retire").count() == 4
