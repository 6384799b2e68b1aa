"""My work of the certification body's people: programme managers, the audit team, the lead, decision makers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of, issue_report, team
from conformo.core.roles import Role
from conformo.core.tests.factories import MembershipFactory
from conformo.inbox.choices import LEAD_AUDITOR, ItemKind
from conformo.inbox.tests.helpers import agrees, items, kinds, only

pytestmark = pytest.mark.django_db

ACCEPTED = date(2026, 1, 5)  # Acme's programme: stage 1 due 2026-04-05, stage 2 due 2026-07-04


@pytest.fixture
def stage2_reported(stage1_done, ready, programme_manager):
    """Acme's stage 2 held on 2026-03-02/03 by the lead and the auditor, its report issued recommending the grant."""
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
        issue_report(stage2, ready.lead.user)
    return stage2


def test_a_programme_manager_plans_the_audits_whose_window_has_opened(programme, programme_manager):
    item = only(programme_manager, ACCEPTED, ItemKind.AUDIT_TO_PLAN)
    assert (item.audit, item.organization, item.due) == ("Stage 1", "Acme Precision Parts", date(2026, 4, 5))
    assert item.title == "Plan the dates and lead auditor"
    assert item.role == Role.PROGRAMME_MANAGER
    assert item.url == f"/cb/audits/{audit_of(programme, AuditKind.STAGE_1).public_id}/"
    assert not item.overdue


def test_stage_2_enters_the_list_the_day_its_planning_window_opens(programme, programme_manager):
    def stages(today):
        return [i.audit for i in items(programme_manager, today) if i.kind == ItemKind.AUDIT_TO_PLAN]

    assert stages(date(2026, 4, 4)) == ["Stage 1"]
    assert stages(date(2026, 4, 5)) == ["Stage 1", "Stage 2"]


def test_an_unplanned_audit_past_its_due_date_is_overdue_and_first(programme, programme_manager):
    listed = items(programme_manager, date(2026, 4, 6))
    assert [(i.audit, i.overdue) for i in listed] == [("Stage 1", True), ("Stage 2", False)]


def test_a_cb_administrator_gets_the_same_work_as_its_own_role(programme, cb_admin):
    item = only(cb_admin, ACCEPTED, ItemKind.AUDIT_TO_PLAN)
    assert item.role == Role.CB_ADMIN


def test_an_audit_with_dates_and_a_lead_is_no_longer_to_plan(stage1, programme_manager):
    assert ItemKind.AUDIT_TO_PLAN not in kinds(programme_manager, ACCEPTED)


def test_an_audit_planned_to_end_after_its_due_date_is_at_risk(stage1, programme_manager):
    services.audit_plan(
        actor=programme_manager, audit=stage1, planned_start=date(2026, 4, 4), planned_end=date(2026, 4, 7)
    )
    item = only(programme_manager, ACCEPTED, ItemKind.AUDIT_WINDOW_AT_RISK)
    assert item.title.startswith("Planned to end 2026-04-07, after its due date")
    assert item.due == date(2026, 4, 5)


def test_a_planned_audit_not_held_by_its_due_date_is_at_risk_and_overdue(stage1, programme_manager):
    item = only(programme_manager, date(2026, 4, 6), ItemKind.AUDIT_WINDOW_AT_RISK)
    assert item.overdue
    assert "has not started" in item.title


def test_the_lead_auditor_prepares_the_plan_and_everyone_on_the_team_the_audit(stage1, ready):
    lead, auditor = ready.lead.user, ready.auditor.user
    plan = only(lead, date(2026, 1, 20), ItemKind.PLAN_TO_PREPARE)
    assert (plan.role, plan.due, plan.title) == (
        LEAD_AUDITOR,
        date(2026, 2, 2),
        "Prepare the audit plan and issue it to the client",
    )
    assert plan.url.endswith("#audit-plan")
    assert kinds(auditor, date(2026, 1, 20)) == [ItemKind.AUDIT_TO_PREPARE]
    coming = only(lead, date(2026, 1, 20), ItemKind.AUDIT_TO_PREPARE)
    assert coming.title == "Prepare for the audit: it starts 2026-02-02"


def test_an_audit_comes_up_thirty_days_before_it_starts(stage1, ready):
    assert kinds(ready.auditor.user, date(2026, 1, 2)) == []
    assert kinds(ready.auditor.user, date(2026, 1, 3)) == [ItemKind.AUDIT_TO_PREPARE]


def test_an_audit_not_started_on_its_day_is_overdue_for_its_team(stage1, ready):
    item = only(ready.auditor.user, date(2026, 2, 3), ItemKind.AUDIT_TO_PREPARE)
    assert item.overdue
    assert item.title == "Start the audit: its planned start has passed"


def test_an_issued_plan_is_off_the_leads_list_and_a_new_draft_puts_it_back(issued, programme_manager, ready):
    lead = ready.lead.user
    assert ItemKind.PLAN_TO_PREPARE not in kinds(lead, date(2026, 1, 20))
    services.plan_update(actor=programme_manager, audit=issued.audit, language="German")
    item = only(lead, date(2026, 1, 20), ItemKind.PLAN_TO_PREPARE)
    assert item.title == "Issue the new version of the audit plan to the client"


def test_an_auditor_sees_nothing_of_audits_whose_team_they_are_not_on(stage1, ready, cb, cb_admin):
    from conformo.core.tests.factories import UserFactory

    stranger = UserFactory.create(email="stranger@northbridge.test")
    MembershipFactory.create(user=stranger, role=Role.AUDITOR, certification_body=cb)
    services.auditor_register(actor=cb_admin, certification_body=cb, user=stranger)
    assert items(stranger, date(2026, 2, 3)) == []


def test_the_report_of_a_completed_audit_is_due_for_its_lead(stage1_done, ready):
    item = only(ready.lead.user, date(2026, 3, 4), ItemKind.REPORT_DUE)
    assert (item.due, item.overdue, item.title) == (date(2026, 3, 4), False, "Write and issue the stage 1 report")
    assert item.url.endswith("#audit-report")
    assert only(ready.lead.user, date(2026, 3, 5), ItemKind.REPORT_DUE).overdue
    assert ItemKind.REPORT_DUE not in kinds(ready.auditor.user, date(2026, 3, 5))


def test_an_issued_report_is_no_longer_due(stage1_done, ready):
    issue_report(audit_of(stage1_done, AuditKind.STAGE_1), ready.lead.user)
    assert ItemKind.REPORT_DUE not in kinds(ready.lead.user, date(2026, 3, 5))


def test_the_team_reviews_a_response_then_verifies_the_action(open_minor, ready, client_admin):
    today = open_minor.raised_on
    response = services.finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="Template", corrective_action="Fixed"
    )
    for member in (ready.lead.user, ready.auditor.user):
        item = only(member, today, ItemKind.RESPONSE_TO_REVIEW)
        assert item.title == f"Accept or reject the client's response to {open_minor.reference} (minor nonconformity)"
        assert item.url == f"/cb/findings/{open_minor.public_id}/"
    services.finding_response_review(actor=ready.lead.user, response=response, accept=True)
    assert ItemKind.RESPONSE_TO_REVIEW not in kinds(ready.lead.user, today)
    assert only(ready.auditor.user, today, ItemKind.VERIFICATION_DUE).title.startswith("Verify the corrective action")


def test_a_decision_maker_decides_the_reported_grant(stage2_reported, decision_maker):
    item = only(decision_maker, date(2026, 3, 4), ItemKind.DECISION_AWAITING)
    certification = stage2_reported.programme.certification
    assert item.url == f"/certification/{certification.public_id}/"
    assert item.title == "Decide the grant on the stage 2 report (rev. 1, recommending: grant certification)"
    assert item.due is None


def test_a_decision_maker_who_was_on_the_team_is_not_asked_to_decide(stage2_reported, ready, cb):
    lead = ready.lead.user
    MembershipFactory.create(user=lead, role=Role.DECISION_MAKER, certification_body=cb)
    assert ItemKind.DECISION_AWAITING not in kinds(lead, date(2026, 3, 4))


def test_a_decided_grant_leaves_the_decision_makers_list(granted, decision_maker):
    assert ItemKind.DECISION_AWAITING not in kinds(decision_maker, date(2026, 4, 11))


def test_managers_review_and_accept_applications(ready, acme, acme_sites, programme_manager):
    application = services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Parts",
        sites=acme_sites,
        sector_codes=[17],
    )
    assert only(programme_manager, ACCEPTED, ItemKind.APPLICATION_TO_REVIEW).url == (
        f"/cb/applications/{application.public_id}/"
    )
    services.application_review(actor=programme_manager, application=application)
    assert kinds(programme_manager, ACCEPTED) == [ItemKind.APPLICATION_TO_ACCEPT]


def test_managers_resolve_the_clients_objection(issued, ready, client_admin, programme_manager):
    services.plan_object(actor=client_admin, audit=issued.audit, auditor=ready.auditor, reason="Worked for us")
    item = only(programme_manager, date(2026, 1, 20), ItemKind.OBJECTION_TO_RESOLVE)
    assert item.title.startswith(f"The client objects to {ready.auditor}")
    assert item.due == date(2026, 2, 2)
    assert ItemKind.PLAN_TO_ACCEPT not in kinds(client_admin, date(2026, 1, 20))


def test_another_cb_sees_none_of_it(stage1, other_cb_admin):
    assert items(other_cb_admin, date(2026, 1, 20)) == []


def test_the_count_is_the_number_of_items_for_every_role(open_minor, ready, programme_manager, cb_admin, client_admin):
    today = open_minor.raised_on
    for user in (programme_manager, cb_admin, ready.lead.user, ready.auditor.user, client_admin):
        assert agrees(user, today)
    assert agrees(programme_manager, today + timedelta(days=400))
