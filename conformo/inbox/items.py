"""What an item of My work is, who asks for it, and the order items are listed in.

An item is one piece of work waiting for one person: a stable `kind`, a title, the organization (and audit) it
concerns, a due date or none, whether it is overdue, the page where the work is done, and the role it comes
from. Each kind of item is a `Source`: a query of the rows waiting for this person (`rows`, built on the
predicate the owning app writes once, e.g. `Finding.objects.awaiting_response`, within `visible_to(user)`) and
how a row reads as an item (`items`). The count in the navigation counts the same rows, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from conformo.core.roles import Role
from conformo.core.tenancy import Reach
from conformo.inbox.choices import LEAD_AUDITOR, ItemKind

ROLE_LABELS: dict[str, str] = {**{role.value: role.label for role in Role}, LEAD_AUDITOR: "Lead auditor"}


@dataclass(frozen=True)
class InboxItem:
    """One piece of work waiting for a person."""

    kind: ItemKind
    title: str
    role: str
    url: str
    organization: str
    organization_id: UUID
    due: date | None = None
    overdue: bool = False
    audit: str = ""
    audit_id: UUID | None = None

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def sort_key(item: InboxItem) -> tuple[int, date, str, str]:
    """Overdue first (the longest overdue at the top), then by due date, then the undated ones."""
    rank = 0 if item.overdue else 1 if item.due is not None else 2
    return (rank, item.due or date.max, item.organization, item.title)


@dataclass(frozen=True)
class Context:
    """The person whose work is collected, what they reach (`conformo.core.tenancy.reach`) and the day."""

    user: Any
    reach: Reach
    today: date

    def cbs(self, *roles: str) -> list[int]:
        """Ids of the certification bodies where the person holds one of `roles`."""
        return sorted(self.reach.cbs_with(*roles)) if roles else []

    def orgs(self, *roles: str) -> list[int]:
        """Ids of the organizations where the person holds one of `roles`."""
        return sorted(self.reach.orgs_with(*roles)) if roles else []

    def cb_role(self, cb_id: int, roles: tuple[str, ...]) -> str:
        """The first of `roles` the person holds at the certification body (the role an item comes from)."""
        held = self.reach.roles_by_cb.get(cb_id, frozenset())
        return next((role for role in roles if role in held), roles[0])

    def org_role(self, org_id: int) -> str:
        held = self.reach.roles_by_org.get(org_id, frozenset())
        return Role.CLIENT_ADMIN.value if Role.CLIENT_ADMIN.value in held else Role.CLIENT_MEMBER.value

    def is_overdue(self, due: date | None) -> bool:
        return due is not None and due < self.today


@dataclass(frozen=True)
class Source:
    """One kind of item: `rows` are the rows waiting for the person (None when no role of theirs asks for it),
    `items` reads them (it may add joins, never rows)."""

    kind: ItemKind
    rows: Callable[[Context], QuerySet[Any] | None]
    items: Callable[[QuerySet[Any], Context], Iterable[InboxItem]]
