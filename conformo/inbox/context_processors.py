"""The count of My work in the navigation ("My work (3)"), from this app: core, which draws the navigation,
imports no other app. Registered in `TEMPLATES` (settings); the count is read only when a page shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from conformo.inbox.selectors import inbox_count

CACHED = "_conformo_inbox_count"
"""A page that has listed the items already (My work itself) leaves their number on the request under this name."""


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        cached = getattr(request, CACHED, None)
        return cached if cached is not None else inbox_count(user=user)

    return {"inbox_count": SimpleLazyObject(count)}
