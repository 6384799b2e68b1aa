"""The members pages: who sees them, the administrator's actions (each a form with its own URL), accepting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conformo.accounts.invitation_links import invitation_path
from conformo.accounts.invitations import invitation_create, invitation_revoke
from conformo.accounts.models import Invitation, Membership, User
from conformo.conftest import _member, login
from conformo.core.roles import Role
from conformo.organizations.models import CertificationBody

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-secret-42"


def cb_page(cb: Any) -> str:
    return f"/accounts/members/certification-bodies/{cb.public_id}/"


def org_page(org: Any) -> str:
    return f"/accounts/members/organizations/{org.public_id}/"


def invite_auditor(cb: Any, cb_admin: Any, email: str = "new.auditor@example.org") -> Invitation:
    return invitation_create(actor=cb_admin, email=email, role=Role.AUDITOR, certification_body=cb)


# --- seeing the members --------------------------------------------------------------------------------------


def test_the_cb_administrator_sees_staff_invitations_and_every_action(
    cb: Any, cb_admin: Any, auditor: Any, decision_maker: Any
) -> None:
    invite_auditor(cb, cb_admin)
    response = login(cb_admin).get(cb_page(cb))
    assert response.status_code == 200
    page = response.content.decode()
    assert auditor.email in page
    assert decision_maker.email in page
    assert "new.auditor@example.org" in page
    assert f'action="/accounts/members/certification-bodies/{cb.public_id}/invite/"' in page
    assert page.count("Change role") == 3
    assert "End membership" in page
    assert "Send again" in page
    assert "Revoke" in page
    assert '<option value="technical_expert">Technical expert</option>' in page


@pytest.mark.parametrize("who", ["auditor", "programme_manager", "decision_maker"])
def test_cb_staff_see_their_colleagues_but_no_action(cb: Any, cb_admin: Any, who: str, request: Any) -> None:
    invite_auditor(cb, cb_admin)
    page = login(request.getfixturevalue(who)).get(cb_page(cb)).content.decode()
    assert cb_admin.email in page
    assert "new.auditor@example.org" in page
    for action in ("Change role", "End membership", "Send again", "Revoke", "Send the invitation"):
        assert action not in page


@pytest.mark.parametrize("who", ["other_cb_admin", "client_admin", "outsider"])
def test_outsiders_and_other_tenants_find_no_cb_members_page(cb: Any, who: str, request: Any) -> None:
    assert login(request.getfixturevalue(who)).get(cb_page(cb)).status_code == 404


def test_the_members_pages_ask_to_sign_in(cb: Any) -> None:
    response = Client().get(cb_page(cb))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_client_member_sees_the_organizations_people_but_no_action(
    acme: Any, client_admin: Any, client_member: Any, bluewater: Any
) -> None:
    page = login(client_member).get(org_page(acme)).content.decode()
    assert client_admin.email in page
    assert "Change role" not in page
    assert "Send the invitation" not in page
    assert login(client_member).get(org_page(bluewater)).status_code == 404


def test_the_client_administrator_may_invite_administrators_and_members(acme: Any, client_admin: Any) -> None:
    page = login(client_admin).get(org_page(acme)).content.decode()
    assert '<option value="client_admin">Client administrator</option>' in page
    assert '<option value="client_member">Client member</option>' in page
    assert "Change role" in page


def test_the_members_list_costs_the_same_queries_for_many_people(
    cb: Any, cb_admin: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(cb_admin)
    invite_auditor(cb, cb_admin, email="first@example.org")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(cb_page(cb)).status_code == 200
    few = len(queries)
    for n in range(15):
        _member(Role.AUDITOR, f"auditor{n}@northbridge.test", certification_body=cb)
        invite_auditor(cb, cb_admin, email=f"invitee{n}@example.org")
    with django_assert_max_num_queries(few):
        assert client.get(cb_page(cb)).status_code == 200


# --- inviting on the page ------------------------------------------------------------------------------------


def test_inviting_on_the_page_sends_the_invitation_and_returns_to_the_list(
    cb: Any, cb_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cb_admin).post(
            f"{cb_page(cb)}invite/",
            {"invite-email": "Tess@Example.org", "invite-role": "technical_expert", "invite-full_name": "Tess T"},
        )
    assert response.status_code == 302
    assert response["Location"] == cb_page(cb)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.full_name) == (
        "tess@example.org",
        "technical_expert",
        "Tess T",
    )
    assert mail.outbox[0].to == ["tess@example.org"]


@pytest.mark.parametrize(
    ("email", "status", "message"),
    [
        ("not-an-email", 422, "Enter a valid email address."),
        ("auditor@northbridge.test", 409, "is a Auditor of Northbridge Certification already"),
        ("new.auditor@example.org", 409, "has an open invitation as Auditor already"),
    ],
)
def test_a_refused_invitation_is_shown_on_the_form_with_the_input_kept(
    cb: Any, cb_admin: Any, auditor: Any, email: str, status: int, message: str
) -> None:
    invite_auditor(cb, cb_admin)
    response = login(cb_admin).post(f"{cb_page(cb)}invite/", {"invite-email": email, "invite-role": "auditor"})
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert f'value="{email}"' in page


def test_a_role_not_offered_is_a_field_error_not_a_500(cb: Any, cb_admin: Any) -> None:
    response = login(cb_admin).post(f"{cb_page(cb)}invite/", {"invite-email": "a@example.org", "invite-role": "root"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_staff_who_may_not_invite_are_refused_with_a_reason(cb: Any, programme_manager: Any) -> None:
    response = login(programme_manager).post(f"{cb_page(cb)}invite/", {"invite-email": "a@example.org"})
    assert response.status_code == 403
    assert "Only an administrator of Northbridge Certification can invite" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_cb_invites_the_clients_first_administrator_from_the_organization_page(
    acme: Any, programme_manager: Any
) -> None:
    client = login(programme_manager)
    detail = client.get(f"/organizations/{acme.public_id}/").content.decode()
    assert "Invite the client's administrator" in detail
    assert f'href="{org_page(acme)}"' in detail
    members = client.get(org_page(acme)).content.decode()
    assert "Invite the client's administrator" in members
    assert '<option value="client_member">' not in members
    response = client.post(
        f"{org_page(acme)}invite/", {"invite-email": "boss@acme.test", "invite-role": "client_admin"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organization == acme
    # Once the client has its administrator, the CB no longer offers it.
    _member(Role.CLIENT_ADMIN, "quality@acme.test", organization=acme)
    assert "Invite the client's administrator" not in client.get(f"/organizations/{acme.public_id}/").content.decode()
    refused = client.post(f"{org_page(acme)}invite/", {"invite-email": "x@acme.test", "invite-role": "client_admin"})
    assert refused.status_code == 403


def test_the_organization_page_offers_no_invitation_to_auditors_or_the_client(
    acme: Any, client_admin: Any, decision_maker: Any
) -> None:
    page = login(client_admin).get(f"/organizations/{acme.public_id}/").content.decode()
    assert "Members and invitations" in page
    assert "Invite the client's administrator" not in page
    decision_page = login(decision_maker).get(f"/organizations/{acme.public_id}/").content.decode()
    assert "Members and invitations" not in decision_page


# --- the administrator's actions -----------------------------------------------------------------------------


def test_changing_a_role_and_ending_a_membership_on_the_page(cb: Any, cb_admin: Any, auditor: Any) -> None:
    client = login(cb_admin)
    membership = Membership.objects.get(user=auditor)
    response = client.post(f"/accounts/members/{membership.public_id}/role/", {"role": "decision_maker"})
    assert response.status_code == 302
    assert response["Location"] == cb_page(cb)
    membership.refresh_from_db()
    assert membership.role == Role.DECISION_MAKER
    assert client.post(f"/accounts/members/{membership.public_id}/end/").status_code == 302
    assert not Membership.objects.filter(user=auditor).exists()


def test_the_last_administrator_is_refused_on_the_page_with_the_reason(cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    membership = Membership.objects.get(user=cb_admin)
    response = client.post(f"/accounts/members/{membership.public_id}/end/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "is the last CB administrator of Northbridge Certification" in page
    assert "Ending the membership of" in page
    role = client.post(f"/accounts/members/{membership.public_id}/role/", {"role": "auditor"})
    assert role.status_code == 409
    assert "Changing the role of" in role.content.decode()
    assert Membership.objects.get(user=cb_admin).role == Role.CB_ADMIN


def test_a_member_cannot_change_roles_by_posting(cb: Any, auditor: Any, decision_maker: Any) -> None:
    membership = Membership.objects.get(user=decision_maker)
    response = login(auditor).post(f"/accounts/members/{membership.public_id}/role/", {"role": "auditor"})
    assert response.status_code == 403
    other = login(User.objects.create_user("nobody@example.org", "x"))
    assert other.post(f"/accounts/members/{membership.public_id}/end/").status_code == 404


def test_resending_and_revoking_on_the_page(cb: Any, cb_admin: Any, auditor: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    client = login(cb_admin)
    assert client.post(f"/accounts/invitations/{invitation.public_id}/resend/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert login(auditor).post(f"/accounts/invitations/{invitation.public_id}/revoke/").status_code == 403
    assert client.post(f"/accounts/invitations/{invitation.public_id}/revoke/").status_code == 302
    again = client.post(f"/accounts/invitations/{invitation.public_id}/revoke/")
    assert again.status_code == 409
    assert "This invitation was revoked" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_expired_invitation_is_marked_and_may_be_sent_again(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = login(cb_admin).get(cb_page(cb)).content.decode()
        assert "expired" in page
        assert f"/accounts/invitations/{invitation.public_id}/resend/" in page


# --- accepting -----------------------------------------------------------------------------------------------


def test_someone_new_accepts_on_the_page_and_is_signed_in(cb: Any, cb_admin: Any) -> None:
    invitation = invitation_create(
        actor=cb_admin, email="nia@example.org", role=Role.AUDITOR, certification_body=cb, full_name="Nia New"
    )
    client = Client()
    page = client.get(invitation_path(invitation))
    assert page.status_code == 200
    text = page.content.decode()
    assert "invites <strong>nia@example.org</strong> to join <strong>Northbridge Certification</strong>" in text
    assert 'value="Nia New"' in text
    assert page["Cache-Control"].startswith("max-age=0")
    response = client.post(
        invitation_path(invitation), {"full_name": "Nia New", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/").content.decode()
    assert "Welcome to Northbridge Certification" in dashboard
    assert "Auditor" in dashboard
    assert User.objects.get(email="nia@example.org").check_password(PASSWORD)


def test_the_accept_form_says_what_is_wrong(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    response = Client().post(
        invitation_path(invitation), {"full_name": "Nia", "password": "password", "password_again": "password"}
    )
    assert response.status_code == 422
    assert "This password is too common." in response.content.decode()
    differ = Client().post(invitation_path(invitation), {"full_name": "N", "password": PASSWORD, "password_again": "x"})
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_used_revoked_replaced_or_unknown_link_is_refused_in_words(cb: Any, cb_admin: Any) -> None:
    used = invite_auditor(cb, cb_admin, email="used@example.org")
    path = invitation_path(used)
    Client().post(path, {"full_name": "U", "password": PASSWORD, "password_again": PASSWORD})
    replay = Client().get(path)
    assert replay.status_code == 410
    assert "This invitation was already accepted." in replay.content.decode()
    assert Client().post(path, {"full_name": "E", "password": PASSWORD, "password_again": PASSWORD}).status_code == 410

    revoked = invite_auditor(cb, cb_admin, email="revoked@example.org")
    invitation_revoke(actor=cb_admin, invitation=revoked)
    assert "This invitation was withdrawn." in Client().get(invitation_path(revoked)).content.decode()

    replaced = invite_auditor(cb, cb_admin, email="replaced@example.org")
    old_path = invitation_path(replaced)
    login(cb_admin).post(f"/accounts/invitations/{replaced.public_id}/resend/")
    old = Client().get(old_path)
    assert old.status_code == 410
    assert "replaced by a newer invitation e-mail" in old.content.decode()

    unknown = Client().get("/accounts/invitations/accept/not-a-token/")
    assert unknown.status_code == 404
    assert "This invitation link is not valid." in unknown.content.decode()


def test_an_expired_link_is_refused_in_words(cb: Any, cb_admin: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().get(invitation_path(invitation))
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()


def test_an_existing_account_is_sent_to_sign_in_and_comes_back_to_accept(
    cb: Any, cb_admin: Any, client_member: Any
) -> None:
    invitation = invite_auditor(cb, cb_admin, email=client_member.email)
    client = Client()
    path = invitation_path(invitation)
    page = client.get(path).content.decode()
    assert "has a Conformo account" in page
    assert 'name="password"' not in page  # the password is given on the sign-in page, which throttles guesses
    refused = client.post(path, {"password": "pw-for-tests"})
    assert refused.status_code == 409
    assert "has a Conformo account" in refused.content.decode()
    signed_in = client.post(
        f"/accounts/login/?next={path}", {"username": client_member.email, "password": "pw-for-tests"}
    )
    assert signed_in["Location"] == path
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=client_member, role=Role.AUDITOR, certification_body=cb).exists()


def test_a_signed_in_invitee_accepts_with_one_button(cb: Any, cb_admin: Any, client_member: Any) -> None:
    invitation = invite_auditor(cb, cb_admin, email=client_member.email)
    client = login(client_member)
    assert "accepting adds the role to your account" in client.get(invitation_path(invitation)).content.decode()
    assert client.post(invitation_path(invitation)).status_code == 302
    assert Membership.objects.filter(user=client_member, role=Role.AUDITOR).exists()


def test_someone_signed_in_as_another_address_is_told_to_sign_out(cb: Any, cb_admin: Any, outsider: Any) -> None:
    invitation = invite_auditor(cb, cb_admin)
    client = login(outsider)
    page = client.get(invitation_path(invitation)).content.decode()
    assert "Sign out, then open the link again." in page
    assert client.post(invitation_path(invitation)).status_code == 403
    assert not Membership.objects.filter(certification_body=cb, role=Role.AUDITOR).exists()


# --- finding the pages ---------------------------------------------------------------------------------------


def test_navigation_leads_a_member_straight_to_their_members_page(cb: Any, auditor: Any) -> None:
    client = login(auditor)
    assert 'href="/accounts/members/"' in client.get("/dashboard/").content.decode()
    response = client.get("/accounts/members/")
    assert response.status_code == 302
    assert response["Location"] == cb_page(cb)


def test_someone_in_two_tenants_chooses_and_the_dashboard_links_each(cb: Any, acme: Any, client_admin: Any) -> None:
    Membership.objects.create(user=client_admin, role=Role.DECISION_MAKER, certification_body=cb)
    client = login(client_admin)
    page = client.get("/accounts/members/").content.decode()
    assert f'href="{cb_page(cb)}"' in page
    assert f'href="{org_page(acme)}"' in page
    dashboard = client.get("/dashboard/").content.decode()
    assert f'href="{cb_page(cb)}"' in dashboard
    assert f'href="{org_page(acme)}"' in dashboard


def test_an_installation_administrator_registers_a_cb_and_invites_its_administrator(superuser: Any) -> None:
    client = login(superuser)
    assert "Register a certification body" in client.get("/accounts/members/").content.decode()
    response = client.post(
        "/accounts/members/certification-bodies/new/",
        {"name": "Eastline Audit", "country": "de", "admin_email": "boss@eastline.example", "admin_name": "Bo"},
    )
    cb = CertificationBody.objects.get(name="Eastline Audit")
    assert response.status_code == 302
    assert response["Location"] == cb_page(cb)
    assert cb.country == "DE"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.certification_body) == (
        "boss@eastline.example",
        "cb_admin",
        cb,
    )
    duplicate = client.post(
        "/accounts/members/certification-bodies/new/",
        {"name": "eastline audit", "country": "DE", "admin_email": "x@eastline.example"},
    )
    assert duplicate.status_code == 422
    assert "exists already" in duplicate.content.decode()


def test_only_an_installation_administrator_registers_a_cb(cb_admin: Any) -> None:
    assert login(cb_admin).get("/accounts/members/certification-bodies/new/").status_code == 403
