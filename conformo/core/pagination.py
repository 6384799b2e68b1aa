"""Pagination for API lists: `{"items": [...], "count": N}`.

`page` runs from 1 to `MAX_PAGE` and `page_size` from 1 to `API_MAX_PAGE_SIZE` (docs/configuration.md); a value
outside is a 422 naming the parameter, so the offset always fits the database's integers.

`page_rows` and `row_count` read a page and count the rows of a `DISTINCT` queryset (every `visible_to` list) by
its primary keys: PostgreSQL otherwise sorts and compares every column of every filtered row and of the rows
joined to it (a finding's statement and evidence, its audit's and programme's columns) to drop duplicates —
about 150 ms for the 20,974 findings of the scale demo's first page, against a few ms for the keys.

`read_page` (every list page, through `keyed_page`, and every paginated API) reads a page's keys, the number of
rows and the counts of its badges in one statement — the count as a window over the filtered rows — so a list
scans its rows once, not once to count them, once for the page and once per badge."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, overload

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Window
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

#: The last page that can be asked for: with the largest page size, far more rows than any list holds.
MAX_PAGE = 100_000
#: The query parameters of the pages themselves (any other narrows or orders the list).
PAGE_PARAMETERS = frozenset({"page", "page_size"})


def asked_whole(query: Mapping[str, Any]) -> bool:
    """Whether a list is asked for whole: no query parameter but the pages' own (`PAGE_PARAMETERS`) has a value —
    nothing searched, filtered or sorted (`read_page`'s `whole`, for a list page and a paginated API alike)."""
    return not any(value for name, value in query.items() if name not in PAGE_PARAMETERS)


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
    return _rows_by_key(rows, list(rows.values_list("pk", flat=True)[start:stop]))


def row_count(queryset: QuerySet[Any] | list[Any]) -> int:
    """`queryset.count()`, for a `DISTINCT` queryset counting its distinct keys (or its rows, when no join can
    repeat one)."""
    if isinstance(queryset, list):
        return len(queryset)
    if not _by_keys(queryset):
        return queryset.count()
    keys = distinct_if_needed(queryset)
    return keys.count() if not keys.query.distinct else keys.values("pk").count()


def counts(rows: QuerySet[Any], **conditions: Q) -> dict[str, int]:
    """How many `rows` there are (`all`) and how many of them meet each of `conditions` (by name), in one query
    over the rows' keys — each row once (`distinct_if_needed`) — instead of one count per badge."""
    flags = {
        f"_{name}": ExpressionWrapper(condition, output_field=BooleanField()) for name, condition in conditions.items()
    }
    keyed = distinct_if_needed(rows.order_by().annotate(**flags).values("pk", *flags))
    return keyed.aggregate(
        all=Count("pk"), **{name: Count("pk", filter=Q(**{f"_{name}": True})) for name in conditions}
    )


def _windowed(queryset: QuerySet[Any]) -> QuerySet[Any] | None:
    """`queryset` as its page's keys and counts are read from in one statement (without a `DISTINCT` that has
    nothing to drop), or None when they cannot be: a window counts rows before `DISTINCT` drops repeated ones, so a
    list whose joins can repeat a row (a filter on a programme's standards, an audit's team) is counted apart, as
    is a queryset `_by_keys` would not page by its keys."""
    query = queryset.query
    if (
        query.distinct_fields
        or query.combinator
        or query.extra
        or query.is_sliced
        or queryset._iterable_class is not ModelIterable
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    ):
        return None
    if query.distinct and _repeats_rows(queryset):
        return None
    return distinct_if_needed(queryset) if query.distinct else queryset


def read_page(
    queryset: QuerySet[Any] | list[Any], start: int, stop: int, *, whole: bool = False, **conditions: Q
) -> tuple[list[Any], dict[str, int]]:
    """The rows `start:stop` of `queryset`, and how many rows it has (`all`) and how many of them meet each of
    `conditions` (a badge's count, by name) — the page's keys and every count in one statement, the count a window
    over the filtered rows, then the page's rows by their keys (with the queryset's joins and prefetches). An empty
    first page needs no count; a page past the end counts apart (`counts`). A queryset that cannot be counted
    that way (`_windowed`) is read by `page_rows` and `counts`.

    `whole`: the list is shown whole (nothing searched, filtered or sorted by the user) in an order an index holds
    (`list_page(indexed=True)`): it is counted by an aggregate and its page read apart, the index's first rows. The
    window holds every row before it keeps the page: for the scale demo's 20,974 findings 13 ms, against 6 ms for
    the aggregate and 0.2 ms for the page. A narrowed list keeps the one statement: its filters (a search's
    subqueries) would otherwise run twice; so does a list without such an index, whose page would be a sort of all
    its rows again."""
    if isinstance(queryset, list):
        return queryset[start:stop], {"all": len(queryset)}
    plain = _windowed(queryset)
    if plain is None or stop <= start or whole:
        return page_rows(queryset, start, stop), counts(queryset, **conditions)
    windows = {
        "_all": Window(Count("*")),
        **{f"_{name}": Window(Count("pk", filter=condition)) for name, condition in conditions.items()},
    }
    # Filtering on a window makes Django read from a subquery (its QUALIFY): PostgreSQL counts the filtered rows,
    # then sorts them only to keep the page (a top-N sort) — one scan. Every row counts itself: the filter keeps all.
    found = list(plain.annotate(**windows).filter(_all__gt=0).values_list("pk", *windows)[start:stop])
    if found:
        tallies = dict(zip(("all", *conditions), found[0][1:], strict=True))
    elif start == 0:
        tallies = dict.fromkeys(("all", *conditions), 0)
    else:
        tallies = counts(queryset, **conditions)
    keys = [row[0] for row in found]
    return _rows_by_key(plain, keys), tallies


def _rows_by_key(queryset: QuerySet[Any], keys: list[Any]) -> list[Any]:
    """The rows of `keys` (picked by the statement that filtered `queryset`), in their order, with the queryset's
    joins, annotations and prefetches but not its filters again: a search's subquery (every statement holding a
    short word) would be read again in full for the page's fifty rows."""
    if not keys:
        return []
    rows = queryset.all()
    rows.query.where = WhereNode()
    by_key = {row.pk: row for row in rows.filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


def keyed_page(
    queryset: QuerySet[Any], number: Any, per_page: int, *, whole: bool = False, **conditions: Q
) -> tuple[Page, dict[str, int]]:
    """`Paginator(queryset, per_page).get_page(number)` and the counts of `read_page` (`whole` as there): the page
    asked for with every count in one statement. A page past the end is the last page and a number below 1 too,
    one that is not a number the first page, as `get_page` answers (then read apart: the count, then the page)."""
    rows_by_key = KeyedRows(queryset)
    paginator = Paginator[Any](rows_by_key, per_page)
    try:
        asked = int(number) if number is not None else 1
    except (TypeError, ValueError):
        asked = 1
    tallies: dict[str, int] | None = None
    if asked >= 1:
        start = (asked - 1) * per_page
        rows, tallies = read_page(queryset, start, start + per_page, whole=whole, **conditions)
        rows_by_key._count = tallies["all"]
        if rows or asked == 1:
            return Page(rows, asked, paginator), tallies
    if tallies is None:
        tallies = counts(queryset, **conditions)
        rows_by_key._count = tallies["all"]
    return paginator.get_page(number), tallies


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
    """`?page=1&page_size=50`; the body is `{"items": [...], "count": N}`. `indexed` (`@paginate(PageNumberPagination,
    indexed=True)`): an index holds the rows in the list's order, so a list asked for with no other parameter is read
    as `read_page`'s `whole` (counted apart, its page from the index), as `list_page(indexed=True)` reads a page."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None, ge=1, le=settings.API_MAX_PAGE_SIZE, description=f"Default {settings.API_PAGE_SIZE}."
        )

    class Output(Schema):
        items: list[Any]
        count: int

    items_attribute: str = "items"

    def __init__(self, *, indexed: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indexed = indexed

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = min(pagination.page_size or settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        offset = (pagination.page - 1) * size
        rows, found = read_page(queryset, offset, offset + size, whole=self.indexed and asked_whole(request.GET))
        self.complete(rows)
        return {"items": rows, "count": found["all"]}

    def complete(self, rows: list[Any]) -> None:
        """What a list reads of its page's rows once they are known, as a page's `list_page(rows=...)` does: in a
        subclass, their relations as values (`audits.api.programmes.SitesAndTeamsPagination`); here nothing."""
