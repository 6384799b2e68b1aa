"""My work under /api/v1/inbox."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from conformo.core.pagination import PageNumberPagination
from conformo.inbox.items import InboxItem
from conformo.inbox.schemas import InboxItemOut
from conformo.inbox.selectors import inbox_items

router = Router(tags=["inbox"])


@router.get("/inbox", response=list[InboxItemOut], operation_id="inbox_list")
@paginate(PageNumberPagination)
def inbox_list(request: HttpRequest, **kwargs: Any) -> list[InboxItem]:
    """What waits for the signed-in person, most urgent first (overdue, then by due date, then undated), for
    every role they hold: `{"count": N, "items": [...]}`, paginated like every list."""
    return inbox_items(user=request.user)
