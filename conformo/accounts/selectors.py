"""Reads of people: a tenant's members and invitations, through `visible_to(user)` (`models.people_scope`).

Every member of a CB sees the CB's staff, every member of an organization its people, and the CB administrator
and programme managers of an organization's CB see that organization's people too (they invite its first
administrator). Anything else answers 404, as for an object that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from conformo.accounts.invitations import manages_client, may_invite, organization_has_admin
from conformo.accounts.models import Invitation, Membership
from conformo.accounts.services import may_manage_members
from conformo.core.errors import NotFound
from conformo.core.roles import CB_ROLES, CLIENT_ROLES, Role
from conformo.core.tenancy import by_id, reach
from conformo.notifications.kinds import Kind
from conformo.notifications.models import Notice
from conformo.organizations.models import CertificationBody, Organization


def may_see_cb_members(user: Any, certification_body: CertificationBody) -> bool:
    r = reach(user)
    return r.superuser or certification_body.pk in r.roles_by_cb


def may_see_organization_members(user: Any, organization: Organization) -> bool:
    r = reach(user)
    return r.superuser or organization.pk in r.organizations or manages_client(user, organization)


def cb_for_members(*, user: Any, public_id: Any) -> CertificationBody:
    """The CB whose people the user sees, else 404."""
    cb = by_id(CertificationBody.objects.all(), public_id)
    if cb is None or not may_see_cb_members(user, cb):
        raise NotFound("No such certification body.")
    return cb


def organization_for_members(*, user: Any, public_id: Any) -> Organization:
    """The organization whose people the user sees, else 404."""
    org = by_id(Organization.objects.all(), public_id)
    if org is None or not may_see_organization_members(user, org):
        raise NotFound("No such organization.")
    return org


def _scope(tenant: CertificationBody | Organization) -> dict[str, Any]:
    if isinstance(tenant, CertificationBody):
        return {"certification_body": tenant}
    return {"organization": tenant}


def member_list(*, user: Any, tenant: CertificationBody | Organization) -> QuerySet[Membership]:
    """The tenant's memberships, by person then role."""
    return (
        Membership.objects.visible_to(user)
        .filter(**_scope(tenant))
        .select_related("user", "certification_body", "organization")
        .order_by("user__full_name", "user__email", "role")
    )


def invitation_list(*, user: Any, tenant: CertificationBody | Organization) -> QuerySet[Invitation]:
    """The tenant's open invitations (pending, or expired and waiting to be sent again), newest first."""
    return (
        Invitation.objects.visible_to(user)
        .open()
        .filter(**_scope(tenant))
        .select_related("invited_by", "certification_body", "organization")
        .order_by("-last_sent_at")
    )


def membership_get(*, user: Any, public_id: Any) -> Membership:
    membership = by_id(
        Membership.objects.visible_to(user).select_related("user", "certification_body", "organization"), public_id
    )
    if membership is None:
        raise NotFound("No such membership.")
    return membership


def invitation_get(*, user: Any, public_id: Any) -> Invitation:
    invitation = by_id(
        Invitation.objects.visible_to(user).select_related("invited_by", "certification_body", "organization"),
        public_id,
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def mail_status(invitations: list[Invitation]) -> dict[int, str]:
    """The state of the latest e-mail of each invitation (sent, waiting, failed …), read in one query."""
    keys = {f"invitation:{i.pk}:{i.sent_count}": i.pk for i in invitations}
    rows = Notice.objects.filter(kind=Kind.INVITATION, key__in=list(keys)).values_list("key", "status")
    labels = dict(Notice._meta.get_field("status").choices or [])
    return {keys[key]: str(labels.get(status, status)) for key, status in rows}


def invitable_roles(user: Any, tenant: CertificationBody | Organization) -> list[Role]:
    """The roles `user` may invite people to at the tenant (none: no invite form)."""
    if isinstance(tenant, CertificationBody):
        roles = sorted(CB_ROLES, key=list(Role).index)
        return [r for r in roles if may_invite(user, role=r, certification_body=tenant)]
    roles = sorted(CLIENT_ROLES, key=list(Role).index)
    return [r for r in roles if may_invite(user, role=r, organization=tenant)]


def tenant_roles(tenant: CertificationBody | Organization) -> list[Role]:
    """The roles a member of this kind of tenant may hold, in the vocabulary's order."""
    roles = CB_ROLES if isinstance(tenant, CertificationBody) else CLIENT_ROLES
    return sorted(roles, key=list(Role).index)


def manages_members(user: Any, tenant: CertificationBody | Organization) -> bool:
    """Whether `user` changes roles and ends memberships at the tenant (its administrator)."""
    if isinstance(tenant, CertificationBody):
        return may_manage_members(user, certification_body=tenant)
    return may_manage_members(user, organization=tenant)


def invites_first_admin(user: Any, organization: Organization) -> bool:
    """The CB side's “Invite the client's administrator”: the CB administrator or a programme manager of the
    organization's CB, while the organization has no client administrator."""
    return manages_client(user, organization) and not organization_has_admin(organization)


@dataclass(frozen=True)
class MembersPlace:
    """A tenant whose people the user sees, with the address of its people page."""

    name: str
    kind: str
    url: str


def member_places(user: Any) -> list[MembersPlace]:
    """The CBs and organizations whose people page the user may open (their own tenants; for an installation
    administrator every CB)."""
    r = reach(user)
    cbs = (
        CertificationBody.objects.all() if r.superuser else CertificationBody.objects.filter(pk__in=list(r.roles_by_cb))
    )
    places = [
        MembersPlace(cb.name, "Certification body", reverse("accounts:cb-members", args=[cb.public_id]))
        for cb in cbs.order_by("name")
    ]
    orgs = Organization.objects.filter(pk__in=list(r.organizations)).order_by("legal_name")
    places += [
        MembersPlace(org.legal_name, "Organization", reverse("accounts:organization-members", args=[org.public_id]))
        for org in orgs
    ]
    return places
