"""The daily reminders: each event told once, by date window, so a missed day is caught up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of
from conformo.core.tests.factories import MembershipFactory, UserFactory
from conformo.improvement.services import corrective_action_set, nonconformity_raise
from conformo.inbox.reminders import daily_scan
from conformo.inbox.tasks import daily_reminders
from conformo.notifications.kinds import Delivery, Kind
from conformo.notifications.models import Notice, NoticeStatus, Preference
from conformo.readiness.services import document_create

pytestmark = pytest.mark.django_db


def told(kind: str) -> list[tuple[str, str]]:
    """(recipient, key) of every notice of `kind`, sorted."""
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient__email", "key"))


# --- responses to findings ------------------------------------------------------------------------------


def test_the_client_is_told_a_week_before_its_response_is_due(open_minor, client_admin, client_member):
    due = open_minor.response_due
    assert daily_scan(due - timedelta(days=8)).total == 0
    result = daily_scan(due - timedelta(days=7))
    assert result.created == {Kind.RESPONSE_DUE: 2}
    key = f"finding:{open_minor.pk}:due7"
    assert told(Kind.RESPONSE_DUE) == [(client_admin.email, key), (client_member.email, key)]
    notice = Notice.objects.filter(kind=Kind.RESPONSE_DUE)[0]
    assert notice.subject == f"Your response to finding {open_minor.reference} is due on {due:%Y-%m-%d}"
    assert notice.link == f"/cb/findings/{open_minor.public_id}/"
    assert notice.organization_id == open_minor.audit.programme.organization_id


def test_a_second_scan_tells_nobody_again(open_minor, client_admin, client_member, django_capture_on_commit_callbacks):
    due = open_minor.response_due
    with django_capture_on_commit_callbacks(execute=True):
        assert daily_scan(due - timedelta(days=7)).total == 2
    sent = len(mail.outbox)
    assert sent == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert daily_scan(due - timedelta(days=7)).total == 0
    assert daily_scan(due - timedelta(days=6)).total == 0
    assert Notice.objects.filter(kind=Kind.RESPONSE_DUE).count() == 2
    assert len(mail.outbox) == sent


def test_a_missed_week_is_caught_up_by_the_next_scan(open_minor, client_admin, client_member):
    due = open_minor.response_due
    assert daily_scan(due - timedelta(days=8)).total == 0
    # No scan ran for the next six days; the one two days before the due date still tells the client.
    assert daily_scan(due - timedelta(days=2)).created == {Kind.RESPONSE_DUE: 2}


def test_the_daily_task_scans_today_and_a_day_the_worker_was_down_is_caught_up(open_minor, client_admin, client_member):
    due = open_minor.response_due
    with time_machine.travel(due - timedelta(days=8), tick=False):
        assert daily_reminders.call() == 0
    # The worker was down the day the response came within 7 days; its next run tells the client.
    with time_machine.travel(due - timedelta(days=6), tick=False):
        assert daily_reminders.call() == 2
    with time_machine.travel(due - timedelta(days=5), tick=False):
        assert daily_reminders.call() == 0


def test_the_day_after_the_due_date_the_response_is_overdue(open_minor, client_admin, client_member):
    due = open_minor.response_due
    daily_scan(due - timedelta(days=7))
    assert daily_scan(due).total == 0
    assert daily_scan(due + timedelta(days=1)).created == {Kind.RESPONSE_OVERDUE: 2}
    notice = Notice.objects.get(kind=Kind.RESPONSE_OVERDUE, recipient=client_admin)
    assert notice.key == f"finding:{open_minor.pk}:overdue"
    assert "overdue" in notice.subject
    # Told once: a month later no second notice (the scan may find other things then, e.g. a surveillance window that
    # opens by that day: the finding is raised on the real today, so that day moves with the calendar).
    assert daily_scan(due + timedelta(days=30)).created[Kind.RESPONSE_OVERDUE] == 0
    assert Notice.objects.filter(kind=Kind.RESPONSE_OVERDUE).count() == 2


def test_an_answered_finding_is_not_reminded(open_minor, client_admin):
    services.finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="Template", corrective_action="Fixed"
    )
    assert daily_scan(open_minor.response_due + timedelta(days=1)).total == 0


def test_each_person_is_told_as_they_chose(open_minor, client_admin, client_member, django_capture_on_commit_callbacks):
    Preference.objects.create(user=client_member, kind=Kind.RESPONSE_DUE, delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        daily_scan(open_minor.response_due - timedelta(days=1))
    assert Notice.objects.get(kind=Kind.RESPONSE_DUE, recipient=client_member).status == NoticeStatus.DIGEST
    assert Notice.objects.get(kind=Kind.RESPONSE_DUE, recipient=client_admin).status == NoticeStatus.SENT
    assert [m.to for m in mail.outbox] == [[client_admin.email]]


def test_nobody_of_the_cb_or_another_client_is_told_of_a_clients_response(
    open_minor, programme_manager, other_client_admin, ready
):
    daily_scan(open_minor.response_due - timedelta(days=1))
    told_to = set(Notice.objects.filter(kind=Kind.RESPONSE_DUE).values_list("recipient__email", flat=True))
    assert told_to.isdisjoint({programme_manager.email, other_client_admin.email, ready.lead.user.email})


# --- certificates expiring ------------------------------------------------------------------------------


def test_the_client_and_the_cb_are_told_90_and_then_30_days_before_expiry(
    granted, client_admin, programme_manager, cb_admin, decision_maker
):
    expires = granted.expires_on

    def expiring(today):
        return daily_scan(today).created[Kind.CERTIFICATE_EXPIRING]

    assert expiring(expires - timedelta(days=91)) == 0
    assert expiring(expires - timedelta(days=90)) == 3
    key = f"certification:{granted.pk}:{expires:%Y-%m-%d}:expiring90"
    assert told(Kind.CERTIFICATE_EXPIRING) == sorted(
        [(client_admin.email, key), (programme_manager.email, key), (cb_admin.email, key)]
    )
    assert expiring(expires - timedelta(days=31)) == 0
    assert expiring(expires - timedelta(days=30)) == 3
    notice = Notice.objects.filter(key__endswith="expiring30")[0]
    certificate = granted.certificates.get(is_current=True)
    assert notice.subject == f"Certificate {certificate.number} expires on {expires:%Y-%m-%d}"
    assert notice.link == f"/certificates/{certificate.number}/"
    assert "in 30 days" in notice.lines[0]
    assert not Notice.objects.filter(kind=Kind.CERTIFICATE_EXPIRING, recipient=decision_maker).exists()


def test_a_certificate_first_seen_within_30_days_gets_only_the_30_day_notice(granted, client_admin):
    daily_scan(granted.expires_on - timedelta(days=12))
    keys = set(Notice.objects.filter(kind=Kind.CERTIFICATE_EXPIRING).values_list("key", flat=True))
    assert {key.rsplit(":", 1)[1] for key in keys} == {"expiring30"}


def test_a_withdrawn_certificate_is_not_reminded(granted, decision_maker, client_admin):
    from conformo.certification.services import decision_take

    with time_machine.travel(date(2026, 6, 1), tick=False):
        decision_take(actor=decision_maker, certification=granted, kind="suspend", reason="Missed surveillance")
        granted.refresh_from_db()
        decision_take(actor=decision_maker, certification=granted, kind="withdraw", reason="Not resolved")
    assert Kind.CERTIFICATE_EXPIRING not in daily_scan(granted.expires_on - timedelta(days=30)).created


# --- documents and corrective actions -------------------------------------------------------------------

TODAY = date(2026, 5, 4)


def test_a_document_review_is_told_to_its_owner_and_the_admins_14_days_ahead(acme, client_admin, client_member):
    document = document_create(
        actor=client_admin, organization=acme, title="Quality policy", owner=client_member, review_due=TODAY
    )
    document_create(actor=client_admin, organization=acme, title="Later", review_due=TODAY + timedelta(days=15))
    assert daily_scan(TODAY - timedelta(days=15)).total == 0
    assert daily_scan(TODAY - timedelta(days=14)).created == {Kind.DOCUMENT_REVIEW_DUE: 2}
    key = f"document:{document.pk}:2026-05-04:review"
    assert told(Kind.DOCUMENT_REVIEW_DUE) == [(client_admin.email, key), (client_member.email, key)]
    assert Notice.objects.filter(kind=Kind.DOCUMENT_REVIEW_DUE)[0].link == f"/readiness/documents/{document.public_id}/"


def test_a_document_past_its_review_is_told_once_and_its_next_review_again(acme, client_admin):
    from conformo.readiness.services import document_update

    document = document_create(actor=client_admin, organization=acme, title="Policy", review_due=TODAY)
    assert daily_scan(TODAY + timedelta(days=40)).total == 1  # the scan was down for weeks: told late, once
    assert "overdue since 2026-05-04" in Notice.objects.get(kind=Kind.DOCUMENT_REVIEW_DUE).subject
    assert daily_scan(TODAY + timedelta(days=41)).total == 0
    document_update(actor=client_admin, document=document, review_due=date(2027, 5, 4))
    assert daily_scan(date(2027, 4, 25)).total == 1


def test_a_member_who_owns_nothing_is_not_told_of_documents(acme, client_admin, client_member):
    document_create(actor=client_admin, organization=acme, title="Policy", review_due=TODAY)
    daily_scan(TODAY)
    assert not Notice.objects.filter(kind=Kind.DOCUMENT_REVIEW_DUE, recipient=client_member).exists()


def test_a_corrective_action_is_told_a_week_ahead_and_not_once_completed(acme, client_admin, client_member):
    from conformo.improvement.services import corrective_action_complete

    nc = nonconformity_raise(
        actor=client_admin, organization=acme, source="internal_audit", grade="minor", title="Gauge out of date"
    )
    corrective_action_set(
        actor=client_admin, nonconformity=nc, root_cause="r", action="a", due_date=TODAY, owner=client_member
    )
    assert daily_scan(TODAY - timedelta(days=8)).total == 0
    assert daily_scan(TODAY - timedelta(days=7)).created == {Kind.CORRECTIVE_ACTION_DUE: 2}
    key = f"corrective-action:{nc.pk}:2026-05-04:due"
    assert told(Kind.CORRECTIVE_ACTION_DUE) == [(client_admin.email, key), (client_member.email, key)]
    other = nonconformity_raise(actor=client_admin, organization=acme, source="incident", grade="minor", title="Spill")
    corrective_action_set(actor=client_admin, nonconformity=other, root_cause="r", action="a", due_date=TODAY)
    corrective_action_complete(actor=client_admin, nonconformity=other, completed_on=TODAY - timedelta(days=1))
    assert daily_scan(TODAY + timedelta(days=3)).total == 0


def test_an_owner_who_left_the_organization_is_not_told(acme, client_admin):
    leaver = UserFactory.create(email="leaver@acme.test")
    membership = MembershipFactory.create(user=leaver, role="client_member", organization=acme)
    document_create(actor=client_admin, organization=acme, title="Policy", owner=leaver, review_due=TODAY)
    membership.delete()
    daily_scan(TODAY)
    assert [email for email, _ in told(Kind.DOCUMENT_REVIEW_DUE)] == [client_admin.email]


# --- surveillance windows -------------------------------------------------------------------------------


def test_the_programme_manager_is_told_when_a_surveillance_window_opens(granted, programme_manager, cb_admin):
    surveillance = audit_of(granted.programmes.get(), AuditKind.SURVEILLANCE_1)
    opens = surveillance.due_by - timedelta(days=90)
    assert Notice.objects.filter(kind=Kind.SURVEILLANCE_WINDOW).count() == 0
    assert daily_scan(opens - timedelta(days=1)).created.get(Kind.SURVEILLANCE_WINDOW, 0) == 0
    assert daily_scan(opens).created[Kind.SURVEILLANCE_WINDOW] == 2
    key = f"audit:{surveillance.pk}:{surveillance.due_by:%Y-%m-%d}:window"
    assert told(Kind.SURVEILLANCE_WINDOW) == sorted([(programme_manager.email, key), (cb_admin.email, key)])
    notice = Notice.objects.filter(kind=Kind.SURVEILLANCE_WINDOW)[0]
    assert notice.subject == f"Surveillance 1 of Acme Precision Parts: plan it, due by {surveillance.due_by:%Y-%m-%d}"
    assert notice.link == f"/cb/audits/{surveillance.public_id}/"


def test_a_surveillance_planned_before_its_window_opens_needs_no_reminder(granted, programme_manager, ready):
    from conformo.audits.tests.conftest import team

    surveillance = audit_of(granted.programmes.get(), AuditKind.SURVEILLANCE_1)
    start = surveillance.due_by - timedelta(days=20)
    services.audit_plan(actor=programme_manager, audit=surveillance, planned_start=start, planned_end=start)
    services.audit_team_assign(actor=programme_manager, audit=surveillance, members=team(ready))
    assert Kind.SURVEILLANCE_WINDOW not in daily_scan(surveillance.due_by - timedelta(days=60)).created


# --- the command ----------------------------------------------------------------------------------------


def test_conformo_remind_runs_the_scan_for_a_date_and_says_how_many(cli, open_minor, client_admin, client_member):
    day = (open_minor.response_due - timedelta(days=3)).isoformat()
    result = cli("remind", "--date", day)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Reminders of {day}: 2 notices."
    assert "Response to a finding due within 7 days: 2" in result.stdout
    assert cli("remind", "--date", day).stdout.splitlines()[0] == f"Reminders of {day}: 0 notices."


def test_conformo_remind_refuses_a_date_that_is_not_one(cli):
    result = cli("remind", "--date", "2026-02-31")
    assert result.returncode != 0
    assert "--date '2026-02-31' is not a real calendar date" in result.stderr
