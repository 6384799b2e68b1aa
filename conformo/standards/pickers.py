"""The clause picker: a multiple select of clauses with a search box. Typing asks the page's search URL (htmx,
GET) for the clauses that match by number or title across the standards the picker offers; the clauses already
chosen stay in the list and stay chosen. The submitted value is the select's, as without the search; without
script the whole list is there. The page's view answers the search with `clause_picker_response`, passing the
form field it offers (so the search reads exactly the clauses the form accepts)."""

from __future__ import annotations

import copy
import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from conformo.standards.models import Clause
from conformo.standards.selectors import clause_filter

# At most this many matches are listed for a search (the chosen clauses come on top); an empty search lists all.
SEARCH_LIMIT = 50


class ClausePickerWidget(forms.SelectMultiple):
    """A multiple select with the search box before it; `search_url` empty: a plain multiple select. The box
    belongs to no form (its `form` attribute names none), so Enter in it never submits the page's form."""

    def __init__(self, attrs: dict[str, Any] | None = None, search_url: str = "") -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        select = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id") or self.attrs.get("id")
        if not self.search_url or not target:
            return select
        search = format_html(
            '<input type="search" name="clause_q" form="{id}-search" class="clause-search" autocomplete="off" '
            'placeholder="Search by number or title" aria-label="Search the clauses by number or title" '
            'aria-controls="{id}" hx-get="{url}" hx-trigger="input changed delay:300ms, search" '
            'hx-target="#{id}" hx-swap="outerHTML" hx-include="#{id}" hx-vals="{vals}">',
            id=target,
            url=self.search_url,
            vals=json.dumps({"widget_id": target}),
        )
        return format_html('<div class="clause-picker">{}{}</div>', search, select)


def with_search(form: forms.Form, name: str, search_url: str) -> None:
    """Give the form's clause field `name` the search box, asking `search_url`."""
    field = form.fields[name]
    attrs = dict(field.widget.attrs)
    attrs.setdefault("size", 8)
    widget = ClausePickerWidget(attrs=attrs, search_url=search_url)
    widget.choices = getattr(field, "choices", [])
    field.widget = widget


class ClausePickerQuery(forms.Form):
    """A search of the picker: the words, the chosen clauses (of the field's own choices) and the select's id."""

    clause_q = forms.CharField(max_length=100, required=False)
    widget_id = forms.RegexField(regex=r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")

    def __init__(self, *args: Any, field: forms.ModelMultipleChoiceField[Any], name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[name] = forms.ModelMultipleChoiceField(
            queryset=field.queryset, to_field_name=field.to_field_name, required=False
        )
        self.name = name


def clause_picker_response(
    request: HttpRequest, field: forms.ModelMultipleChoiceField[Any], name: str = "clauses"
) -> HttpResponse:
    """The select of `field` (the page form's clause field, with its choices and labels) holding the clauses
    that match the search and those already chosen, chosen ones selected. A malformed search: 400."""
    query = ClausePickerQuery(request.GET, field=field, name=name)
    if not query.is_valid():
        return HttpResponse("The search could not be read.", status=400, content_type="text/plain; charset=utf-8")
    chosen = list(query.cleaned_data[name])
    offered: QuerySet[Any] = field.queryset if field.queryset is not None else Clause.objects.none()
    matches = clause_filter(offered, query.cleaned_data["clause_q"])
    if query.cleaned_data["clause_q"].strip():
        matches = matches[:SEARCH_LIMIT]
    keep = {c.pk for c in chosen} | set(matches.values_list("pk", flat=True))
    picker = copy.deepcopy(field)
    picker.queryset = offered.filter(pk__in=keep)
    attrs = {k: v for k, v in field.widget.attrs.items() if k != "id"}
    widget = forms.SelectMultiple(attrs={**attrs, "id": query.cleaned_data["widget_id"]})
    widget.choices = picker.choices  # type: ignore[assignment]  # a ModelChoiceIterator, as Django sets it
    html = widget.render(name, [picker.prepare_value(c) for c in chosen])
    return HttpResponse(html)
