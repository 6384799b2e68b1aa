"""Reads of notices, always through `Notice.objects.visible_to(user)`: a user's own notices, and for a CB
administrator the notices sent on behalf of the CB."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from conformo.core.errors import NotFound
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.notifications.models import Notice, NoticeStatus

UNDELIVERED = (NoticeStatus.FAILED, NoticeStatus.RETRYING)
"""The notices the deliveries page lists: sending failed for good, or failed and will be tried again."""


def notice_list(*, user: Any, status: str | None = None, kind: str | None = None) -> QuerySet[Notice]:
    """The notices `user` may read, newest first, optionally of one status and one kind."""
    notices = Notice.objects.visible_to(user).select_related("recipient").order_by("-created_at", "-pk")
    if status:
        notices = notices.filter(status=status)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def notice_get(*, user: Any, public_id: Any) -> Notice:
    found = Notice.objects.visible_to(user).select_related("recipient").filter(public_id=public_id).first()
    if found is None:
        raise NotFound("No such notice.")
    return found


def may_see_deliveries(user: Any) -> bool:
    """The deliveries page is the CB administrator's (and the installation administrator's)."""
    r = reach(user)
    return r.superuser or bool(r.cbs_with(Role.CB_ADMIN))


def undelivered(*, user: Any) -> QuerySet[Notice]:
    """The notices of the user's CBs (as their administrator) whose sending failed or is being retried, oldest
    first. The installation administrator sees every CB's."""
    r = reach(user)
    notices = Notice.objects.filter(status__in=UNDELIVERED).select_related("recipient")
    if not r.superuser:
        notices = notices.filter(certification_body_id__in=list(r.cbs_with(Role.CB_ADMIN)))
    return notices.order_by("created_at", "pk")
