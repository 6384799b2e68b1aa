"""Lists that find things: one `ListFilter` (a django-filter `FilterSet`) per list serves both surfaces.

- The page: `list_page()` renders the list with its filter form (a GET form, so every filtered, sorted, paged
  view is a bookmarkable URL), and answers an htmx request from that form or the pager with only the results
  partial (`<template>#results`), pushing the URL into the history.
- The API: `filter_schema()` turns the same FilterSet into a ninja query schema (same parameter names, types and
  choices in the OpenAPI document) and `filtered()` applies it, refusing a bad value with a 422 naming the field.

Every list has `q` (words searched, each in any of `search_fields`) and `sort` (a whitelisted ordering; `-` for
descending). Counts are the filtered queryset's count, so badges and totals stay true on every page.
See docs/api.md, "Lists: search, filters, sort, pages".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any, ClassVar, Literal

import django_filters as df
from django import forms
from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from ninja import Field, Schema
from pydantic import create_model

from conformo.core.errors import ValidationFailed
from conformo.core.pagination import asked_whole, keyed_page
from conformo.core.widgets import LongNullBooleanSelect, LongSelect

#: Rows on one page of a list page (the API's page size is `API_PAGE_SIZE`).
PAGE_SIZE = 50
#: A search uses at most this many words (the rest are ignored) and each word at most this many characters.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_LENGTH = 200


class ListFilter(df.FilterSet):
    """The base of every list's filters: `q` over `search_fields`; subclasses add filters and a `sort`."""

    search_fields: ClassVar[tuple[str, ...]] = ()

    q = df.CharFilter(method="search", label="Search", max_length=MAX_SEARCH_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["q"].field.widget.input_type = "search"
        self.filters["q"].field.widget.attrs.setdefault("placeholder", self.search_placeholder())
        for flt in self.filters.values():
            if isinstance(flt, PersonFilter) and self.queryset is not None:
                # Read when the choices are first used (the page's select, or a value to check): an API call that
                # names no person costs no query for them.
                flt.extra["choices"] = partial(people_named, self.queryset, flt.field_name)
            if isinstance(flt, df.ChoiceFilter | df.ModelChoiceFilter):
                # The HTML of Django's `Select` without a template render per option: about a third of a filter
                # bar's time (IAF codes, standards, statuses, auditors; the sort, whose field wraps it to read a
                # comma-separated value).
                flt.extra.setdefault("widget", LongSelect)
            elif isinstance(flt, df.BooleanFilter):
                flt.extra.setdefault("widget", LongNullBooleanSelect)

    @classmethod
    def search_placeholder(cls) -> str:
        return "Search"

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:MAX_SEARCH_WORDS]:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset.distinct() if any("__" in f for f in self.search_fields) else queryset

    @property
    def shown_fields(self) -> list[BoundField]:
        """The filter bar's fields: a choice of rows with nothing to choose from is left out (the auditor filter
        for a client, who may read no CB's auditor register). Such a choice's options are read once, in one
        query, and drawn from that list: a check that rows exist, then Django's iteration of the rows through a
        server-side cursor, took four round trips on PostgreSQL."""
        shown = []
        for bound in self.form:
            field = bound.field
            if isinstance(field, forms.ModelChoiceField):
                choice = field.iterator(field).choice
                options = [choice(row) for row in (field.queryset if field.queryset is not None else ())]
                if not options:
                    continue
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                field.widget.choices = empty + options
            shown.append(bound)
        return shown

    @property
    def active(self) -> bool:
        """Whether any filter or search narrows the list (the page then offers "Clear")."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "", [], ()) for name, value in data.items() if name != "sort")


DUE_WINDOWS = {
    "overdue": "Overdue",
    "7": "Due within 7 days",
    "30": "Due within 30 days",
    "90": "Due within 90 days",
}


class DueWindowFilter(df.ChoiceFilter):
    """`overdue` (the date is before today) or due within 7 / 30 / 90 days (today included)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", list(DUE_WINDOWS.items()))
        kwargs.setdefault("label", "Due")
        kwargs.setdefault("help_text", "overdue: before today; 7, 30 or 90: from today to that many days ahead.")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(**{f"{self.field_name}__lt": today})
        last = today + datetime.timedelta(days=int(value))
        return qs.filter(**{f"{self.field_name}__gte": today, f"{self.field_name}__lte": last})


class CountryFilter(df.CharFilter):
    """An ISO 3166-1 alpha-2 country code, any case."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("lookup_expr", "iexact")
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("label", "Country")
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2.")
        super().__init__(*args, **kwargs)


#: IAF sector codes 1 to 39 (IAF ID 1, "IAF Informative Document for QMS and EMS Scopes of Accreditation").
IAF_CODES = [(str(n), str(n)) for n in range(1, 40)]


class IafCodeFilter(df.ChoiceFilter):
    """Rows whose JSON list of IAF sector codes (`[28, 29]` or `["28"]`) holds the code: a pattern on the list's
    text, which SQLite and PostgreSQL both answer (SQLite has no JSON containment lookup)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", IAF_CODES)
        kwargs.setdefault("label", "IAF code")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        alias = f"_{self.field_name.replace('__', '_')}_text"
        pattern = rf'(^|[\[ ,])"?{int(value)}"?[,\]]'
        return qs.alias(**{alias: Cast(self.field_name, output_field=TextField())}).filter(
            **{f"{alias}__regex": pattern}
        )


def people_named(queryset: QuerySet[Any], field_name: str) -> list[tuple[str, str]]:
    """The e-mail addresses (lower case) of the people `field_name` names on the rows of `queryset`, as choices."""
    email = f"{field_name}__email"
    found = queryset.order_by().exclude(**{f"{email}__isnull": True}).values_list(email, flat=True).distinct()
    return [(address, address) for address in sorted({address.lower() for address in found})]


class _EmailChoiceField(df.fields.ChoiceField):
    """An e-mail address among the choices, compared without regard to case."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.strip().lower() if isinstance(value, str) else value


class PersonFilter(df.ChoiceFilter):
    """A person the rows point to (owner, assignee), by e-mail address. The choices are the people named on the
    rows the user may see (one query, when first used), so the API takes any address and refuses
    one that names nobody on the list with a 422."""

    field_class = _EmailChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [])  # replaced per request by `ListFilter.__init__`
        kwargs.setdefault("help_text", "A person's e-mail address.")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__email__iexact": value})


def list_page(
    request: HttpRequest,
    filter_class: type[ListFilter],
    queryset: QuerySet[Any],
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    rows: Callable[[list[Any]], list[Any]] | None = None,
    counted: Callable[[QuerySet[Any]], Mapping[str, Q]] | None = None,
    page_size: int = PAGE_SIZE,
    status: int = 200,
    indexed: bool = False,
) -> HttpResponse:
    """Render `template` with `filter`, `page` (a Django page of the filtered rows) and `rows` (the page's objects,
    or `rows(objects)` when given: e.g. pairs with a status computed at read time). `counted(filtered)` names
    conditions counted over the whole filtered queryset (e.g. `{"overdue": Q(...)}`), each count in the context
    under its name, so badges stay true on every page — read with the page's keys and the total in one statement
    (`core.pagination.keyed_page`); `status` is the answer's status (a page shown again with a refused form's errors).
    `indexed`: an index holds the rows in the queryset's order (the audits, the findings), so the list shown whole
    — nothing searched, filtered or sorted — is counted apart and its page read from the index
    (`core.pagination.read_page`'s `whole`); a list whose own conditions cost more than its rows keeps one statement.

    An htmx request aimed at `#results` gets only the template's `results` partial; a history restore gets the
    whole page. `status` is the page's status when it also shows a form posted with errors (422)."""
    filters = filter_class(request.GET or None, queryset=queryset, request=request)
    found = filters.qs
    page, tallies = keyed_page(
        found,
        request.GET.get("page"),
        page_size,
        whole=indexed and asked_whole(request.GET),
        **(counted(found) if counted else {}),
    )
    objects = list(page.object_list)
    full = {
        **(context or {}),
        "filter": filters,
        "page": page,
        "rows": rows(objects) if rows else objects,
        **{name: count for name, count in tallies.items() if name != "all"},
    }
    partial = (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == "results"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
    response = render(request, f"{template}#results" if partial else template, full, status=status)
    response["Vary"] = "HX-Request, HX-Target"
    return response


# -- The API surface ------------------------------------------------------------------------------------------


def _annotation(flt: df.Filter) -> Any:
    """The Python type of one filter's query parameter, for the OpenAPI document."""
    if isinstance(flt, df.OrderingFilter | df.ChoiceFilter):
        # An OrderingFilter holds its choices with their descending forms (`build_choices`); its field is not made
        # here, which every FilterSet would copy with the widget it has now (`ListFilter.__init__` sets another).
        choices = flt.extra.get("choices")
        if callable(choices) or not choices:
            return str  # choices read from the database per request: checked when the filter runs (422)
        values = [str(value) for value, _ in choices if value != ""]
        return Literal[tuple(values)] if values else str
    if isinstance(flt, df.BooleanFilter):
        return bool
    if isinstance(flt, df.DateFilter):
        return datetime.date
    if isinstance(flt, df.NumberFilter):
        return Decimal
    return str


def filter_schema(filter_class: type[ListFilter]) -> type[Schema]:
    """A ninja query schema with the FilterSet's parameters: same names, types, choices, descriptions."""
    fields: dict[str, Any] = {}
    for name, flt in filter_class.base_filters.items():
        description = str(flt.extra.get("help_text") or flt.label or name)
        extra: dict[str, Any] = {}
        if isinstance(flt, df.CharFilter) and flt.extra.get("max_length"):
            extra["max_length"] = flt.extra["max_length"]
        fields[name] = (_annotation(flt) | None, Field(None, description=description, **extra))
    model: type[Schema] = create_model(f"{filter_class.__name__}Query", __base__=Schema, **fields)
    return model


def own_and_joined[M: Model](queryset: QuerySet[M], *joined: str) -> QuerySet[M]:
    """`queryset` reading its model's own columns and, of the rows it joins, only the columns `joined` names (as
    `only()` does): what an API list writes of the audit, programme or client it names, not their whole rows with
    their JSON."""
    return queryset.only(*(field.name for field in queryset.model._meta.concrete_fields), *joined)


def filtered(
    filter_class: type[ListFilter], query: Schema, queryset: QuerySet[Any], request: HttpRequest
) -> QuerySet[Any]:
    """The queryset narrowed by the API's query parameters; a value the filters refuse is a 422 naming it."""
    filters = filter_class(query.model_dump(exclude_none=True), queryset=queryset, request=request)
    if not filters.is_valid():
        raise ValidationFailed(
            "Some filters are not valid.",
            fields={name: [str(m) for m in messages] for name, messages in filters.errors.items()},
        )
    return filters.qs
