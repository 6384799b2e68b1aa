"""Invitations: who may invite whom, single use, expiry, replay of old links, revocation, accepting."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.test import override_settings
from django.utils import timezone

from conformo.accounts.invitation_links import SALT, invitation_from_token, invitation_link, invitation_token
from conformo.accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_first_client_admin,
    invitation_resend,
    invitation_revoke,
)
from conformo.accounts.models import Invitation, InvitationStatus, Membership, User
from conformo.core.actors import SYSTEM
from conformo.core.errors import Conflict, Gone, NotFound, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role
from conformo.notifications.models import Notice
from conformo.settings import BASE_DIR

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()
PASSWORD = "a-long-and-unusual-secret-42"


@pytest.fixture
def mailed(django_capture_on_commit_callbacks: Any) -> Any:
    """`with mailed():` sends the e-mails queued on commit at the end of the block (the test's transaction
    never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite_auditor(cb: Any, cb_admin: Any, email: str = "new.auditor@example.org") -> Invitation:
    return invitation_create(actor=cb_admin, email=email, role=Role.AUDITOR, certification_body=cb)


def link_token(message: Any) -> str:
    """The token at the end of the link in an invitation e-mail."""
    marker = "/accounts/invitations/accept/"
    start = message.body.index(marker) + len(marker)
    return str(message.body[start:].split("/", 1)[0])


# --- inviting ------------------------------------------------------------------------------------------------


def test_a_cb_administrator_invites_staff_and_the_link_is_mailed(cb: Any, cb_admin: Any, mailed: Any) -> None:
    with mailed():
        invitation = invite_auditor(cb, cb_admin, email="  New.Auditor@Example.ORG ")
    assert invitation.email == "new.auditor@example.org"
    assert invitation.invited_by == cb_admin
    assert invitation.status(timezone.now()) == InvitationStatus.PENDING
    assert invitation.expires_at - invitation.last_sent_at == timedelta(days=7)
    entry = AuditLogEntry.objects.get(action="invitation.create")
    assert entry.actor == cb_admin
    assert entry.certification_body_id == cb.pk
    assert entry.after is not None
    assert entry.after["email"] == "new.auditor@example.org"
    [message] = mail.outbox
    assert message.to == ["new.auditor@example.org"]
    assert message.subject == f"[Conformo] Join {cb} on Conformo"
    assert "invites you to join Northbridge Certification on Conformo as Auditor" in message.body
    assert invitation_from_token(link_token(message)) == invitation
    assert Notice.objects.get().to_email == "new.auditor@example.org"


@override_settings(INVITATION_TTL_DAYS=2)
def test_the_link_lives_as_many_days_as_the_setting_says(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    assert invitation.expires_at - invitation.last_sent_at == timedelta(days=2)


def test_someone_with_an_account_is_told_as_that_user(cb: Any, cb_admin: Any, client_member: Any, mailed: Any) -> None:
    with mailed():
        invite_auditor(cb, cb_admin, email=client_member.email)
    assert Notice.objects.get().recipient == client_member
    assert "sign in with your account, and it adds the role to it" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("role", "who"),
    [
        (Role.AUDITOR, "programme_manager"),
        (Role.AUDITOR, "auditor"),
        (Role.AUDITOR, "other_cb_admin"),
        (Role.AUDITOR, "client_admin"),
        (Role.AUDITOR, "outsider"),
    ],
)
def test_only_the_cb_administrator_invites_the_cbs_staff(cb: Any, role: str, who: str, request: Any) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=actor, email="x@example.org", role=role, certification_body=cb)
    assert not Invitation.objects.exists()


def test_a_client_administrator_invites_colleagues_but_not_elsewhere(
    acme: Any, bluewater: Any, client_admin: Any, client_member: Any
) -> None:
    invitation = invitation_create(actor=client_admin, email="c@acme.test", role=Role.CLIENT_MEMBER, organization=acme)
    assert invitation.organization == acme
    invitation_create(actor=client_admin, email="d@acme.test", role=Role.CLIENT_ADMIN, organization=acme)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=client_admin, email="e@blue.test", role=Role.CLIENT_MEMBER, organization=bluewater)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=client_member, email="f@acme.test", role=Role.CLIENT_MEMBER, organization=acme)


def test_the_cb_invites_a_clients_first_administrator_only(
    acme: Any, programme_manager: Any, cb_admin: Any, decision_maker: Any, other_cb_admin: Any
) -> None:
    with pytest.raises(PermissionDenied):
        invitation_create(actor=programme_manager, email="m@acme.test", role=Role.CLIENT_MEMBER, organization=acme)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=decision_maker, email="a@acme.test", role=Role.CLIENT_ADMIN, organization=acme)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=other_cb_admin, email="a@acme.test", role=Role.CLIENT_ADMIN, organization=acme)
    first = invitation_create(actor=programme_manager, email="a@acme.test", role=Role.CLIENT_ADMIN, organization=acme)
    assert first.invited_by == programme_manager
    Membership.objects.create(
        user=User.objects.create_user("boss@acme.test"), role=Role.CLIENT_ADMIN, organization=acme
    )
    with pytest.raises(PermissionDenied, match="has its client administrator already") as refused:
        invitation_create(actor=cb_admin, email="b@acme.test", role=Role.CLIENT_ADMIN, organization=acme)
    assert refused.value.code == "client_has_administrator"


@pytest.mark.parametrize("email", ["", "not-an-email", "a@", "@example.org", "a b@example.org", "x" * 250 + "@e.org"])
def test_an_address_that_is_not_one_is_a_field_error(cb: Any, cb_admin: Any, email: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        invitation_create(actor=cb_admin, email=email, role=Role.AUDITOR, certification_body=cb)
    assert "email" in refused.value.fields


@pytest.mark.parametrize("name", ["Nia\x00", "x" * 201, "tab\there"])
def test_a_name_with_control_characters_or_too_long_is_a_field_error(cb: Any, cb_admin: Any, name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        invitation_create(
            actor=cb_admin, email="n@example.org", role=Role.AUDITOR, certification_body=cb, full_name=name
        )
    assert "full_name" in refused.value.fields
    invitation = invite_auditor(cb, cb_admin)
    with pytest.raises(ValidationFailed) as on_accept:
        invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name=name, password=PASSWORD)
    assert "full_name" in on_accept.value.fields
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize("role", [Role.CLIENT_MEMBER, "lead_auditor", "superuser", ""])
def test_a_role_of_the_other_kind_of_tenant_or_no_role_is_a_field_error(cb: Any, cb_admin: Any, role: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        invitation_create(actor=cb_admin, email="x@example.org", role=role, certification_body=cb)
    assert "role" in refused.value.fields


def test_inviting_a_member_to_the_role_they_hold_is_refused(cb: Any, cb_admin: Any, auditor: Any) -> None:
    with pytest.raises(Conflict) as refused:
        invite_auditor(cb, cb_admin, email="AUDITOR@northbridge.test")
    assert refused.value.code == "already_member"
    assert "email" in refused.value.fields
    # Another role is fine: a person may hold several.
    invitation_create(actor=cb_admin, email=auditor.email, role=Role.DECISION_MAKER, certification_body=cb)


def test_a_second_invitation_for_the_same_address_and_role_offers_to_resend(cb: Any, cb_admin: Any) -> None:
    invite_auditor(cb, cb_admin)
    with pytest.raises(Conflict, match="send it again") as refused:
        invite_auditor(cb, cb_admin, email="NEW.auditor@example.org")
    assert refused.value.code == "invitation_pending"
    assert Invitation.objects.count() == 1


def test_a_deactivated_account_cannot_be_invited(cb: Any, cb_admin: Any, outsider: Any) -> None:
    User.objects.filter(pk=outsider.pk).update(is_active=False)
    with pytest.raises(ValidationFailed, match="deactivated"):
        invite_auditor(cb, cb_admin, email=outsider.email)


# --- the link: replay, expiry, revocation ---------------------------------------------------------------------


def test_a_link_that_is_not_ours_is_not_found(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    forged = signing.Signer(salt="another-salt").sign_object([str(invitation.public_id), 1])
    not_a_pair = signing.Signer(salt=SALT).sign_object("x")
    for token in ["garbage", forged, invitation_token(invitation)[:-3] + "abc", not_a_pair, "a:b:c"]:
        with pytest.raises(NotFound) as refused:
            invitation_from_token(token)
        assert refused.value.code == "invitation_invalid"


def test_an_invitation_is_used_once(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    token = invitation_token(invitation)
    invitation_accept(actor=ANONYMOUS, invitation=invitation_from_token(token), full_name="Nia New", password=PASSWORD)
    with pytest.raises(Gone) as refused:
        invitation_from_token(token)
    assert refused.value.code == "invitation_used"
    with pytest.raises(Gone):
        invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name="Eve", password=PASSWORD)
    assert Membership.objects.filter(user__email="new.auditor@example.org").count() == 1


def test_an_invitation_expires_after_its_days(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    token = invitation_token(invitation)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert invitation_from_token(token) == invitation
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        with pytest.raises(Gone, match="expired") as refused:
            invitation_from_token(token)
        assert refused.value.code == "invitation_expired"
        with pytest.raises(Gone):
            invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name="Late", password=PASSWORD)
        assert invitation.status(timezone.now()) == InvitationStatus.EXPIRED


def test_resending_replaces_the_link_and_starts_the_days_again(cb: Any, cb_admin: Any, mailed: Any) -> None:
    with mailed():
        invitation = invite_auditor(cb, cb_admin)
    old_token = invitation_token(invitation)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        with mailed():
            resent = invitation_resend(actor=cb_admin, invitation=invitation)
        assert resent.sent_count == 2
        assert resent.expires_at > timezone.now() + timedelta(days=6)
        with pytest.raises(Gone) as refused:
            invitation_from_token(old_token)
        assert refused.value.code == "invitation_superseded"
        assert invitation_from_token(invitation_token(resent)) == invitation
    assert len(mail.outbox) == 2
    assert link_token(mail.outbox[1]) == invitation_token(resent) != old_token
    entry = AuditLogEntry.objects.get(action="invitation.resend")
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["sent_count"], entry.after["sent_count"]) == (1, 2)


def test_a_revoked_invitation_cannot_be_accepted_resent_or_revoked_again(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    token = invitation_token(invitation)
    invitation_revoke(actor=cb_admin, invitation=invitation)
    with pytest.raises(Gone, match="withdrawn") as refused:
        invitation_from_token(token)
    assert refused.value.code == "invitation_revoked"
    with pytest.raises(Conflict):
        invitation_resend(actor=cb_admin, invitation=invitation)
    with pytest.raises(Conflict):
        invitation_revoke(actor=cb_admin, invitation=invitation)
    assert AuditLogEntry.objects.filter(action="invitation.revoke").count() == 1
    # The address may be invited again once the old invitation is revoked.
    invite_auditor(cb, cb_admin)


def test_only_those_who_may_invite_resend_or_revoke(cb: Any, cb_admin: Any, programme_manager: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    with pytest.raises(PermissionDenied):
        invitation_resend(actor=programme_manager, invitation=invitation)
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=programme_manager, invitation=invitation)
    assert Invitation.objects.get().sent_count == 1


def test_an_accepted_invitation_is_not_resent(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name="Nia New", password=PASSWORD)
    with pytest.raises(Conflict) as refused:
        invitation_resend(actor=cb_admin, invitation=invitation)
    assert refused.value.code == "invitation_accepted"


# --- accepting -----------------------------------------------------------------------------------------------


def test_someone_new_accepts_with_a_name_and_a_password(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    membership = invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name=" Nia New ", password=PASSWORD)
    user = membership.user
    assert (user.email, user.full_name) == ("new.auditor@example.org", "Nia New")
    assert user.check_password(PASSWORD)
    assert (membership.role, membership.certification_body) == (Role.AUDITOR, cb)
    assert has_cb_role(user, cb.pk, Role.AUDITOR)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", "actor"))
    assert actions[-3:] == [("user.create", user.pk), ("membership.add", user.pk), ("invitation.accept", user.pk)]


def test_a_weak_password_or_no_name_is_a_field_error_and_nothing_is_created(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    with pytest.raises(ValidationFailed) as refused:
        invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name="", password="12345678")
    assert set(refused.value.fields) == {"full_name", "password"}
    assert any("too common" in message for message in refused.value.fields["password"])
    with pytest.raises(ValidationFailed) as similar:
        invitation_accept(actor=ANONYMOUS, invitation=invitation, full_name="Nia", password="new.auditor@example")
    assert "password" in similar.value.fields
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_account_must_sign_in_to_accept(cb: Any, cb_admin: Any, client_member: Any) -> None:
    invitation = invite_auditor(cb, cb_admin, email=client_member.email)
    for password in ("wrong", "pw-for-tests"):  # a password is never checked here: sign-in throttling applies
        with pytest.raises(Conflict) as refused:
            invitation_accept(actor=ANONYMOUS, invitation=invitation, password=password)
        assert refused.value.code == "sign_in_required"
    membership = invitation_accept(actor=client_member, invitation=invitation)
    assert membership.user == client_member
    assert set(client_member.memberships.values_list("role", flat=True)) == {Role.CLIENT_MEMBER, Role.AUDITOR}


def test_a_signed_in_invitee_accepts_without_a_password(cb: Any, cb_admin: Any, client_member: Any) -> None:
    invitation = invite_auditor(cb, cb_admin, email=client_member.email)
    assert not has_cb_role(client_member, cb.pk, Role.AUDITOR)
    invitation_accept(actor=client_member, invitation=invitation)
    assert has_cb_role(client_member, cb.pk, Role.AUDITOR)  # its cached reach was dropped


def test_someone_signed_in_as_another_address_cannot_accept(cb: Any, cb_admin: Any, outsider: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    with pytest.raises(PermissionDenied, match="Sign out") as refused:
        invitation_accept(actor=outsider, invitation=invitation)
    assert refused.value.code == "invitation_for_another_address"
    with pytest.raises(PermissionDenied):
        invitation_accept(actor=SYSTEM, invitation=invitation)
    assert not Membership.objects.filter(certification_body=cb, role=Role.AUDITOR).exists()


def test_the_link_is_absolute_on_base_url(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    assert invitation_link(invitation) == (
        f"http://127.0.0.1:8000/accounts/invitations/accept/{invitation_token(invitation)}/"
    )


# --- the client's first administrator ------------------------------------------------------------------------


def test_the_first_client_administrator_is_invited_once_and_only_while_there_is_none(
    acme: Any, programme_manager: Any
) -> None:
    first = invitation_first_client_admin(actor=programme_manager, organization=acme, email="Boss@acme.test")
    assert first is not None
    assert (first.email, first.role) == ("boss@acme.test", Role.CLIENT_ADMIN)
    assert invitation_first_client_admin(actor=programme_manager, organization=acme, email="boss@acme.test") is None
    assert invitation_first_client_admin(actor=programme_manager, organization=acme, email="") is None
    invitation_accept(actor=ANONYMOUS, invitation=first, full_name="Bo Boss", password=PASSWORD)
    assert invitation_first_client_admin(actor=programme_manager, organization=acme, email="two@acme.test") is None
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(("value", "message"), [("0", "must be at least 1"), ("a week", "must be an integer")])
def test_the_settings_refuse_a_lifetime_that_is_not_a_number_of_days(tmp_path: Any, value: str, message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(INVITATION_TTL_DAYS=value, CONFORMO_TESTING="1", CONFORMO_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import conformo.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"INVITATION_TTL_DAYS {message}" in result.stderr
