"""Reading My work in tests: the kinds, titles and due dates of a person's items."""

from __future__ import annotations

from datetime import date
from typing import Any

from conformo.inbox.items import InboxItem
from conformo.inbox.selectors import inbox_count, inbox_items


def items(user: Any, today: date) -> list[InboxItem]:
    return inbox_items(user=user, today=today)


def kinds(user: Any, today: date) -> list[str]:
    return [item.kind for item in items(user, today)]


def only(user: Any, today: date, kind: str) -> InboxItem:
    found = [item for item in items(user, today) if item.kind == kind]
    assert len(found) == 1, found
    return found[0]


def agrees(user: Any, today: date) -> bool:
    """The navigation's count is the number of items listed."""
    return inbox_count(user=user, today=today) == len(items(user, today))
