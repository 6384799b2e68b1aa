"""The register of threats, its reviews, the committee and related bodies (ISO/IEC 17021-1 5.2)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from conformo.audits import services as audit_services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of, team
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.impartiality import services
from conformo.impartiality.models import CommitteeMeeting, Threat, ThreatReview
from conformo.inbox.choices import ItemKind
from conformo.inbox.tests.helpers import items

pytestmark = pytest.mark.django_db


def test_a_threat_is_assessed_and_due_for_review_one_interval_later(threat):
    assert (threat.level, threat.residual_level, threat.review_due_on) == ("medium", "low", date(2027, 1, 10))
    assert AuditLogEntry.objects.filter(action="threat.create", object_id=str(threat.pk)).exists()


def test_the_review_interval_is_the_cbs_setting(cb, cb_admin):
    services.settings_update(actor=cb_admin, certification_body=cb, review_months=6)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        threat = services.threat_create(
            actor=cb_admin,
            certification_body=cb,
            kind="self_interest",
            source="financing",
            title="One client pays a fifth of the fees",
            likelihood=3,
            severity=3,
            residual_level="medium",
        )
    assert (threat.level, threat.review_due_on) == ("high", date(2026, 9, 1))


@pytest.mark.parametrize("months", [0, 37])
def test_a_review_interval_outside_1_to_36_months_is_refused(cb, cb_admin, months):
    with pytest.raises(ValidationFailed) as refused:
        services.settings_update(actor=cb_admin, certification_body=cb, review_months=months)
    assert "review_months" in refused.value.fields


def test_bad_assessments_are_refused_field_by_field_and_nothing_is_written(cb, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.threat_create(
            actor=cb_admin,
            certification_body=cb,
            kind="greed",
            source="personnel",
            title=" ",
            likelihood=4,
            severity=0,
            residual_level="tiny",
        )
    assert set(refused.value.fields) == {"kind", "title", "likelihood", "severity", "residual_level"}
    assert not Threat.objects.exists()


def test_only_the_cb_administrator_keeps_the_register(cb, programme_manager, other_cb_admin):
    for actor in (programme_manager, other_cb_admin):
        with pytest.raises(PermissionDenied):
            services.settings_update(actor=actor, certification_body=cb, review_months=6)


def test_a_review_moves_the_next_one_and_keeps_the_history(threat, cb_admin):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.threat_review(
            actor=cb_admin, threat=threat, reviewed_on=date(2026, 12, 1), outcome="Rotation done.", residual_level="low"
        )
    threat.refresh_from_db()
    assert (threat.last_reviewed_on, threat.review_due_on) == (date(2026, 12, 1), date(2027, 12, 1))
    assert ThreatReview.objects.get(threat=threat).reviewed_by == cb_admin


def test_an_overdue_review_is_on_the_cb_administrators_work_list(threat, cb_admin, programme_manager):
    on_time = [i for i in items(cb_admin, date(2027, 1, 10)) if i.kind == ItemKind.IMPARTIALITY_REVIEW_DUE]
    late = [i for i in items(cb_admin, date(2027, 1, 11)) if i.kind == ItemKind.IMPARTIALITY_REVIEW_DUE]
    assert on_time == []
    assert [(i.title, i.due, i.overdue) for i in late] == [
        ("Review “Long-standing lead auditor of the same clients”", date(2027, 1, 10), True)
    ]
    assert not [i for i in items(programme_manager, date(2027, 2, 1)) if i.kind == ItemKind.IMPARTIALITY_REVIEW_DUE]


def test_a_retired_threat_is_no_longer_reviewed(threat, cb_admin):
    services.threat_retire(actor=cb_admin, threat=threat, reason="The auditor left.")
    with pytest.raises(Conflict):
        services.threat_review(
            actor=cb_admin, threat=threat, reviewed_on=date(2026, 2, 1), outcome="x", residual_level="low"
        )
    assert not [i for i in items(cb_admin, date(2028, 1, 1)) if i.kind == ItemKind.IMPARTIALITY_REVIEW_DUE]


def test_a_meeting_reviews_the_threats_it_names_in_one_transaction(threat, cb, cb_admin, other_cb_admin):
    member = services.committee_member_add(
        actor=cb_admin, certification_body=cb, name="Dr. Ana Ruiz", interest="Clients", joined_on=date(2025, 1, 1)
    )
    with time_machine.travel(date(2026, 6, 1), tick=False):
        meeting = services.meeting_record(
            actor=cb_admin,
            certification_body=cb,
            held_on=date(2026, 6, 1),
            attendees=[member],
            agenda="Annual review of the register",
            minutes="Controls adequate.",
            reviewed=[threat],
            outcome="Rotation confirmed.",
        )
    review = ThreatReview.objects.get(threat=threat)
    assert (review.meeting, review.reviewed_on, review.outcome) == (meeting, date(2026, 6, 1), "Rotation confirmed.")
    threat.refresh_from_db()
    assert threat.review_due_on == date(2027, 6, 1)


def test_a_refused_meeting_records_nothing(threat, cb, cb_admin, other_cb):
    stranger = services.committee_member_add(
        actor=cb_admin, certification_body=cb, name="A", interest="Industry", joined_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationFailed) as refused:
        services.meeting_record(
            actor=cb_admin,
            certification_body=cb,
            held_on=date(2026, 1, 20),
            attendees=[stranger],
            agenda="Review",
            minutes="Minutes",
            reviewed=[threat],
            outcome="",
        )
    assert "outcome" in refused.value.fields
    assert not CommitteeMeeting.objects.exists()
    assert not ThreatReview.objects.exists()


def test_a_related_bodys_consultancy_bars_every_auditor_in_the_cooling_off_period(
    programme, ready, acme, cb, cb_admin, programme_manager
):
    body = services.related_body_create(
        actor=cb_admin,
        certification_body=cb,
        name="Quality Partners Ltd",
        relationship="Same owner",
        services="ISO 9001 consultancy",
    )
    services.related_body_relationship_declare(
        actor=programme_manager,
        related_body=body,
        organization=acme,
        started_on=date(2024, 1, 1),
        ended_on=date(2025, 6, 30),
    )
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 1), tick=False):
        check = audit_services.audit_team_check(stage1, team(ready))
        eligibility = audit_services.auditor_eligibility(stage1, [ready.lead, ready.auditor])
        with pytest.raises(Conflict) as refused:
            audit_services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    codes = [r["code"] for r in check["reasons"]]
    assert codes == ["client_consulted_by_related_body"]  # said once for the team
    assert "cooling-off runs to 2027-06-30" in check["reasons"][0]["message"]
    assert all(not e.eligible for e in eligibility.values())
    assert refused.value.code == "client_consulted_by_related_body"


def test_a_related_bodys_consultancy_past_the_cooling_off_period_bars_nobody(
    programme, ready, acme, cb, cb_admin, programme_manager
):
    body = services.related_body_create(actor=cb_admin, certification_body=cb, name="QP", relationship="Owner")
    services.related_body_relationship_declare(
        actor=cb_admin, related_body=body, organization=acme, started_on=date(2020, 1, 1), ended_on=date(2023, 12, 31)
    )
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 1), tick=False):
        check = audit_services.audit_team_check(stage1, team(ready))
    assert check["ok"], check["reasons"]


def test_another_cbs_related_body_does_not_bar_this_cbs_auditors(programme, ready, acme, other_cb, other_cb_admin):
    body = services.related_body_create(
        actor=other_cb_admin, certification_body=other_cb, name="Elsewhere", relationship="Owner"
    )
    services.related_body_relationship_declare(
        actor=other_cb_admin, related_body=body, organization=acme, started_on=date(2025, 1, 1)
    )
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 1), tick=False):
        assert audit_services.audit_team_check(stage1, team(ready))["ok"]


def test_a_reassessment_finds_the_level_again_and_is_logged(threat, cb_admin):
    services.threat_reassess(actor=cb_admin, threat=threat, likelihood=3, severity=3, controls="Rotation and a cap.")
    threat.refresh_from_db()
    assert (threat.level, threat.controls, threat.residual_level) == ("high", "Rotation and a cap.", "low")
    entry = AuditLogEntry.objects.get(action="threat.reassess")
    assert entry.before == {"likelihood": 2, "severity": 2, "level": "medium"}
    with pytest.raises(ValidationFailed):
        services.threat_reassess(actor=cb_admin, threat=threat, likelihood=0, severity=3, controls="")
