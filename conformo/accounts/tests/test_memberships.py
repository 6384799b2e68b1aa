"""Changing a member's role and ending a membership: by the tenant's administrator, never leaving it without one."""

from __future__ import annotations

from typing import Any

import pytest

from conformo.accounts.models import Membership, User
from conformo.accounts.services import membership_change_role, membership_end
from conformo.conftest import _member
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role, has_org_role

pytestmark = pytest.mark.django_db


def membership(user: Any) -> Membership:
    return Membership.objects.get(user=user)


def fresh(user: Any) -> User:
    """The user as the next request reads it."""
    return User.objects.get(pk=user.pk)


def test_the_cb_administrator_changes_a_role_and_it_is_audit_logged(cb: Any, cb_admin: Any, auditor: Any) -> None:
    assert has_cb_role(auditor, cb.pk, Role.AUDITOR)
    changed = membership_change_role(actor=cb_admin, membership=membership(auditor), role=Role.TECHNICAL_EXPERT)
    assert changed.role == Role.TECHNICAL_EXPERT
    assert not has_cb_role(fresh(auditor), cb.pk, Role.AUDITOR)
    entry = AuditLogEntry.objects.get(action="membership.change_role")
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["role"], entry.after["role"], entry.actor, entry.certification_body_id) == (
        Role.AUDITOR,
        Role.TECHNICAL_EXPERT,
        cb_admin,
        cb.pk,
    )


def test_the_last_cb_administrator_keeps_the_role(cb: Any, cb_admin: Any) -> None:
    with pytest.raises(Conflict, match="last CB administrator") as refused:
        membership_change_role(actor=cb_admin, membership=membership(cb_admin), role=Role.AUDITOR)
    assert refused.value.code == "last_administrator"
    with pytest.raises(Conflict) as ended:
        membership_end(actor=cb_admin, membership=membership(cb_admin))
    assert ended.value.code == "last_administrator"
    assert membership(cb_admin).role == Role.CB_ADMIN
    assert not AuditLogEntry.objects.filter(action__startswith="membership.").exists()


def test_with_a_second_administrator_the_first_may_step_down(cb: Any, cb_admin: Any) -> None:
    _member(Role.CB_ADMIN, "second.admin@northbridge.test", certification_body=cb)
    membership_change_role(actor=cb_admin, membership=membership(cb_admin), role=Role.DECISION_MAKER)
    assert not has_cb_role(cb_admin, cb.pk, Role.CB_ADMIN)  # the actor's own reach is read again
    with pytest.raises(PermissionDenied):
        membership_change_role(actor=cb_admin, membership=membership(cb_admin), role=Role.CB_ADMIN)


def test_the_last_client_administrator_cannot_leave_the_organization(acme: Any, client_admin: Any) -> None:
    with pytest.raises(Conflict, match="last Client administrator") as refused:
        membership_end(actor=client_admin, membership=membership(client_admin))
    assert refused.value.code == "last_administrator"
    assert Membership.objects.filter(organization=acme, role=Role.CLIENT_ADMIN).count() == 1


def test_ending_a_membership_removes_the_role_at_once(acme: Any, client_admin: Any, client_member: Any) -> None:
    assert has_org_role(client_member, acme.pk, Role.CLIENT_MEMBER)
    ended = membership_end(actor=client_admin, membership=membership(client_member))
    assert ended.role == Role.CLIENT_MEMBER
    assert not Membership.objects.filter(user=client_member).exists()
    assert not has_org_role(fresh(client_member), acme.pk, Role.CLIENT_MEMBER)
    entry = AuditLogEntry.objects.get(action="membership.end")
    assert (entry.before, entry.organization_id) == ({"user": client_member.email, "role": Role.CLIENT_MEMBER}, acme.pk)


@pytest.mark.parametrize("who", ["programme_manager", "auditor", "other_cb_admin", "client_admin", "outsider"])
def test_only_the_cbs_administrator_changes_its_staff(cb: Any, decision_maker: Any, who: str, request: Any) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        membership_change_role(actor=actor, membership=membership(decision_maker), role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        membership_end(actor=actor, membership=membership(decision_maker))
    assert membership(decision_maker).role == Role.DECISION_MAKER


def test_a_client_member_or_the_cb_cannot_change_the_clients_people(
    client_member: Any, client_admin: Any, cb_admin: Any, other_client_admin: Any
) -> None:
    for actor in (client_member, cb_admin, other_client_admin):
        with pytest.raises(PermissionDenied):
            membership_end(actor=actor, membership=membership(client_admin))


@pytest.mark.parametrize("role", [Role.CLIENT_ADMIN, "owner", ""])
def test_a_role_of_the_other_kind_or_none_is_a_field_error(cb_admin: Any, auditor: Any, role: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        membership_change_role(actor=cb_admin, membership=membership(auditor), role=role)
    assert "role" in refused.value.fields


def test_a_role_the_person_holds_already_is_refused(cb: Any, cb_admin: Any, auditor: Any) -> None:
    Membership.objects.create(user=auditor, role=Role.DECISION_MAKER, certification_body=cb)
    held = Membership.objects.get(user=auditor, role=Role.AUDITOR)
    with pytest.raises(Conflict) as refused:
        membership_change_role(actor=cb_admin, membership=held, role=Role.DECISION_MAKER)
    assert refused.value.code == "already_member"


def test_choosing_the_same_role_changes_nothing(cb_admin: Any, auditor: Any) -> None:
    membership_change_role(actor=cb_admin, membership=membership(auditor), role=Role.AUDITOR)
    assert not AuditLogEntry.objects.filter(action="membership.change_role").exists()
