"""Notifications under /api/v1/notifications: the user's delivery choice per kind, the notices (their own; a CB
administrator's also the CB's, e.g. `?status=failed`), and sending a failed notice again."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from conformo.core.errors import ValidationFailed
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.notifications.kinds import MANDATORY, Kind
from conformo.notifications.models import Notice, NoticeStatus
from conformo.notifications.schemas import NoticeOut, NotificationPreferencesIn, NotificationPreferencesOut
from conformo.notifications.selectors import notice_get, notice_list
from conformo.notifications.services import deliveries_for, notice_resend, preferences_set

router = Router(tags=["notifications"])


def _preferences(deliveries: dict[str, str]) -> dict[str, Any]:
    return {
        "preferences": [
            {"kind": kind.value, "label": kind.label, "delivery": deliveries[kind], "mandatory": kind in MANDATORY}
            for kind in Kind
        ]
    }


@router.get("/notifications/preferences", response=NotificationPreferencesOut)
def preferences_get(request: HttpRequest) -> dict[str, Any]:
    """How each kind of notice reaches you: `immediate` (an e-mail at once), `digest` (one e-mail a day) or
    `off` (listed, not mailed). Mandatory kinds are always sent at once."""
    return _preferences(deliveries_for(request.user))


@router.post("/notifications/preferences", response={200: NotificationPreferencesOut, 422: ErrorOut})
def preferences_post(request: HttpRequest, payload: NotificationPreferencesIn) -> dict[str, Any]:
    """Change your delivery for some kinds: `{"finding_raised": "digest", "report_issued": "off"}`. An unknown
    kind, an unknown delivery or a mandatory kind switched off is a 422 naming each such kind in `fields`;
    nothing is changed then."""
    return _preferences(preferences_set(actor=request.user, user=request.user, choices=payload.root))


@router.get("/notifications/notices", response={200: list[NoticeOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def notices_list(request: HttpRequest, status: str = "", kind: str = "", **kwargs: Any) -> QuerySet[Notice]:
    """Your notices, newest first; a CB administrator's list also holds the notices sent on behalf of the CB
    (`?status=failed` lists those whose sending failed, to send them again). `status` and `kind` filter."""
    errors = {}
    if status and status not in NoticeStatus.values:
        errors["status"] = [f"One of: {', '.join(NoticeStatus.values)}."]
    if kind and kind not in Kind.values:
        errors["kind"] = [f"One of: {', '.join(Kind.values)}."]
    if errors:
        raise ValidationFailed("Filter by a known status and kind of notice.", fields=errors)
    return notice_list(user=request.user, status=status or None, kind=kind or None)


@router.post(
    "/notifications/notices/{notice_id}/resend",
    response={200: NoticeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def notice_resend_post(request: HttpRequest, notice_id: UUID) -> Notice:
    """Send a failed notice again from its first attempt (its recipient, or the CB's administrator). 409 when it
    did not fail."""
    return notice_resend(actor=request.user, notice=notice_get(user=request.user, public_id=notice_id))
