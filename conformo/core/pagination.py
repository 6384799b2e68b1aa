"""Pagination for API lists: `{"items": [...], "count": N}`.

`page` runs from 1 to `MAX_PAGE` and `page_size` from 1 to `API_MAX_PAGE_SIZE` (docs/configuration.md); a value
outside is a 422 naming the parameter, so the offset always fits the database's integers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

#: The last page that can be asked for: with the largest page size, far more rows than any list holds.
MAX_PAGE = 100_000


class PageNumberPagination(PaginationBase):
    """`?page=1&page_size=50`; the body is `{"items": [...], "count": N}`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None, ge=1, le=settings.API_MAX_PAGE_SIZE, description=f"Default {settings.API_PAGE_SIZE}."
        )

    class Output(Schema):
        items: list[Any]
        count: int

    items_attribute: str = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = min(pagination.page_size or settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        offset = (pagination.page - 1) * size
        return {"items": list(queryset[offset : offset + size]), "count": self._items_count(queryset)}
