"""Pagination for API lists: `{"items": [...], "count": N}`.

`page` runs from 1 to `MAX_PAGE` and `page_size` from 1 to `API_MAX_PAGE_SIZE` (docs/configuration.md); a value
outside is a 422 naming the parameter, so the offset always fits the database's integers.

`page_rows` and `row_count` read a page and count the rows of a `DISTINCT` queryset (every `visible_to` list) by
its primary keys: PostgreSQL otherwise sorts and compares every column of every filtered row and of the rows
joined to it (a finding's statement and evidence, its audit's and programme's columns) to drop duplicates —
about 150 ms for the 20,974 findings of the scale demo's first page, against a few ms for the keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, overload

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

#: The last page that can be asked for: with the largest page size, far more rows than any list holds.
MAX_PAGE = 100_000


def _by_keys(queryset: QuerySet[Any] | list[Any]) -> bool:
    """Whether `queryset`'s duplicates can be dropped on its primary key alone: a plain `DISTINCT` (no `DISTINCT
    ON`, union, aggregate or raw extra), so the rows are those of distinct keys."""
    query = getattr(queryset, "query", None)  # an API may paginate a list computed in Python
    return (
        query is not None
        and query.distinct
        and not query.distinct_fields
        and not query.combinator
        and not query.extra
        and not any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


def _repeats_rows(queryset: QuerySet[Any]) -> bool:
    """Whether a join of `queryset` can repeat a row: one along a one-to-many or many-to-many relation (a filter on
    a programme's standards, an auditor's team). When every join follows a foreign key to one row — a CB's staff
    reading `visible_to`, whose filter reaches the CB through the finding's audit and programme — the `DISTINCT`
    has nothing to drop, and PostgreSQL spent more on it than on the rest (counting the scale demo's 20,974
    findings: 21-27 ms with it, 8-9 ms without)."""
    for join in queryset.query.alias_map.values():
        field = getattr(join, "join_field", None)  # None: the queryset's own table
        if field is not None and (getattr(field, "many_to_many", True) or getattr(field, "one_to_many", True)):
            return True
    return False


def distinct_if_needed(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` without its `DISTINCT` when no join can repeat a row (`_repeats_rows`): what a page's keys and a
    count read."""
    if _repeats_rows(queryset):
        return queryset
    plain = queryset.all()
    plain.query.distinct = False
    return plain


def page_rows(queryset: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """`list(queryset[start:stop])`, for a `DISTINCT` queryset by first picking the page's keys in the queryset's
    order (the `DISTINCT` over the keys and the sort columns, unless no join can repeat a row) and then reading
    those rows (with the queryset's joins, prefetches and annotations)."""
    if not _by_keys(queryset) or stop <= start:
        return list(queryset[start:stop])
    rows = distinct_if_needed(queryset)
    keys = list(rows.values_list("pk", flat=True)[start:stop])
    found = {row.pk: row for row in rows.filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


def row_count(queryset: QuerySet[Any] | list[Any]) -> int:
    """`queryset.count()`, for a `DISTINCT` queryset counting its distinct keys (or its rows, when no join can
    repeat one)."""
    if isinstance(queryset, list):
        return len(queryset)
    if not _by_keys(queryset):
        return queryset.count()
    keys = distinct_if_needed(queryset)
    return keys.count() if not keys.query.distinct else keys.values("pk").count()


class KeyedRows:
    """A queryset as Django's `Paginator` reads it (`count()`, slices), through `page_rows` and `row_count`. The
    count is read once: `Paginator` counts, then slices, and a slice's bounds need the count."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset
        self.ordered = queryset.ordered
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = row_count(self.queryset)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(page_rows(self.queryset, 0, self.count()))

    @overload
    def __getitem__(self, key: int) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> list[Any]: ...

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop, _ = key.indices(self.count())
            return page_rows(self.queryset, start, stop)
        return page_rows(self.queryset, key, key + 1)[0]


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
        return {"items": page_rows(queryset, offset, offset + size), "count": row_count(queryset)}
