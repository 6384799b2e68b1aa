"""Certification decisions move the certification through the domain state machine, with reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.certification.models import Decision
from conformo.certification.services import application_accept, decision_take
from conformo.certification.tests.conftest import issue_report, team
from conformo.conftest import login
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.domain.errors import IllegalTransition


def test_grant_sets_the_expiry_from_the_rules_engine(granted):
    assert granted.state == "active"
    assert granted.expires_on == date(2029, 4, 9)
    assert granted.original_decision_on == date(2026, 4, 10)


def test_a_grant_is_recorded_with_decider_reason_date_and_the_states(granted, decision_maker):
    decision = Decision.objects.get(certification=granted)
    assert (decision.kind, decision.decided_by, decision.decided_on) == ("grant", decision_maker, date(2026, 4, 10))
    assert (decision.state_before, decision.state_after) == ("pending", "active")
    assert AuditLogEntry.objects.filter(action="certification.grant", object_id=str(granted.pk)).exists()


def test_suspend_needs_a_reason(granted, decision_maker):
    with pytest.raises(ValidationFailed) as refused:
        decision_take(actor=decision_maker, certification=granted, kind="suspend")
    assert refused.value.code == "reason_required"


def test_restore_needs_the_issue_resolved(granted, decision_maker):
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="suspend",
        reason="Client request",
        decided_on=date(2026, 6, 1),
    )
    with pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=granted, kind="restore", decided_on=date(2026, 7, 1))
    assert "not resolved" in refused.value.message


def test_a_withdrawn_certification_takes_no_further_decision(granted, decision_maker):
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="withdraw",
        reason="Fraudulent use of marks",
        decided_on=date(2026, 6, 1),
    )
    with pytest.raises(Conflict) as refused:
        decision_take(
            actor=decision_maker,
            certification=granted,
            kind="restore",
            issue_resolved=True,
            decided_on=date(2026, 7, 1),
        )
    assert refused.value.code == "illegal_transition"
    assert "withdrawn" in refused.value.message


def test_reduce_scope_changes_the_scope_and_keeps_it_active(granted, decision_maker):
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="reduce_scope",
        reason="Plant closed",
        scope="Machining of precision parts (Stuttgart only)",
        scope_lines=[{"standard": "iso-9001-2015", "activity": "Machining of precision parts", "sector_codes": [17]}],
        decided_on=date(2026, 6, 1),
    )
    granted.refresh_from_db()
    assert granted.state == "active"
    assert granted.scope == "Machining of precision parts (Stuttgart only)"


def test_extend_scope_needs_an_audited_extension(granted, decision_maker, programme_manager, ready):
    with pytest.raises(Conflict) as refused:
        decision_take(
            actor=decision_maker,
            certification=granted,
            kind="extend_scope",
            scope="Parts and assembly",
            decided_on=date(2026, 6, 1),
        )
    assert refused.value.code == "extension_not_audited"
    programme = granted.programmes.get()
    special = services.special_audit_create(
        actor=programme_manager, programme=programme, purpose="scope_extension", due_by=None, days=Decimal(1)
    )
    services.audit_team_assign(actor=programme_manager, audit=special, members=team(ready))
    services.audit_start(actor=programme_manager, audit=special, on=date(2026, 6, 2))
    services.audit_complete(actor=programme_manager, audit=special, on=date(2026, 6, 3))
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="extend_scope",
        scope="Parts and assembly",
        decided_on=date(2026, 6, 10),
    )
    granted.refresh_from_db()
    assert granted.scope == "Parts and assembly"


def test_refuse_is_possible_before_a_grant(stage1_done, decision_maker):
    decision_take(
        actor=decision_maker, certification=stage1_done.certification, kind="refuse", reason="System not implemented"
    )
    assert stage1_done.certification.state == "refused"


def test_renew_needs_the_recertification_audit(granted, decision_maker):
    with pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=granted, kind="renew", decided_on=date(2029, 3, 1))
    assert refused.value.code == "recertification_not_completed"


def test_an_active_certification_reads_expired_after_its_expiry_even_without_a_job(granted):
    assert granted.effective_state(date(2029, 4, 9)) == "active"
    assert granted.effective_state(date(2029, 4, 10)) == "expired"


def test_an_overdue_surveillance_proposes_suspension(granted, decision_maker):
    from conformo.certification.selectors import suspension_proposals

    assert suspension_proposals(user=decision_maker, today=date(2027, 4, 10)) == []
    proposals = suspension_proposals(user=decision_maker, today=date(2027, 4, 11))
    assert [p["certification"] for p in proposals] == [granted]
    assert "Surveillance 1 was due by 2027-04-10" in proposals[0]["reasons"][0]


def test_the_surveillance_limits_follow_the_decision(granted):
    due = {a.kind: a.due_by for a in granted.programmes.get().audits.all()}
    assert due[AuditKind.SURVEILLANCE_1] == date(2027, 4, 10)
    assert due[AuditKind.RECERTIFICATION] == date(2029, 4, 9)


def test_a_transfer_takes_over_the_cycle_at_its_current_stage(
    ready, acme, acme_sites, programme_manager, decision_maker
):
    with time_machine.travel(date(2026, 5, 1), tick=False):
        application = services.application_submit(
            actor=programme_manager,
            certification_body=ready.cb,
            organization=acme,
            standards=[ready.qms],
            scope="Parts",
            sites=acme_sites,
            sector_codes=[17],
            transfer={
                "issuing_cb": "Old CB Ltd",
                "issuing_cb_accredited": True,
                "certificate_number": "OLD-1",
                "expires_on": "2027-09-30",
                "suspended": False,
                "current_stage": "surveillance2",
            },
        )
        review = services.application_review(actor=programme_manager, application=application)
        assert review.ok, review.checks
        programme = application_accept(actor=programme_manager, application=application)
    kinds = list(programme.audits.values_list("kind", flat=True))
    assert kinds == ["transfer_review", "surveillance2", "recertification"]
    assert programme.expires_on == date(2027, 9, 30)
    review_audit = programme.audits.get(kind="transfer_review")
    services.audit_team_assign(actor=programme_manager, audit=review_audit, members=team(ready))
    services.audit_start(actor=programme_manager, audit=review_audit, on=date(2026, 5, 10))
    services.audit_complete(actor=programme_manager, audit=review_audit, on=date(2026, 5, 10))
    issue_report(review_audit, ready.lead.user)
    decision_take(
        actor=decision_maker, certification=programme.certification, kind="grant", decided_on=date(2026, 5, 20)
    )
    programme.certification.refresh_from_db()
    assert programme.certification.expires_on == date(2027, 9, 30)
    assert programme.certification.transferred_from == "Old CB Ltd"


def test_a_suspended_certification_cannot_be_transferred(ready, acme, acme_sites, programme_manager):
    application = services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Parts",
        sites=acme_sites,
        sector_codes=[17],
        transfer={
            "issuing_cb": "Old CB",
            "issuing_cb_accredited": True,
            "certificate_number": "X",
            "expires_on": "2099-01-01",
            "suspended": True,
            "current_stage": "surveillance1",
        },
    )
    review = services.application_review(actor=programme_manager, application=application)
    assert not review.ok
    assert "transfer_suspended" in [c["code"] for c in review.checks if not c["ok"]]


@pytest.mark.parametrize(
    ("kind", "extra", "code"),
    [
        ("suspend", {}, "reason_required"),
        ("renew", {"decided_on": date(2029, 3, 1)}, "recertification_not_completed"),
        ("extend_scope", {"scope": "Parts and assembly", "decided_on": date(2026, 6, 1)}, "extension_not_audited"),
        ("restore", {"decided_on": date(2026, 7, 1)}, "illegal_transition"),
    ],
)
def test_each_refusal_of_a_decision_is_the_domain_s_refusal_with_its_code(granted, decision_maker, kind, extra, code):
    with pytest.raises((Conflict, ValidationFailed)) as refused:
        decision_take(actor=decision_maker, certification=granted, kind=kind, **extra)
    assert refused.value.code == code
    cause = refused.value.__cause__
    assert isinstance(cause, IllegalTransition), "the service refused on its own instead of asking the domain"
    assert cause.code == code
    assert refused.value.message.rstrip(".").lower() == cause.message.lower()


def test_a_refused_grant_names_the_domain_as_its_source(stage1_done, decision_maker):
    with pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    assert refused.value.code == "stage2_not_completed"
    assert isinstance(refused.value.__cause__, IllegalTransition)
    assert refused.value.__cause__.clause == "ISO/IEC 17021-1:2015 9.5.2"


def _stage2_completed(stage1_done, ready, programme_manager):
    stage2 = stage1_done.audits.get(kind=AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
    return stage2


def test_a_grant_without_the_issued_stage_2_report_is_refused_by_the_domain_citing_9_5_1(
    stage1_done, ready, programme_manager, decision_maker
):
    stage2 = _stage2_completed(stage1_done, ready, programme_manager)
    services.report_draft(actor=ready.lead.user, audit=stage2)  # a draft is not a basis for a decision
    with time_machine.travel(date(2026, 4, 10), tick=False), pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    assert refused.value.code == "report_not_issued"
    assert "9.5.1" in refused.value.message
    assert isinstance(refused.value.__cause__, IllegalTransition)
    assert stage1_done.certification.decisions.count() == 0


def test_a_grant_records_the_report_revision_it_rested_on(stage1_done, ready, programme_manager, decision_maker):
    stage2 = _stage2_completed(stage1_done, ready, programme_manager)
    issue_report(stage2, ready.lead.user)
    services.report_revise(actor=ready.lead.user, audit=stage2, reason="Scope wording corrected")
    services.report_issue(actor=ready.lead.user, audit=stage2)
    with time_machine.travel(date(2026, 4, 10), tick=False):
        decision = decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    report = decision.basis_report
    assert report is not None
    assert (report.audit, report.revision) == (stage2, 2)


def test_a_renewal_without_the_issued_recertification_report_is_refused(
    granted, ready, programme_manager, decision_maker
):
    recert = granted.programmes.get(active=True).audits.get(kind=AuditKind.RECERTIFICATION)
    with time_machine.travel(date(2029, 2, 1), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=recert, planned_start=date(2029, 2, 1), planned_end=date(2029, 2, 2)
        )
        services.audit_team_assign(actor=programme_manager, audit=recert, members=team(ready))
        services.audit_start(actor=programme_manager, audit=recert)
        services.audit_complete(actor=programme_manager, audit=recert, on=date(2029, 2, 2))
    with pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=granted, kind="renew", decided_on=date(2029, 3, 1))
    assert refused.value.code == "report_not_issued"
    issue_report(recert, ready.lead.user, recommendation="renew", surveillance_review="Complaints reviewed")
    renewal = decision_take(actor=decision_maker, certification=granted, kind="renew", decided_on=date(2029, 3, 1))
    assert renewal.basis_report is not None
    assert renewal.basis_report.audit == recert


def test_the_certifications_list_finds_those_proposed_for_suspension(granted, decision_maker):
    with time_machine.travel("2027-04-11", tick=False):
        client = login(decision_maker)
        # The list asks for its proposals once drawn (certification:proposals).
        assert "/certification/suspension-proposals/" in client.get("/certification/").content.decode()
        assert "Suspension proposed (1)" in client.get("/certification/suspension-proposals/").content.decode()
        proposed = client.get("/certification/", {"suspension": "proposed"}).content.decode()
        assert "1 certification matches" in proposed
        assert str(granted.public_id) in proposed
    with time_machine.travel("2027-04-10", tick=False):
        assert (
            "0 certifications match"
            in login(decision_maker).get("/certification/?suspension=proposed").content.decode()
        )
