"""Who may read and write an organization's readiness work.

* client administrators of the organization read and write everything;
* client members read everything and may answer the assessment items they own;
* CB users (any CB role that sees the client) read only, and only while the client shares its
  readiness work with their CB (`ClientRelationship.shares_readiness`);
* everyone else sees nothing (a 404, never a 403 that would reveal the object exists).

The organization ids are computed once per request and kept on the user object.
"""

from __future__ import annotations

from typing import Any

from conformo.accounts.choices import Role
from conformo.core.errors import NotFound, PermissionDenied
from conformo.organizations.models import Organization

_CACHE = "_readiness_access"


class _Access:
    __slots__ = ("admin_of", "all", "member_of", "readable")

    def __init__(self, *, readable: set[int], admin_of: set[int], member_of: set[int], all: bool = False) -> None:
        self.readable = readable
        self.admin_of = admin_of
        self.member_of = member_of
        self.all = all


def _access(user: Any) -> _Access:
    if not getattr(user, "is_authenticated", False):
        return _Access(readable=set(), admin_of=set(), member_of=set())
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    memberships = list(user.memberships.values_list("organization_id", "role", "certification_body_id"))
    admin_of = {org_id for org_id, role, _ in memberships if role == Role.CLIENT_ADMIN and org_id}
    member_of = {org_id for org_id, _, _ in memberships if org_id}
    readable = set(member_of)
    cb_ids = [cb_id for _, _, cb_id in memberships if cb_id]
    if cb_ids:
        shared = (
            Organization.objects.visible_to(user)
            .filter(client_relationships__certification_body_id__in=cb_ids, client_relationships__shares_readiness=True)
            .values_list("pk", flat=True)
        )
        readable |= set(shared)
    access = _Access(readable=readable, admin_of=admin_of, member_of=member_of, all=bool(user.is_superuser))
    setattr(user, _CACHE, access)
    return access


def readable_organization_ids(user: Any) -> set[int] | None:
    """Ids of organizations whose readiness work `user` may read; ``None`` means all (superuser)."""
    access = _access(user)
    return None if access.all else access.readable


def readable_organizations(user: Any) -> Any:
    ids = readable_organization_ids(user)
    return Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)


def can_read(user: Any, organization_id: int) -> bool:
    access = _access(user)
    return access.all or organization_id in access.readable


def can_manage(user: Any, organization_id: int) -> bool:
    """Client administrators of the organization (and superusers) write its readiness work."""
    access = _access(user)
    return access.all or organization_id in access.admin_of


def is_member(user: Any, organization_id: int) -> bool:
    access = _access(user)
    return access.all or organization_id in access.member_of


def require_read(user: Any, organization_id: int, what: str = "object") -> None:
    if not can_read(user, organization_id):
        raise NotFound(f"No such {what}.")


def require_manage(user: Any, organization_id: int, what: str = "object") -> None:
    """404 for those who may not read, 403 for readers who may not write."""
    require_read(user, organization_id, what)
    if not can_manage(user, organization_id):
        raise PermissionDenied("Only a client administrator of this organization can change its readiness work.")


def organization_for(user: Any, public_id: Any) -> Organization:
    """The organization with `public_id` if the user may read its readiness work, else 404."""
    ids = readable_organization_ids(user)
    qs = Organization.objects.filter(public_id=public_id)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    org = qs.first()
    if org is None:
        raise NotFound("No such organization.")
    return org


def default_organization(user: Any) -> Organization | None:
    """The organization a client user works for (first membership), for pages without an org in the URL."""
    access = _access(user)
    ids = sorted(access.member_of) or sorted(access.readable)
    return Organization.objects.filter(pk__in=ids[:1]).first() if ids else None
