from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from conformo.core.navigation import NAV_ITEMS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the current user may see."""
    user: Any = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    roles: set[str] = set()
    if signed_in and user is not None:
        roles = {m.role for m in user.memberships.all()}
    items = []
    for item in NAV_ITEMS:
        visible = item.public or (signed_in and (not item.roles or roles & item.roles or user.is_superuser))
        if not visible:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "user_roles": sorted(roles)}
