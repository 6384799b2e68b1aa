"""Tenancy of an organization's own work (readiness, improvement): who may read and write it.

* client administrators of the organization read and write everything;
* client members read everything and may answer the assessment items they own;
* while the client shares its readiness work with a CB (`ClientRelationship.shares_readiness`), that CB's
  CB-wide roles (CB admin, programme manager, decision maker) and the auditors on one of the client's audit
  teams at that CB read it (the stage-1 auditor reviews the client's stage-1 check and documents, ISO/IEC
  17021-1 9.3.1.2.2); the CB's other auditors do not, and nobody of the CB writes;
* everyone else sees nothing (a 404, never a 403 that would reveal the object exists).

The organization ids are computed once per user object (from `conformo.core.tenancy.reach`, the one membership
reader) and kept on it. The org-scoped querysets, the member choices and the page context of these apps live here
too, so that readiness and improvement share them without importing each other.
"""

from __future__ import annotations

from typing import Any, Self

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.http import HttpRequest

from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization

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
        return cached
    r = reach(user)
    admin_of = set(r.orgs_with(Role.CLIENT_ADMIN))
    member_of = set(r.organizations)
    readable = set(member_of)
    readable |= _shared_with_cb(user, cb_wide=r.cb_wide, auditor_cbs=r.auditor_cbs)
    access = _Access(readable=readable, admin_of=admin_of, member_of=member_of, all=bool(user.is_superuser))
    setattr(user, _CACHE, access)
    return access


def _shared_with_cb(user: Any, *, cb_wide: frozenset[int], auditor_cbs: frozenset[int]) -> set[int]:
    """Organizations that share their readiness work with a CB where `user` reads it: a CB-wide role there, or
    an auditor there on the team of one of the organization's audits of that CB (the same CB on both sides)."""
    shared = ClientRelationship.objects.filter(shares_readiness=True)
    ids: set[int] = set()
    if cb_wide:
        ids |= set(shared.filter(certification_body_id__in=list(cb_wide)).values_list("organization_id", flat=True))
    if auditor_cbs:
        # The audit teams are recorded by conformo.audits (reverse relations, no import): a programme of the
        # organization at the sharing CB with an audit that has the user on its team.
        ids |= set(
            shared.filter(
                certification_body_id__in=list(auditor_cbs),
                organization__programmes__certification_body_id=F("certification_body_id"),
                organization__programmes__audits__team__auditor__user=user,
            ).values_list("organization_id", flat=True)
        )
    return ids


def readiness_shared(organization_id: int, certification_body_id: int) -> bool:
    """Whether the organization shares its readiness work with the CB (the client's choice)."""
    return ClientRelationship.objects.filter(
        organization_id=organization_id, certification_body_id=certification_body_id, shares_readiness=True
    ).exists()


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


def organization_to_manage(user: Any, public_id: Any) -> Organization:
    """The organization with `public_id` if the user writes its readiness work: 404 for those who may not read
    it, 403 for its readers (members, the CB while shared). The create URLs ask this before reading a form."""
    org = organization_for(user, public_id)
    require_manage(user, org.pk, "organization")
    return org


def default_organization(user: Any) -> Organization | None:
    """The organization a client user works for (first membership), for pages without an org in the URL."""
    access = _access(user)
    ids = sorted(access.member_of) or sorted(access.readable)
    return Organization.objects.filter(pk__in=ids[:1]).first() if ids else None


class OrgScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """Filters by the organizations whose readiness work the user may read. `org_path` names the FK path."""

    org_path = "organization_id"

    def visible_to(self, user: Any) -> Self:
        ids = readable_organization_ids(user)
        if ids is None:
            return self.all()
        return self.filter(**{f"{self.org_path}__in": ids})


def member_choices(organization: Any) -> Any:
    """The organization's members, for the forms that pick an owner."""
    return get_user_model().objects.filter(memberships__organization=organization).distinct().order_by("email")


def org_context(request: HttpRequest, organization: Organization, section: str) -> dict[str, Any]:
    """What every page of an organization's own work shows: the organization, the section, whether the user writes."""
    return {
        "organization": organization,
        "section": section,
        "can_manage": can_manage(request.user, organization.pk),
    }


def cbs_of(user: Any, *roles: str) -> Any:
    """The certification bodies where `user` holds one of `roles` (any role if none given)."""
    r = reach(user)
    if r.superuser:
        return CertificationBody.objects.all()
    return CertificationBody.objects.filter(pk__in=list(r.cbs_with(*roles)))
