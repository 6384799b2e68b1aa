"""The count of My work beside its navigation entry ("My work (3)"), from this app: core, which draws the
navigation, imports no other app. Registered in `TEMPLATES` (settings).

A page does not count My work while it is drawn: the count reads every kind of item the person's roles ask for
(one query of several counting subqueries, and a few reads of CB settings) — at a CB of 600 clients more than
the rest of a page's frame together (docs/performance.md, "Lists"). The navigation entry carries an htmx
placeholder instead, which asks `inbox:count` for the number once the page is shown; only My work itself, which
has just listed the items, writes their number at once (`CACHED`). Without script the entry reads "My work"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

CACHED = "_conformo_inbox_count"
"""A page that has listed the items already (My work itself) leaves their number on the request under this name."""


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # None: not known while drawing this page — the navigation asks `inbox:count` for it.
    return {"inbox_count": getattr(request, CACHED, None)}
