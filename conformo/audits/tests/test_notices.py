"""The CB workflow tells each person of the work that waits for them, once per event, with the page where it is:
the plan (client and team), joining a team, a finding (client), a response (lead auditor), the report (client),
a file entering the decision queue (independent decision makers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from conformo.audits import notices, services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import ROW, audit_of, issue_report, team
from conformo.conftest import login, recipient_of
from conformo.core.errors import Conflict
from conformo.core.roles import Role
from conformo.core.tests.factories import MembershipFactory, UserFactory
from conformo.notifications.kinds import Delivery, Kind
from conformo.notifications.models import Notice
from conformo.notifications.services import preferences_set
from conformo.notifications.tasks import send_digests

pytestmark = pytest.mark.django_db


def told(kind: str) -> dict[str, Notice]:
    """The notices of `kind`, by recipient's e-mail address. (A test asks for the people it expects to be told
    before the fixtures that make the event: nobody is told who did not exist yet.)"""
    return {n.address: n for n in Notice.objects.filter(kind=kind).select_related("recipient")}


def opens(notice: Notice) -> int:
    """The status of the notice's link for its own recipient."""
    return login(recipient_of(notice)).get(notice.link).status_code


def test_an_issued_plan_is_told_to_the_client_and_the_team_with_the_audit_page(
    client_admin, client_member, cb_admin, other_client_admin, issued, stage1, cb, acme, lead_auditor, auditor
):
    notices_ = told(Kind.PLAN_ISSUED)
    assert set(notices_) == {client_admin.email, client_member.email, lead_auditor.email, auditor.email}
    for notice in notices_.values():
        assert notice.link == f"/cb/audits/{stage1.public_id}/"
        assert notice.key == f"plan:{stage1.pk}:v1"
        assert (notice.certification_body_id, notice.organization_id) == (cb.pk, acme.pk)
        assert notice.subject == "Audit plan issued: Stage 1 of Acme Precision Parts"
        assert opens(notice) == 200
    assert "accept it or object" in notices_[client_admin.email].lines[-1]
    assert "timetable" in notices_[auditor.email].lines[-1]


def test_a_new_version_of_the_plan_is_told_again_with_what_changed_and_why(
    client_admin, issued, stage1, programme_manager
):
    services.plan_update(actor=programme_manager, audit=stage1, language="German", timetable=[ROW])
    services.plan_issue(actor=programme_manager, audit=stage1, change_note="The client asked for German")
    versions = Notice.objects.filter(kind=Kind.PLAN_ISSUED, recipient=client_admin).order_by("created_at")
    assert [n.key for n in versions] == [f"plan:{stage1.pk}:v1", f"plan:{stage1.pk}:v2"]
    assert versions[1].subject.startswith("Audit plan changed (version 2)")
    assert "What changed: language." in versions[1].lines
    assert "Why: The client asked for German" in versions[1].lines


def test_telling_the_same_plan_twice_tells_nobody_anything(issued, programme_manager):
    before = Notice.objects.count()
    with transaction.atomic():
        notices.plan_issued(actor=programme_manager, plan=issued)
    assert Notice.objects.count() == before


def test_nobody_is_told_of_their_own_action(stage1, lead_auditor, auditor):
    services.plan_draft(actor=lead_auditor, audit=stage1)
    services.plan_issue(actor=lead_auditor, audit=stage1)
    assert lead_auditor.email not in told(Kind.PLAN_ISSUED)
    assert auditor.email in told(Kind.PLAN_ISSUED)


def test_the_plan_is_mailed_once_the_issue_commits_with_a_link_to_the_audit(
    client_admin, stage1, programme_manager, django_capture_on_commit_callbacks
):
    services.plan_draft(actor=programme_manager, audit=stage1)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_issue(actor=programme_manager, audit=stage1)
    [message] = [m for m in mail.outbox if m.to == [client_admin.email]]
    assert message.subject == "[Conformo] Audit plan issued: Stage 1 of Acme Precision Parts"
    assert f"http://127.0.0.1:8000/cb/audits/{stage1.public_id}/" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    assert f'href="http://127.0.0.1:8000/cb/audits/{stage1.public_id}/"' in str(message.alternatives[0][0])


def test_joining_a_team_is_told_staying_on_it_is_not_and_coming_back_is(
    stage1, ready, programme_manager, lead_auditor, auditor
):
    joined = told(Kind.TEAM_ASSIGNED)
    assert set(joined) == {lead_auditor.email, auditor.email}
    assert joined[auditor.email].lines[0] == "Your role: auditor."
    assert joined[lead_auditor.email].lines[0] == "Your role: lead auditor."
    assert opens(joined[auditor.email]) == 200
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    assert Notice.objects.filter(kind=Kind.TEAM_ASSIGNED).count() == 2
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready)[:1])
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    assert Notice.objects.filter(kind=Kind.TEAM_ASSIGNED, recipient=auditor).count() == 2
    assert Notice.objects.filter(kind=Kind.TEAM_ASSIGNED, recipient=lead_auditor).count() == 1


def test_a_refused_team_tells_nobody(stage1, ready, programme_manager):
    before = Notice.objects.filter(kind=Kind.TEAM_ASSIGNED).count()
    with pytest.raises(Conflict, match="not eligible"):
        services.audit_team_assign(
            actor=programme_manager, audit=stage1, members=[services.Member(ready.auditor, "auditor")]
        )
    assert Notice.objects.filter(kind=Kind.TEAM_ASSIGNED).count() == before


def test_a_nonconformity_is_told_to_the_client_with_its_due_date_and_the_finding_page(
    client_admin, client_member, other_client_admin, open_minor, lead_auditor
):
    raised = told(Kind.FINDING_RAISED)
    assert set(raised) == {client_admin.email, client_member.email}
    notice = raised[client_member.email]
    assert notice.subject == "Minor nonconformity ST2-01: Stage 2 of Acme Precision Parts"
    assert notice.link == f"/cb/findings/{open_minor.public_id}/"
    assert open_minor.response_due.isoformat() in notice.lines[-1]
    assert notice.action == "Answer the finding"
    assert opens(notice) == 200


def test_an_opportunity_for_improvement_waits_for_the_report_until_it_is_regraded(
    client_admin, client_member, open_minor, ready
):
    ofi = services.finding_raise(actor=ready.lead.user, audit=open_minor.audit, grade="ofi", statement="Label bins")
    assert not Notice.objects.filter(key=f"finding:{ofi.pk}:raised").exists()
    services.finding_edit(
        actor=ready.lead.user,
        finding=ofi,
        grade="minor",
        statement="Bins unlabelled",
        clauses=[ready.qms.clauses.get(ref="7.5")],
    )
    assert Notice.objects.filter(key=f"finding:{ofi.pk}:raised").count() == 2  # the client's admin and member
    with transaction.atomic():
        notices.finding_raised(actor=ready.lead.user, finding=ofi)
    assert Notice.objects.filter(key=f"finding:{ofi.pk}:raised").count() == 2


def test_a_stage_1_area_of_concern_is_told_to_the_client(client_admin, stage1, ready, programme_manager):
    services.audit_start(actor=programme_manager, audit=stage1)
    concern = services.finding_raise(
        actor=ready.lead.user, audit=stage1, grade="area_of_concern", statement="Internal audits not yet run"
    )
    notice = Notice.objects.get(recipient=client_admin, kind=Kind.FINDING_RAISED)
    assert notice.key == f"finding:{concern.pk}:raised"
    assert "before stage 2" in notice.lines[-1]


def test_the_clients_response_is_told_to_the_lead_auditor_alone(
    client_member, open_minor, lead_auditor, auditor, programme_manager
):
    response = services.finding_respond(
        actor=client_member,
        finding=open_minor,
        correction="Signed",
        root_cause="Step missing",
        corrective_action="Fixed",
    )
    [notice] = Notice.objects.filter(kind=Kind.RESPONSE_SUBMITTED)
    assert notice.recipient == lead_auditor
    assert notice.key == f"response:{response.pk}:submitted"
    assert notice.link == f"/cb/findings/{open_minor.public_id}/"
    assert opens(notice) == 200


@pytest.fixture
def stage2_done(open_minor: Any, programme_manager: Any) -> Any:
    return services.audit_complete(actor=programme_manager, audit=open_minor.audit)


def test_an_issued_report_is_told_to_the_client_and_each_revision_again(
    client_admin, client_member, stage2_done, ready, auditor
):
    report = issue_report(stage2_done, ready.lead.user)
    issued = told(Kind.REPORT_ISSUED)
    assert set(issued) == {client_admin.email, client_member.email}
    assert issued[client_admin.email].key == f"report:{report.pk}:issued"
    assert "The audit team recommends: grant certification." in issued[client_admin.email].lines
    assert opens(issued[client_admin.email]) == 200
    services.report_revise(actor=ready.lead.user, audit=stage2_done, reason="Typo in the conclusions")
    services.report_issue(actor=ready.lead.user, audit=stage2_done)
    revised = Notice.objects.filter(kind=Kind.REPORT_ISSUED, recipient=client_admin).order_by("-created_at").first()
    assert revised is not None
    assert revised.subject.startswith("Audit report revised (revision 2)")
    assert "Why: Typo in the conclusions" in revised.lines


def test_a_file_entering_the_queue_is_told_to_the_decision_makers_who_were_not_on_the_team(
    decision_maker, stage1_done, ready, cb, cb_admin, programme_manager
):
    colleague = UserFactory.create(email="dm-auditor@northbridge.test")
    MembershipFactory.create(user=colleague, role=Role.DECISION_MAKER, certification_body=cb)
    MembershipFactory.create(user=colleague, role=Role.AUDITOR, certification_body=cb)
    on_team = services.auditor_register(actor=cb_admin, certification_body=cb, user=colleague)
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(
            actor=programme_manager, audit=stage2, members=[*team(ready), services.Member(on_team, "auditor")]
        )
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2)
        report = issue_report(stage2, ready.lead.user)
    [notice] = Notice.objects.filter(kind=Kind.DECISION_AWAITING)
    assert notice.recipient == decision_maker
    assert notice.key == f"report:{report.pk}:awaiting-decision"
    assert notice.link == f"/certification/{stage1_done.certification.public_id}/"
    assert notice.subject == "Awaiting your decision: grant for Acme Precision Parts"
    assert opens(notice) == 200
    with transaction.atomic():
        notices.decision_awaiting(actor=ready.lead.user, certification_id=stage1_done.certification_id)
    assert Notice.objects.filter(kind=Kind.DECISION_AWAITING).count() == 1


def test_a_stage_1_report_enters_no_decision_queue(decision_maker, client_admin, stage1_done, ready):
    issue_report(audit_of(stage1_done, AuditKind.STAGE_1), ready.lead.user)
    assert Notice.objects.filter(recipient=client_admin, kind=Kind.REPORT_ISSUED).exists()
    assert not Notice.objects.filter(kind=Kind.DECISION_AWAITING).exists()


def test_the_digest_gathers_the_days_notices_of_several_kinds_in_one_mail(
    client_admin, stage1, ready, programme_manager, django_capture_on_commit_callbacks
):
    preferences_set(
        actor=client_admin,
        user=client_admin,
        choices=dict.fromkeys((Kind.PLAN_ISSUED, Kind.FINDING_RAISED, Kind.REPORT_ISSUED), Delivery.DIGEST),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_draft(actor=programme_manager, audit=stage1)
        services.plan_issue(actor=programme_manager, audit=stage1)
        services.audit_start(actor=programme_manager, audit=stage1)
        concern = services.finding_raise(
            actor=ready.lead.user, audit=stage1, grade="area_of_concern", statement="No management review yet"
        )
        services.audit_complete(actor=programme_manager, audit=stage1)
        issue_report(stage1, ready.lead.user)
    assert [m for m in mail.outbox if m.to == [client_admin.email]] == []
    mail.outbox.clear()
    send_digests.call()
    [digest] = [m for m in mail.outbox if m.to == [client_admin.email]]
    assert digest.subject == "[Conformo] Your daily digest: 3 notices"
    body = digest.body
    positions = [body.index(label) for label in (Kind.FINDING_RAISED.label, Kind.PLAN_ISSUED.label)]
    assert positions == sorted(positions)
    assert Kind.REPORT_ISSUED.label in body
    assert f"/cb/findings/{concern.public_id}/" in body
    assert f"/cb/audits/{stage1.public_id}/" in body
