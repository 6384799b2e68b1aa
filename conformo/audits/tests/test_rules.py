"""Each enforced rule, tried and refused with its stated reason."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind, FindingStatus
from conformo.audits.models import Audit
from conformo.audits.tests.conftest import audit_of, team
from conformo.audits.tests.factories import qualify
from conformo.certification.services import application_accept, decision_take
from conformo.conftest import token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry


def _post(user, path, body):
    client, _ = token_client(user)
    return client.post("/api/v1" + path, json.dumps(body), content_type="application/json")


def _stage2_with(programme, ready, programme_manager, *grades, extra_member=None):
    """Run stage 2 (2026-03-02..04) raising findings of `grades`; returns the findings."""
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    members = team(ready) + ([extra_member] if extra_member else [])
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 4)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=members)
        services.audit_start(actor=programme_manager, audit=stage2)
        findings = [
            services.finding_raise(
                actor=ready.lead.user,
                audit=stage2,
                grade=g,
                statement=f"{g} finding",
                clauses=[ready.qms.clauses.get(ref="9.2")],
            )
            for g in grades
        ]
    with time_machine.travel(date(2026, 3, 4), tick=False):
        services.audit_complete(actor=programme_manager, audit=stage2)
    return findings


def _close(finding, client_admin, lead_user, verify=True):
    response = services.finding_respond(
        actor=client_admin, finding=finding, correction="c", root_cause="r", corrective_action="a"
    )
    services.finding_response_review(actor=lead_user, response=response, accept=True)
    if verify:
        finding.refresh_from_db()
        services.finding_verify(actor=lead_user, finding=finding, method="on_site", effective=True)


def test_a_decision_by_a_member_of_the_audit_team_is_refused(
    stage1_done, ready, programme_manager, decision_maker, cb_admin
):
    as_auditor = services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=decision_maker)
    qualify(cb_admin, as_auditor, ready.qms, [17])
    _stage2_with(stage1_done, ready, programme_manager, extra_member=services.Member(as_auditor, "technical_expert"))
    with time_machine.travel(date(2026, 3, 10), tick=False):
        response = _post(
            decision_maker, f"/certifications/{stage1_done.certification.public_id}/decisions", {"kind": "grant"}
        )
    assert response.status_code == 403
    assert response.json()["code"] == "decision_maker_on_team"
    assert "9.5.1.2" in response.json()["detail"]
    stage1_done.certification.refresh_from_db()
    assert stage1_done.certification.state == "pending"


def test_a_decision_with_an_unverified_major_is_refused(
    stage1_done, ready, programme_manager, decision_maker, client_admin
):
    major, minor = _stage2_with(stage1_done, ready, programme_manager, "major", "minor")
    _close(minor, client_admin, ready.lead.user, verify=False)
    _close(major, client_admin, ready.lead.user, verify=False)
    with time_machine.travel(date(2026, 3, 20), tick=False):
        response = _post(
            decision_maker, f"/certifications/{stage1_done.certification.public_id}/decisions", {"kind": "grant"}
        )
    assert response.status_code == 409
    assert response.json()["code"] == "major_nc_unverified"
    assert "1 major" in response.json()["detail"]


def test_a_decision_after_the_six_month_stage_2_limit_needs_a_new_stage_2(
    stage1_done, ready, programme_manager, decision_maker, client_admin
):
    (major,) = _stage2_with(stage1_done, ready, programme_manager, "major")
    with time_machine.travel(date(2026, 9, 1), tick=False):
        _close(major, client_admin, ready.lead.user)
    with time_machine.travel(date(2026, 9, 10), tick=False), pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    assert refused.value.code == "stage2_limit_passed"
    assert "new stage 2" in refused.value.message


def test_a_decision_with_a_minor_without_accepted_plan_is_refused(
    stage1_done, ready, programme_manager, decision_maker
):
    _stage2_with(stage1_done, ready, programme_manager, "minor")
    with time_machine.travel(date(2026, 3, 20), tick=False), pytest.raises(Conflict) as refused:
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    assert refused.value.code == "minor_plan_not_accepted"


def test_only_a_decision_maker_decides(stage1_done, ready, programme_manager, cb_admin):
    with pytest.raises(PermissionDenied) as refused:
        decision_take(actor=cb_admin, certification=stage1_done.certification, kind="grant")
    assert refused.value.code == "not_decision_maker"


def test_a_team_without_coverage_of_a_sector_code_is_refused_and_the_check_is_stored(
    ready, acme, acme_sites, programme_manager
):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = services.application_submit(
            actor=programme_manager,
            certification_body=ready.cb,
            organization=acme,
            standards=[ready.qms],
            scope="Machining and assembly",
            sites=acme_sites,
            sector_codes=[17, 18],
        )
        services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
        stage1 = audit_of(programme, AuditKind.STAGE_1)
        response = _post(
            programme_manager,
            f"/audits/{stage1.public_id}/team",
            {"members": [{"auditor_id": str(ready.lead.public_id), "role": "lead_auditor"}]},
        )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "team_missing_sector_code"
    assert "IAF sector code 18" in body["detail"]
    stage1.refresh_from_db()
    assert stage1.eligibility_ok is False
    assert stage1.eligibility["reasons"][0]["code"] == "team_missing_sector_code"
    assert not stage1.team.exists()
    assert AuditLogEntry.objects.filter(action="audit.team_refused").exists()


def test_an_auditor_inside_the_cooling_off_period_is_refused(programme, ready, acme, programme_manager, cb_admin):
    services.conflict_declare(
        actor=cb_admin,
        auditor=ready.auditor,
        organization=acme,
        started_on=date(2024, 1, 1),
        ended_on=date(2025, 6, 30),
        description="QMS consultancy",
    )
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 1), tick=False), pytest.raises(Conflict) as refused:
        services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    assert refused.value.code == "auditor_in_cooling_off"
    assert "cooling-off runs to 2027-06-30" in refused.value.message


def test_an_auditor_past_the_cooling_off_period_may_join(programme, ready, acme, programme_manager, cb_admin):
    services.conflict_declare(
        actor=cb_admin,
        auditor=ready.auditor,
        organization=acme,
        started_on=date(2020, 1, 1),
        ended_on=date(2023, 6, 30),
    )
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 1), tick=False):
        services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    assert stage1.eligibility_ok is True


def test_a_lead_auditor_must_be_qualified_as_lead(programme, ready, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    members = [services.Member(ready.auditor, "lead_auditor"), services.Member(ready.lead, "auditor")]
    with pytest.raises(Conflict) as refused:
        services.audit_team_assign(actor=programme_manager, audit=stage1, members=members)
    assert "lead_auditor_not_qualified" in [r["code"] for r in stage1.eligibility["reasons"]]
    assert refused.value.fields["team"]


def test_stage_2_cannot_start_before_stage_1_is_completed(programme, ready, programme_manager):
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    Audit.objects.filter(pk=stage2.pk).update(planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3))
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    response = _post(programme_manager, f"/audits/{stage2.public_id}/start", {})
    assert response.status_code == 409
    assert response.json()["code"] == "stage1_not_completed"


def test_stage_2_can_start_with_a_justified_combined_audit(programme, ready, programme_manager):
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    services.programme_record_combined_audit(
        actor=programme_manager, programme=programme, justification="Small single-site client, combined visit."
    )
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage2)
    assert stage2.status == "in_progress"


def test_stage_2_cannot_be_planned_before_stage_1_ends(programme, ready, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 3)
    )
    with pytest.raises(Conflict) as refused:
        services.audit_plan(
            actor=programme_manager,
            audit=audit_of(programme, AuditKind.STAGE_2),
            planned_start=date(2026, 2, 1),
            planned_end=date(2026, 2, 2),
        )
    assert refused.value.code == "stage2_before_stage1"


def test_a_surveillance_scheduled_past_its_limit_is_refused(programme, programme_manager):
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    limit = surveillance.due_by
    response = _post(
        programme_manager,
        f"/audits/{surveillance.public_id}/plan",
        {
            "planned_start": limit.isoformat(),
            "planned_end": date(limit.year, limit.month, limit.day).replace(year=limit.year + 1).isoformat(),
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "surveillance_past_limit"
    assert "9.1.3.3" in response.json()["detail"]
    surveillance.refresh_from_db()
    assert surveillance.planned_start is None


def test_an_unplanned_surveillance_close_to_its_limit_is_at_risk_and_overdue_after(programme):
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    limit = surveillance.due_by
    assert surveillance.timing(date(2026, 6, 1)) == "on_track"
    assert surveillance.timing(limit.replace(day=1)) == "at_risk"
    assert surveillance.timing(date(limit.year + 1, 1, 1)) == "overdue"


def test_remote_days_count_as_audit_time_under_the_default_policy(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager,
        audit=stage1,
        planned_start=date(2026, 2, 2),
        planned_end=date(2026, 2, 3),
        onsite_days=Decimal(1),
        remote_days=Decimal(1),
    )
    stage1.refresh_from_db()
    assert (stage1.days, stage1.remote_days) == (Decimal(2), Decimal(1))


def test_a_remote_share_above_the_cbs_policy_is_refused_with_its_source(programme, programme_manager, cb_admin):
    services.cb_settings_update(actor=cb_admin, certification_body=programme.certification_body, max_remote_percent=25)
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with pytest.raises(ValidationFailed) as refused:
        services.audit_plan(
            actor=programme_manager,
            audit=stage1,
            planned_start=date(2026, 2, 2),
            planned_end=date(2026, 2, 3),
            onsite_days=Decimal(1),
            remote_days=Decimal(1),
        )
    assert refused.value.code == "remote_share_too_high"
    assert "IAF MD 4" in refused.value.message


def test_a_declined_application_keeps_its_reason_for_the_client(
    ready, acme, acme_sites, client_admin, programme_manager
):
    application = services.application_submit(
        actor=client_admin,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Parts",
        sites=acme_sites,
        sector_codes=[17],
    )
    services.application_decline(actor=programme_manager, application=application, reason="No capacity this year")
    client, _ = token_client(client_admin)
    body = client.get(f"/api/v1/applications/{application.public_id}").json()
    assert body["status"] == "declined"
    assert body["decision_reason"] == "No capacity this year"


def test_a_review_explains_missing_accreditation_and_competence(ready, acme, acme_sites, programme_manager):
    application = services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Parts and food",
        sites=acme_sites,
        sector_codes=[17, 3],
    )
    review = services.application_review(actor=programme_manager, application=application)
    failed = {c["code"]: c["message"] for c in review.checks if not c["ok"]}
    assert "sector_not_accredited" in failed
    assert "3" in failed["sector_not_accredited"]
    assert "no_competent_auditor" in failed
    with pytest.raises(Conflict) as refused:
        application_accept(actor=programme_manager, application=application)
    assert refused.value.code == "review_failed"
    assert "sector code(s) 3" in refused.value.message


def test_a_rejected_response_goes_back_to_the_client(stage1_done, ready, programme_manager, client_admin):
    (minor,) = _stage2_with(stage1_done, ready, programme_manager, "minor")
    response = services.finding_respond(
        actor=client_admin, finding=minor, correction="c", root_cause="r", corrective_action="a"
    )
    with pytest.raises(ValidationFailed):
        services.finding_response_review(actor=ready.lead.user, response=response, accept=False)
    services.finding_response_review(actor=ready.lead.user, response=response, accept=False, comment="Root cause?")
    minor.refresh_from_db()
    assert minor.status == FindingStatus.OPEN


def test_a_finding_may_cite_clauses_of_several_standards(ready, acme, acme_sites, programme_manager):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = services.application_submit(
            actor=programme_manager,
            certification_body=ready.cb,
            organization=acme,
            standards=[ready.qms, ready.ems],
            scope="Parts",
            sites=acme_sites,
            sector_codes=[17],
        )
        review = services.application_review(actor=programme_manager, application=application)
        assert review.ok, review.checks
        programme = application_accept(actor=programme_manager, application=application)
    services.programme_record_combined_audit(
        actor=programme_manager, programme=programme, justification="Combined visit justified in file"
    )
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage2)
    clauses = [ready.qms.clauses.get(ref="7.5"), ready.ems.clauses.get(ref="6.1.2")]
    finding = services.finding_raise(
        actor=ready.lead.user, audit=stage2, grade="minor", statement="Aspects register", clauses=clauses
    )
    assert {c.standard.code for c in finding.clauses.all()} == {"iso-9001-2015", "iso-14001-2015"}


def test_a_remote_share_above_100_percent_is_not_a_setting(programme, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.cb_settings_update(
            actor=cb_admin, certification_body=programme.certification_body, max_remote_percent_isms=120
        )
    assert "max_remote_percent_isms" in refused.value.fields
