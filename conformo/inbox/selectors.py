"""My work: the items waiting for a person (`inbox_items`) and how many there are (`inbox_count`).

Both read the same rows: each source's query of what waits for the person within `visible_to(user)` (see
`conformo.inbox.items`). The list costs one query per kind of item the person's roles ask for, plus one for the
CB settings of the reports due; the count is one query whatever the roles (each kind counted in a subquery).
Neither grows with the number of items.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conformo.core.tenancy import reach
from conformo.inbox.items import Context, InboxItem, sort_key
from conformo.inbox.sources import SOURCES


def _context(user: Any, today: date | None) -> Context | None:
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return None
    return Context(user=user, reach=reach(user), today=today or timezone.localdate())


def _rows(ctx: Context) -> list[tuple[Any, QuerySet[Any]]]:
    found = []
    for source in SOURCES:
        rows = source.rows(ctx)
        if rows is not None:
            found.append((source, rows))
    return found


def inbox_items(*, user: Any, today: date | None = None) -> list[InboxItem]:
    """What waits for `user`, most urgent first: overdue (longest overdue first), then by due date, then the
    undated ones. A user with several roles gets the union of their roles' items."""
    ctx = _context(user, today)
    if ctx is None:
        return []
    items = [item for source, rows in _rows(ctx) for item in source.items(rows, ctx)]
    return sorted(items, key=sort_key)


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _counted(rows: QuerySet[Any]) -> Subquery:
    """`SELECT COUNT(DISTINCT pk)` of `rows`, as a subquery (the rows may repeat through `visible_to`'s joins)."""
    return Subquery(rows.order_by().annotate(n=_CountDistinct(F("pk"))).values("n")[:1])


def inbox_count(*, user: Any, today: date | None = None) -> int:
    """How many items `inbox_items` lists for `user`, in one query (and the membership read, once per user
    object), for the navigation."""
    ctx = _context(user, today)
    if ctx is None:
        return 0
    found = _rows(ctx)
    if not found:
        return 0
    counts = {f"n{i}": Coalesce(_counted(rows), 0) for i, (_, rows) in enumerate(found)}
    values = get_user_model().objects.filter(pk=user.pk).annotate(**counts).values_list(*counts).first()
    return sum(values or ())
