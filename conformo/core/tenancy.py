"""Tenancy primitives every app uses: one cached reader of a user's memberships and what follows from it.

`reach(user)` reads the user's memberships once per user object (a request's user, a service's actor) and
keeps the answer on it; every permission check and `visible_to(user)` queryset asks it instead of querying
memberships again. `forget_reach(user)` drops the cached answer after a membership of that user changed.

`tenant_q` builds the filter every `visible_to(user)` of the CB workflow uses: CB-wide roles (CB admin,
programme manager, decision maker) see their CB's objects, auditors and technical experts (`AUDIT_TEAM_ROLES`)
only objects of audits they are on the team of, client roles only their own organization's objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self
from uuid import UUID

from django.db import models
from django.db.models import Q

from conformo.core.actors import SystemActor
from conformo.core.errors import NotFound, OutOfReach, PermissionDenied
from conformo.core.roles import AUDIT_TEAM_ROLES, CB_WIDE_ROLES, Role

_CACHE = "_conformo_reach"


@dataclass(frozen=True)
class Reach:
    """The tenants a user reaches, by kind of role."""

    superuser: bool
    cb_wide: frozenset[int]
    auditor_cbs: frozenset[int]
    organizations: frozenset[int]
    roles_by_cb: dict[int, frozenset[str]]
    roles_by_org: dict[int, frozenset[str]]

    def cb_roles(self) -> frozenset[str]:
        """Every role the user holds in any certification body."""
        return frozenset(role for roles in self.roles_by_cb.values() for role in roles)

    def org_roles(self) -> frozenset[str]:
        """Every role the user holds in any organization."""
        return frozenset(role for roles in self.roles_by_org.values() for role in roles)

    def cbs_with(self, *roles: str) -> frozenset[int]:
        """Ids of the certification bodies where the user holds one of `roles` (any role if none given)."""
        wanted = set(roles)
        return frozenset(cb for cb, held in self.roles_by_cb.items() if not wanted or held & wanted)

    def orgs_with(self, *roles: str) -> frozenset[int]:
        """Ids of the organizations where the user holds one of `roles` (any role if none given)."""
        wanted = set(roles)
        return frozenset(org for org, held in self.roles_by_org.items() if not wanted or held & wanted)


_NOBODY = Reach(False, frozenset(), frozenset(), frozenset(), {}, {})
_EVERYTHING = Reach(True, frozenset(), frozenset(), frozenset(), {}, {})


def reach(user: Any) -> Reach:
    """The user's memberships, read once per user object (one query) and cached on it. `SYSTEM` reaches
    everything, as an installation administrator does; an anonymous visitor (or `None`) reaches nothing."""
    if isinstance(user, SystemActor):
        return _EVERYTHING
    if not getattr(user, "is_authenticated", False):
        return _NOBODY
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    cb_roles: dict[int, set[str]] = {}
    org_roles: dict[int, set[str]] = {}
    for role, cb_id, org_id in user.memberships.values_list("role", "certification_body_id", "organization_id"):
        if cb_id:
            cb_roles.setdefault(cb_id, set()).add(role)
        if org_id:
            org_roles.setdefault(org_id, set()).add(role)
    result = Reach(
        superuser=bool(user.is_superuser),
        cb_wide=frozenset(cb for cb, roles in cb_roles.items() if roles & {r.value for r in CB_WIDE_ROLES}),
        auditor_cbs=frozenset(cb for cb, roles in cb_roles.items() if roles & {r.value for r in AUDIT_TEAM_ROLES}),
        organizations=frozenset(org_roles),
        roles_by_cb={cb: frozenset(roles) for cb, roles in cb_roles.items()},
        roles_by_org={org: frozenset(roles) for org, roles in org_roles.items()},
    )
    setattr(user, _CACHE, result)
    return result


def forget_reach(user: Any) -> None:
    """Drop the cached memberships of `user` (after one of them changed)."""
    for attribute in (_CACHE, "_readiness_access"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def tenant_q(user: Any, *, cb: str, org: str | None, team_user: str | None) -> Q | None:
    """The filter for objects whose CB id is at `cb`, organization id at `org` and team users at
    `team_user` (None: auditors see none). Returns None for a superuser (everything). A path the user has no
    tenant on is left out rather than matched against no ids: its joins would stay in every statement (a CB's
    staff would read a CB's findings through their audits and programmes for their clients' memberships, none)."""
    r = reach(user)
    if r.superuser:
        return None
    query = Q(**{f"{cb}__in": list(r.cb_wide)})
    if org and r.organizations:
        query |= Q(**{f"{org}__in": list(r.organizations)})
    if team_user and r.auditor_cbs:
        query |= Q(**{team_user: user, f"{cb}__in": list(r.auditor_cbs)})
    return query


def known_q(user: Any, *, cb: str, org: str | None, **_: Any) -> Q | None:
    """The filter for objects of the user's own tenants, whatever their role there: any role at the object's CB,
    or a membership of its organization. None for a superuser (everything)."""
    r = reach(user)
    if r.superuser:
        return None
    query = Q(**{f"{cb}__in": list(r.roles_by_cb)})
    if org and r.organizations:
        query |= Q(**{f"{org}__in": list(r.organizations)})
    return query


def not_visible(model: Any, user: Any, what: str, **lookup: Any) -> NotFound:
    """The error for an object `user` may not see: `OutOfReach` (a 403 page) when it is in one of their own
    tenants — an auditor's audit he is not on, a client's draft — else `NotFound` (never reveal an object of
    another tenant, nor whether one exists)."""
    paths = getattr(model, "VISIBILITY")  # noqa: B009 - each model of the CB workflow names its paths
    query = known_q(user, **paths)
    manager = model._default_manager
    if (manager.all() if query is None else manager.filter(query)).filter(**lookup).exists():
        return OutOfReach(f"No such {what}.", refusal=f"Your role does not give you access to this {what}.")
    return NotFound(f"No such {what}.")


class VisibleQuerySet[M: models.Model](models.QuerySet[M]):
    """`visible_to(user)` from the paths named on the model's `VISIBILITY` (see `tenant_q`)."""

    def visible_to(self, user: Any) -> Self:
        paths = getattr(self.model, "VISIBILITY")  # noqa: B009 - each model of the CB workflow names its paths
        query = tenant_q(user, **paths)
        if query is None:
            return self.all()
        return self.filter(query).distinct()


def has_cb_role(user: Any, cb_id: int, *roles: str) -> bool:
    r = reach(user)
    return r.superuser or bool(r.roles_by_cb.get(cb_id, frozenset()) & set(roles))


def has_org_role(user: Any, org_id: int, *roles: str) -> bool:
    r = reach(user)
    return r.superuser or bool(r.roles_by_org.get(org_id, frozenset()) & set(roles))


def require_cb_role(user: Any, cb_id: int, *roles: str, action: str) -> None:
    """Refuse unless `user` holds one of `roles` at the CB."""
    if not has_cb_role(user, cb_id, *roles):
        labels = ", ".join(Role(r).label.lower() for r in roles)
        raise PermissionDenied(f"Only a {labels} of the certification body can {action}.")


def by_id(queryset: Any, value: Any) -> Any:
    """The object of `queryset` with this public id, or None (also for a malformed id)."""
    try:
        return queryset.filter(public_id=UUID(str(value))).first() if value else None
    except ValueError:
        return None


MANAGERS = (Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value)
CLIENTS = (Role.CLIENT_ADMIN.value, Role.CLIENT_MEMBER.value)
