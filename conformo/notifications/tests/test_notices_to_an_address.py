"""Notices to someone without an account (an invitation): told at an address, once per event, mandatory kinds only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction

from conformo.notifications.kinds import Kind
from conformo.notifications.models import Notice, NoticeStatus
from conformo.notifications.services import notify

pytestmark = pytest.mark.django_db


def invite(to_email: str = "New.Person@Example.org", key: str = "invitation:1:1", **extra: Any) -> Notice | None:
    with transaction.atomic():
        return notify(
            to_email=to_email,
            kind=Kind.INVITATION,
            key=key,
            subject="Join Northbridge Certification on Conformo",
            lines=["Alex Admin invites you to join Northbridge Certification as Auditor."],
            link="/accounts/invitations/accept/abc/",
            action="Accept the invitation",
            **extra,
        )


def test_an_invitation_is_mailed_to_an_address_that_has_no_account(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = invite()
    assert notice is not None
    notice.refresh_from_db()
    assert (notice.recipient, notice.to_email, notice.status) == (None, "new.person@example.org", NoticeStatus.SENT)
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert "Accept the invitation: http://127.0.0.1:8000/accounts/invitations/accept/abc/" in message.body
    assert "Hello," in message.body
    assert "this address was given to Conformo" in message.body
    assert "/notifications/preferences/" not in message.body  # nobody to choose: there is no account
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert 'href="http://127.0.0.1:8000/accounts/invitations/accept/abc/"' in html


def test_an_address_is_told_of_an_event_once(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = invite()
        again = invite(to_email="new.person@example.org")
        next_email = invite(key="invitation:1:2")
    assert first is not None
    assert next_email is not None
    assert again is None
    assert len(mail.outbox) == 2


def test_only_mandatory_kinds_go_to_an_address() -> None:
    with pytest.raises(ValueError, match="goes to a user"), transaction.atomic():
        notify(to_email="a@example.org", kind=Kind.FINDING_RAISED, key="k", subject="s", lines=[], link="/")


def test_a_notice_names_a_user_or_an_address_never_both_nor_neither(client_admin: Any) -> None:
    with pytest.raises(ValueError, match="either"), transaction.atomic():
        notify(kind=Kind.INVITATION, key="k", subject="s", lines=[], link="/")
    with pytest.raises(ValueError, match="either"), transaction.atomic():
        notify(
            recipient=client_admin,
            to_email="a@example.org",
            kind=Kind.INVITATION,
            key="k",
            subject="s",
            lines=[],
            link="/",
        )


def test_the_database_refuses_an_address_notice_of_an_optional_kind() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            to_email="a@example.org",
            kind=Kind.FINDING_RAISED,
            key="k",
            subject="s",
            link="/",
            delivery="immediate",
            status=NoticeStatus.PENDING,
        )
