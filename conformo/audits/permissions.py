"""Who may see and do what in the CB workflow: one place that reads a user's memberships.

`tenant_q` builds the filter every `visible_to(user)` uses: CB-wide roles (CB admin, programme manager,
decision maker) see their CB's objects, auditors only objects of audits they are on the team of,
client roles only their own organization's objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from conformo.accounts.choices import CB_WIDE_ROLES, Role
from conformo.core.errors import PermissionDenied


@dataclass(frozen=True)
class Reach:
    """The tenants a user reaches, by kind of role."""

    superuser: bool
    cb_wide: frozenset[int]
    auditor_cbs: frozenset[int]
    organizations: frozenset[int]
    roles_by_cb: dict[int, frozenset[str]]
    roles_by_org: dict[int, frozenset[str]]


def reach(user: Any) -> Reach:
    if not getattr(user, "is_authenticated", False):
        return Reach(False, frozenset(), frozenset(), frozenset(), {}, {})
    cb_roles: dict[int, set[str]] = {}
    org_roles: dict[int, set[str]] = {}
    for m in user.memberships.all():
        if m.certification_body_id:
            cb_roles.setdefault(m.certification_body_id, set()).add(m.role)
        if m.organization_id:
            org_roles.setdefault(m.organization_id, set()).add(m.role)
    return Reach(
        superuser=bool(user.is_superuser),
        cb_wide=frozenset(cb for cb, roles in cb_roles.items() if roles & {r.value for r in CB_WIDE_ROLES}),
        auditor_cbs=frozenset(cb for cb, roles in cb_roles.items() if Role.AUDITOR.value in roles),
        organizations=frozenset(org_roles),
        roles_by_cb={cb: frozenset(roles) for cb, roles in cb_roles.items()},
        roles_by_org={org: frozenset(roles) for org, roles in org_roles.items()},
    )


def tenant_q(user: Any, *, cb: str, org: str | None, team_user: str | None) -> Q | None:
    """The filter for objects whose CB id is at `cb`, organization id at `org` and team users at
    `team_user` (None: auditors see none). Returns None for a superuser (everything)."""
    r = reach(user)
    if r.superuser:
        return None
    query = Q(**{f"{cb}__in": list(r.cb_wide)})
    if org:
        query |= Q(**{f"{org}__in": list(r.organizations)})
    if team_user and r.auditor_cbs:
        query |= Q(**{team_user: user, f"{cb}__in": list(r.auditor_cbs)})
    return query


def has_cb_role(user: Any, cb_id: int, *roles: str) -> bool:
    if user is None:
        return True  # a system job
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


MANAGERS = (Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value)
CLIENTS = (Role.CLIENT_ADMIN.value, Role.CLIENT_MEMBER.value)
