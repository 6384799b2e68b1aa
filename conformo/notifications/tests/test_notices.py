"""Notices: told once per event, delivered as each person chose, retried with back-off, resent by the CB admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from conformo.conftest import login
from conformo.core.actors import SYSTEM
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.notifications.kinds import Delivery, Kind
from conformo.notifications.models import Notice, NoticeStatus
from conformo.notifications.services import notice_resend, notify, notify_all, preferences_set
from conformo.notifications.tasks import retry_delay, send_digests, send_notice, sweep_notices

pytestmark = pytest.mark.django_db


def tell(user: Any, key: str = "finding:1:raised", kind: str = Kind.FINDING_RAISED, **extra: Any) -> Notice | None:
    with transaction.atomic():
        return notify(
            recipient=user,
            kind=kind,
            key=key,
            subject="A finding was raised against clause 8.5.1",
            lines=["A minor nonconformity was raised at the stage 2 audit.", "Answer within 30 days."],
            link=f"/cb/findings/{key}/",
            action="Answer the finding",
            **extra,
        )


class FailingBackend(BaseEmailBackend):
    """An e-mail backend whose server is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


FAILING = {"default": {"BACKEND": "conformo.notifications.tests.test_notices.FailingBackend"}}


def test_a_notice_is_mailed_with_a_text_and_an_html_body_linking_to_the_work(
    client_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(client_admin)
    assert notice is not None
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.sent_at is not None
    [message] = mail.outbox
    assert message.to == [client_admin.email]
    assert message.subject == "[Conformo] A finding was raised against clause 8.5.1"
    assert "Answer within 30 days." in message.body
    assert "http://127.0.0.1:8000/cb/findings/finding:1:raised/" in message.body  # BASE_URL + the page of the work
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert isinstance(html, str)
    assert 'href="http://127.0.0.1:8000/cb/findings/finding:1:raised/"' in html
    assert "Answer the finding" in html
    assert "/notifications/preferences/" in message.body


def test_nothing_is_sent_when_the_transaction_rolls_back(
    client_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def fail_after_notifying() -> None:
        with transaction.atomic():
            tell(client_admin)
            raise RuntimeError("the service failed after notifying")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        fail_after_notifying()
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_the_same_event_is_told_once(client_admin: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(client_admin)
        second = tell(client_admin)
        other_event = tell(client_admin, key="finding:2:raised")
    assert first is not None
    assert second is None
    assert other_event is not None
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_to_run_outside_a_transaction(client_admin: Any) -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        notify(recipient=client_admin, kind=Kind.FINDING_RAISED, key="k", subject="s", lines=[], link="/")


def test_notify_all_tells_each_person_once_by_their_own_choice(
    client_admin: Any, client_member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preferences_set(actor=client_member, user=client_member, choices={Kind.REPORT_ISSUED: Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notices = notify_all(
            recipients=[client_admin, client_member, client_admin],
            kind=Kind.REPORT_ISSUED,
            key="report:7:issued",
            subject="The stage 2 audit report is issued",
            lines=["Read it."],
            link="/cb/reports/7/",
        )
    assert sorted(Notice.objects.get(pk=n.pk).status for n in notices) == [NoticeStatus.DIGEST, NoticeStatus.SENT]
    assert [m.to for m in mail.outbox] == [[client_admin.email]]


def test_a_kind_switched_off_is_recorded_but_not_sent(
    client_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preferences_set(actor=client_admin, user=client_admin, choices={Kind.FINDING_RAISED: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(client_admin)
    assert notice is not None
    assert notice.status == NoticeStatus.OFF
    assert mail.outbox == []


def test_mandatory_kinds_cannot_be_switched_off_or_delayed(client_admin: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        preferences_set(actor=client_admin, user=client_admin, choices={Kind.INVITATION: Delivery.OFF})
    assert Kind.INVITATION in refused.value.fields


def test_a_mandatory_notice_is_sent_at_once_whatever_is_stored(
    client_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from conformo.notifications.models import Preference

    Preference.objects.create(user=client_admin, kind=Kind.PASSWORD_RESET, delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(client_admin, kind=Kind.PASSWORD_RESET, key="reset:1")
    assert notice is not None
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_only_the_user_chooses_their_notifications(client_admin: Any, client_member: Any) -> None:
    with pytest.raises(PermissionDenied):
        preferences_set(actor=client_admin, user=client_member, choices={Kind.FINDING_RAISED: Delivery.OFF})


def test_unknown_kinds_and_deliveries_are_field_errors(client_admin: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        preferences_set(actor=client_admin, user=client_admin, choices={"weather": "off", "finding_raised": "hourly"})
    assert set(refused.value.fields) == {"weather", "finding_raised"}


def test_a_change_of_choice_is_audit_logged_and_an_unchanged_one_is_not(client_admin: Any) -> None:
    preferences_set(actor=client_admin, user=client_admin, choices={Kind.FINDING_RAISED: Delivery.DIGEST})
    preferences_set(actor=client_admin, user=client_admin, choices={Kind.FINDING_RAISED: Delivery.DIGEST})
    entries = AuditLogEntry.objects.filter(action="notification_preferences.set")
    assert [e.after for e in entries] == [{"finding_raised": "digest"}]


def test_the_digest_groups_a_days_notices_in_one_mail_and_sends_them_once(client_admin: Any) -> None:
    preferences_set(
        actor=client_admin,
        user=client_admin,
        choices={Kind.FINDING_RAISED: Delivery.DIGEST, Kind.REPORT_ISSUED: Delivery.DIGEST},
    )
    tell(client_admin, key="finding:1:raised")
    tell(client_admin, key="finding:2:raised")
    tell(client_admin, kind=Kind.REPORT_ISSUED, key="report:1:issued")
    assert mail.outbox == []
    assert send_digests.call() == 1
    [digest] = mail.outbox
    assert digest.subject == "[Conformo] Your daily digest: 3 notices"
    assert digest.body.index(Kind.FINDING_RAISED.label) < digest.body.index(Kind.REPORT_ISSUED.label)
    assert "/cb/findings/finding:1:raised/" in digest.body
    assert "/cb/findings/finding:2:raised/" in digest.body
    assert send_digests.call() == 0
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}


def test_a_digest_that_cannot_be_sent_waits_for_the_next_one(client_admin: Any) -> None:
    preferences_set(actor=client_admin, user=client_admin, choices={Kind.FINDING_RAISED: Delivery.DIGEST})
    tell(client_admin)
    with override_settings(MAILERS=FAILING):
        assert send_digests.call() == 0
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.DIGEST
    assert "mail server down" in notice.last_error
    assert send_digests.call() == 1


@override_settings(
    MAILERS=FAILING,
    NOTIFY_MAX_ATTEMPTS=3,
    NOTIFY_RETRY_BASE_SECONDS=60,
)
def test_a_failed_send_is_retried_with_back_off_then_marked_failed(client_admin: Any) -> None:
    notice = tell(client_admin)
    assert notice is not None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert send_notice.call(notice.pk) == NoticeStatus.RETRYING
        notice.refresh_from_db()
        assert notice.attempts == 1
        assert notice.next_attempt_at == start + timedelta(minutes=1)
        assert send_notice.call(notice.pk) == "not due"  # a second task for it does nothing before its time
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert send_notice.call(notice.pk) == NoticeStatus.RETRYING
        notice.refresh_from_db()
        assert notice.next_attempt_at == start + timedelta(minutes=1) + timedelta(minutes=4)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert send_notice.call(notice.pk) == NoticeStatus.FAILED
    notice.refresh_from_db()
    assert notice.attempts == 3
    assert "ConnectionRefusedError: mail server down" in notice.last_error


def test_retry_delays_grow_fourfold() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 240, 960, 3840]


def test_a_sent_notice_is_never_sent_again(client_admin: Any) -> None:
    notice = tell(client_admin)
    assert notice is not None
    assert send_notice.call(notice.pk) == NoticeStatus.SENT
    assert send_notice.call(notice.pk) == "not due"
    assert len(mail.outbox) == 1


def test_the_cb_administrator_resends_a_failed_notice_of_the_cb(
    cb: Any, cb_admin: Any, auditor: Any, other_cb_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = tell(auditor, certification_body_id=cb.pk)
    assert notice is not None
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.FAILED, attempts=6, last_error="timeout")
    notice.refresh_from_db()
    with pytest.raises(PermissionDenied):
        notice_resend(actor=other_cb_admin, notice=notice)
    with django_capture_on_commit_callbacks(execute=True):
        notice_resend(actor=cb_admin, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert [m.to for m in mail.outbox] == [[auditor.email]]
    assert AuditLogEntry.objects.filter(action="notice.resend", certification_body=cb).exists()
    with pytest.raises(Conflict):
        notice_resend(actor=cb_admin, notice=notice)


def test_the_sweep_sends_notices_whose_task_was_lost(client_admin: Any) -> None:
    notice = tell(client_admin)  # no on-commit capture: its task was never queued
    assert notice is not None
    assert sweep_notices.call() == 0  # not stranded yet: its task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sweep_notices.call() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_the_sweep_takes_back_a_send_whose_worker_died(client_admin: Any) -> None:
    notice = tell(client_admin)
    assert notice is not None
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENDING)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        sweep_notices.call()
        sweep_notices.call()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert len(mail.outbox) == 1


def test_the_preferences_page_saves_choices_and_keeps_mandatory_kinds_fixed(client_admin: Any) -> None:
    client = login(client_admin)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert "Always sent at once." in page.text
    form = {kind.value: Delivery.IMMEDIATE.value for kind in Kind}
    form.update({Kind.FINDING_RAISED: Delivery.DIGEST, Kind.INVITATION: Delivery.OFF})
    saved = client.post("/notifications/preferences/", form)
    assert saved.status_code == 302
    from conformo.notifications.services import deliveries_for

    choices = deliveries_for(client_admin)
    assert choices[Kind.FINDING_RAISED] == Delivery.DIGEST
    assert choices[Kind.INVITATION] == Delivery.IMMEDIATE
    bad = client.post("/notifications/preferences/", {**form, Kind.REPORT_ISSUED: "hourly"})
    assert bad.status_code == 422
    assert "Select a valid choice" in bad.text


def test_the_preferences_page_asks_to_sign_in(client: Any) -> None:
    assert client.get("/notifications/preferences/").status_code == 302


def test_system_jobs_cannot_choose_for_a_user(client_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        preferences_set(actor=SYSTEM, user=client_admin, choices={})
