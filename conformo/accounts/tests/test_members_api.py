"""The members and invitations API: lists, invite / resend / revoke, accept, change a role, end a membership."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conformo.accounts.invitation_links import invitation_token
from conformo.accounts.invitations import invitation_create
from conformo.accounts.models import Membership, User
from conformo.conftest import _member, token_client
from conformo.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-secret-42"


def api(user: Any) -> Client:
    client, _ = token_client(user)
    return client


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def cb_path(cb: Any) -> str:
    return f"/certification-bodies/{cb.public_id}"


def org_path(org: Any) -> str:
    return f"/organizations/{org.public_id}"


def test_cb_staff_list_the_members_and_open_invitations(cb: Any, cb_admin: Any, auditor: Any) -> None:
    invitation_create(actor=cb_admin, email="new@example.org", role=Role.TECHNICAL_EXPERT, certification_body=cb)
    client = api(auditor)
    members = client.get(f"/api/v1{cb_path(cb)}/members").json()
    assert members["count"] == 2
    assert {(m["email"], m["role"], m["tenant_type"]) for m in members["items"]} == {
        (cb_admin.email, "cb_admin", "certification_body"),
        (auditor.email, "auditor", "certification_body"),
    }
    invitations = client.get(f"/api/v1{cb_path(cb)}/invitations").json()
    [item] = invitations["items"]
    assert (item["email"], item["role_label"], item["status"], item["invited_by"]) == (
        "new@example.org",
        "Technical expert",
        "pending",
        cb_admin.email,
    )


@pytest.mark.parametrize("who", ["other_cb_admin", "client_admin", "outsider"])
def test_other_tenants_and_outsiders_get_404(cb: Any, who: str, request: Any) -> None:
    client = api(request.getfixturevalue(who))
    for path in ("members", "invitations"):
        response = client.get(f"/api/v1{cb_path(cb)}/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert post(client, f"{cb_path(cb)}/invitations", {"email": "a@b.org", "role": "auditor"}).status_code == 404


def test_anonymous_callers_are_asked_to_authenticate(cb: Any) -> None:
    assert Client().get(f"/api/v1{cb_path(cb)}/members").status_code == 401


def test_the_member_list_costs_the_same_queries_for_many_people(
    cb: Any, cb_admin: Any, django_assert_max_num_queries: Any
) -> None:
    client = api(cb_admin)
    for n in range(3):
        _member(Role.AUDITOR, f"a{n}@northbridge.test", certification_body=cb)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1{cb_path(cb)}/members")
    for n in range(3, 25):
        _member(Role.AUDITOR, f"a{n}@northbridge.test", certification_body=cb)
    with django_assert_max_num_queries(len(queries)):
        assert client.get(f"/api/v1{cb_path(cb)}/members").json()["count"] == 26


def test_inviting_answers_201_with_the_invitation(cb: Any, cb_admin: Any) -> None:
    response = post(api(cb_admin), f"{cb_path(cb)}/invitations", {"email": "Nia@Example.org", "role": "auditor"})
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["status"], body["sent_count"]) == (
        "nia@example.org",
        "auditor",
        "pending",
        1,
    )
    assert body["tenant_id"] == str(cb.public_id)


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"email": "not-an-email", "role": "auditor"}, 422, "invalid_email", "email"),
        ({"email": "a@example.org", "role": "client_admin"}, 422, "invalid_role", "role"),
        ({"email": "a@example.org"}, 422, "validation_error", "role"),
        ({"email": "auditor@northbridge.test", "role": "auditor"}, 409, "already_member", "email"),
        ({"email": "pending@example.org", "role": "auditor"}, 409, "invitation_pending", "email"),
    ],
)
def test_bad_invitations_get_a_clear_error(
    cb: Any, cb_admin: Any, auditor: Any, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    invitation_create(actor=cb_admin, email="pending@example.org", role=Role.AUDITOR, certification_body=cb)
    response = post(api(cb_admin), f"{cb_path(cb)}/invitations", body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert field in response.json()["fields"]


def test_staff_who_may_not_invite_get_403(cb: Any, programme_manager: Any) -> None:
    response = post(api(programme_manager), f"{cb_path(cb)}/invitations", {"email": "a@example.org", "role": "auditor"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_client_administrator_invites_a_colleague(acme: Any, client_admin: Any, client_member: Any) -> None:
    response = post(
        api(client_admin), f"{org_path(acme)}/invitations", {"email": "c@acme.test", "role": "client_member"}
    )
    assert response.status_code == 201
    assert response.json()["tenant_type"] == "organization"
    listed = api(client_member).get(f"/api/v1{org_path(acme)}/invitations").json()
    assert [i["email"] for i in listed["items"]] == ["c@acme.test"]
    assert api(client_member).get(f"/api/v1{org_path(acme)}/members").json()["count"] == 2


def test_resend_and_revoke(cb: Any, cb_admin: Any, auditor: Any) -> None:
    invitation = invitation_create(actor=cb_admin, email="n@example.org", role=Role.AUDITOR, certification_body=cb)
    client = api(cb_admin)
    resent = post(client, f"/invitations/{invitation.public_id}/resend")
    assert resent.status_code == 200
    assert resent.json()["sent_count"] == 2
    assert post(api(auditor), f"/invitations/{invitation.public_id}/revoke").status_code == 403
    revoked = post(client, f"/invitations/{invitation.public_id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    again = post(client, f"/invitations/{invitation.public_id}/resend")
    assert again.status_code == 409
    assert again.json()["code"] == "invitation_revoked"
    assert post(client, "/invitations/00000000-0000-0000-0000-000000000000/revoke").status_code == 404


def test_someone_new_accepts_anonymously_with_the_token_and_a_password(cb: Any, cb_admin: Any) -> None:
    invitation = invitation_create(actor=cb_admin, email="n@example.org", role=Role.AUDITOR, certification_body=cb)
    token = invitation_token(invitation)
    client = Client(enforce_csrf_checks=True)
    weak = post(client, "/invitations/accept", {"token": token, "full_name": "Nia", "password": "123"})
    assert weak.status_code == 422
    assert "password" in weak.json()["fields"]
    response = post(client, "/invitations/accept", {"token": token, "full_name": "Nia", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert (body["membership"]["email"], body["membership"]["role"]) == ("n@example.org", "auditor")
    assert body["invitation"]["status"] == "accepted"
    assert User.objects.get(email="n@example.org").check_password(PASSWORD)
    replay = post(client, "/invitations/accept", {"token": token, "full_name": "Eve", "password": PASSWORD})
    assert replay.status_code == 410
    assert replay.json()["code"] == "invitation_used"


def test_an_account_accepts_with_its_token_signed_in(cb: Any, cb_admin: Any, client_member: Any, outsider: Any) -> None:
    invitation = invitation_create(actor=cb_admin, email=client_member.email, role=Role.AUDITOR, certification_body=cb)
    token = invitation_token(invitation)
    other = post(api(outsider), "/invitations/accept", {"token": token})
    assert other.status_code == 403
    assert other.json()["code"] == "invitation_for_another_address"
    response = post(api(client_member), "/invitations/accept", {"token": token})
    assert response.status_code == 201
    assert Membership.objects.filter(user=client_member, role=Role.AUDITOR, certification_body=cb).exists()


def test_a_signed_in_session_must_send_its_csrf_token_to_accept(cb: Any, cb_admin: Any, client_member: Any) -> None:
    invitation = invitation_create(actor=cb_admin, email=client_member.email, role=Role.AUDITOR, certification_body=cb)
    client = Client(enforce_csrf_checks=True)
    client.force_login(client_member)
    response = post(client, "/invitations/accept", {"token": invitation_token(invitation)})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=client_member, role=Role.AUDITOR).exists()


def test_a_bad_token_is_404_and_an_expired_one_410(cb: Any, cb_admin: Any) -> None:
    response = post(Client(), "/invitations/accept", {"token": "nonsense", "password": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_invalid"
    invitation = invitation_create(actor=cb_admin, email="n@example.org", role=Role.AUDITOR, certification_body=cb)
    token = invitation_token(invitation)
    post(api(cb_admin), f"/invitations/{invitation.public_id}/resend")
    superseded = post(Client(), "/invitations/accept", {"token": token, "full_name": "N", "password": PASSWORD})
    assert superseded.status_code == 410
    assert superseded.json()["code"] == "invitation_superseded"


def test_change_a_role_and_end_a_membership(cb: Any, cb_admin: Any, auditor: Any) -> None:
    membership = Membership.objects.get(user=auditor)
    client = api(cb_admin)
    changed = post(client, f"/memberships/{membership.public_id}/change-role", {"role": "technical_expert"})
    assert changed.status_code == 200
    assert changed.json()["role"] == "technical_expert"
    bad = post(client, f"/memberships/{membership.public_id}/change-role", {"role": "client_member"})
    assert bad.status_code == 422
    assert post(api(auditor), f"/memberships/{membership.public_id}/end").status_code == 403
    assert post(client, f"/memberships/{membership.public_id}/end").status_code == 204
    assert not Membership.objects.filter(user=auditor).exists()


def test_the_last_administrator_is_refused_with_its_code(acme: Any, client_admin: Any) -> None:
    membership = Membership.objects.get(user=client_admin)
    response = post(api(client_admin), f"/memberships/{membership.public_id}/end")
    assert response.status_code == 409
    assert response.json()["code"] == "last_administrator"
    role = post(api(client_admin), f"/memberships/{membership.public_id}/change-role", {"role": "client_member"})
    assert role.status_code == 409


def test_the_openapi_document_names_every_answer(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    accept = paths["/api/v1/invitations/accept"]["post"]
    assert set(accept["responses"]) == {"201", "400", "401", "403", "404", "409", "410", "413", "422"}
    assert {} in accept["security"]  # anyone may call it with the link's token
    invite = paths["/api/v1/certification-bodies/{cb_id}/invitations"]["post"]
    assert set(invite["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "422"}
    names = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"InvitationIn", "InvitationOut", "TenantMemberOut", "InvitationAcceptIn", "MembershipRoleIn"} <= set(names)


def test_the_members_schema_is_not_confused_with_the_audit_teams(db: Any) -> None:
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"email", "role", "tenant_name"} <= set(schemas["TenantMemberOut"]["properties"])
    assert "email" not in schemas["MemberOut"]["properties"]  # an audit team's member (conformo.audits)
