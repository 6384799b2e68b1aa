from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from conformo.core.navigation import NAV_ITEMS
from conformo.core.tenancy import reach


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the current user may see."""
    user: Any = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    roles: set[str] = set()
    if signed_in and user is not None:
        # The one membership reader, cached on the request's user: the view and the count of My work reuse it.
        r = reach(user)
        roles = set(r.cb_roles() | r.org_roles())
    items: list[dict[str, Any]] = []
    for item in NAV_ITEMS:
        visible = item.public or (signed_in and (not item.roles or roles & item.roles or user.is_superuser))
        if not visible:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "name": item.url_name,
                "url": url,
                "active": False,
                "group": item.group,
            }
        )
    # The one entry the page belongs to: the longest address the path starts with (so /cb/figures/ marks
    # "Figures", not also the workspace at /cb/).
    matching = [entry for entry in items if entry["url"] != "/" and request.path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return {"nav_items": items, "nav_groups": _grouped(items), "user_roles": sorted(roles)}


def _grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries by group, the main group (no name) first and the others in the order they first appear."""
    groups: dict[str, list[dict[str, Any]]] = {"": []}
    for entry in items:
        groups.setdefault(entry["group"], []).append(entry)
    return [
        {"label": label, "slug": f"nav-group-{index}", "items": entries}
        for index, (label, entries) in enumerate(groups.items())
        if entries
    ]
