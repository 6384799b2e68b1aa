"""The figures' filter as a GET form: year (the current one by default), or a date range, the grouping over
time, a standard, and the day auditors' qualifications are read on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from conformo.domain.figures import Period
from conformo.standards.models import Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FigureFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=1900, max_value=9999, help_text="The current year when empty.")
    start = forms.DateField(required=False, label="From", help_text="Overrides the year's first day.", widget=DATE)
    end = forms.DateField(required=False, label="To", help_text="Overrides the year's last day.", widget=DATE)
    period = forms.ChoiceField(
        choices=[(p.value, p.value.capitalize()) for p in Period],
        initial=Period.QUARTER.value,
        required=False,
        label="Group by",
    )
    standard = forms.ModelChoiceField(
        queryset=Standard.objects.filter(is_harmonized_structure=False).order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="All standards",
    )
    on = forms.DateField(required=False, label="Qualifications on", help_text="Today when empty.", widget=DATE)

    @classmethod
    def from_query(cls, query: QueryDict) -> FigureFilterForm:
        """The form bound to a page's query string, the grouping set to its default when the query has none (so
        that the page shows the grouping it used)."""
        data = query.copy()
        data.setdefault("period", Period.QUARTER.value)
        return cls(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", "The end is before the start.")
        return data

    def parts(self) -> dict[str, Any]:
        """The cleaned filter as `figure_filter`'s keywords."""
        data = self.cleaned_data
        standard = data.get("standard")
        return {
            "year": data.get("year"),
            "start": data.get("start"),
            "end": data.get("end"),
            "period": data.get("period") or Period.QUARTER.value,
            "standard": standard.code if standard else None,
            "on": data.get("on"),
        }
