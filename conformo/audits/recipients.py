"""Who is told of an event of the certification path: the people each notice goes to, read once here.

The hooks of `audits`, `certification` and `certificates` (their `notices.py`) and the daily scans all ask these
functions, so "the client", "the team" or "the CB" means the same people everywhere. Each answer is one query;
only active users are returned (`notify` also skips anyone without an e-mail address). `exclude` leaves out the
person who acted: nobody is told of their own action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Q

from conformo.accounts.models import User
from conformo.audits.choices import QualificationRole
from conformo.audits.models import Audit, AuditProgramme
from conformo.core.actors import Actor, acting_user
from conformo.core.roles import Role
from conformo.core.tenancy import CLIENTS


class Tenanted(Protocol):
    """Anything of one CB and (but for a certificate imported without its holder's account) one client: a
    programme, a certification, a certificate."""

    @property
    def organization_id(self) -> int | None: ...

    @property
    def certification_body_id(self) -> int: ...


CB_OFFICE = (Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value)
"""The CB's people told of a client's certification moving on: its administrators and programme managers."""


def _active(query: Q, exclude: Actor | None) -> list[Any]:
    people = User.objects.filter(query, is_active=True)
    user = acting_user(exclude) if exclude is not None else None
    if user is not None:
        people = people.exclude(pk=user.pk)
    return list(people.distinct().order_by("email"))


def tenant_people(
    *,
    organization_id: int | None = None,
    org_roles: Iterable[str] = (),
    certification_body_id: int | None = None,
    cb_roles: Iterable[str] = (),
    exclude: Actor | None = None,
) -> list[Any]:
    """The users holding one of `org_roles` at the organization or one of `cb_roles` at the CB (one query)."""
    query = Q(pk__in=[])
    if organization_id is not None and org_roles:
        query |= Q(memberships__organization_id=organization_id, memberships__role__in=list(org_roles))
    if certification_body_id is not None and cb_roles:
        query |= Q(memberships__certification_body_id=certification_body_id, memberships__role__in=list(cb_roles))
    return _active(query, exclude)


def client_people(of: Tenanted, *, exclude: Actor | None = None) -> list[Any]:
    """The client: the organization's administrators and members (both answer findings and read the audit's
    plan and report)."""
    return tenant_people(organization_id=of.organization_id, org_roles=CLIENTS, exclude=exclude)


def client_and_cb_office(of: Tenanted, *, exclude: Actor | None = None) -> list[Any]:
    """The client and the CB's office (`CB_OFFICE`): who hears of a decision and of the certificate."""
    return tenant_people(
        organization_id=of.organization_id,
        org_roles=CLIENTS,
        certification_body_id=of.certification_body_id,
        cb_roles=CB_OFFICE,
        exclude=exclude,
    )


def team_people(audit: Audit, *, exclude: Actor | None = None) -> list[Any]:
    """The users of the audit team's auditors."""
    return _active(Q(auditor_profiles__assignments__audit=audit), exclude)


def lead_auditors(audit: Audit, *, exclude: Actor | None = None) -> list[Any]:
    """The audit's lead auditor; the CB's programme managers when the team has none."""
    on_team = "auditor_profiles__assignments"
    leads = _active(Q(**{f"{on_team}__audit": audit, f"{on_team}__role": QualificationRole.LEAD_AUDITOR}), exclude)
    if leads:
        return leads
    return tenant_people(
        certification_body_id=audit.programme.certification_body_id,
        cb_roles=[Role.PROGRAMME_MANAGER.value],
        exclude=exclude,
    )


def independent_decision_makers(programme: AuditProgramme, *, exclude: Actor | None = None) -> list[Any]:
    """The CB's decision makers who were on no audit team of the programme's cycle: only they may decide on its
    file (ISO/IEC 17021-1 9.5.1.2), so only they are told that it waits for a decision."""
    people = User.objects.filter(
        memberships__certification_body_id=programme.certification_body_id,
        memberships__role=Role.DECISION_MAKER.value,
        is_active=True,
    ).exclude(auditor_profiles__assignments__audit__programme=programme)
    user = acting_user(exclude) if exclude is not None else None
    if user is not None:
        people = people.exclude(pk=user.pk)
    return list(people.distinct().order_by("email"))
