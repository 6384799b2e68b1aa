"""Widgets shared by every app's pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """` name="value"` for each attribute, as Django's `attrs.html` writes them (True: the name alone; False: left
    out)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, str(v)),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


class LongSelect(forms.Select):
    """A select of many options (a CB's clients, 600 in the scale demo): the HTML of Django's `Select`, written in
    Python straight from the choices. The template renders each option's own template, about 0.1 ms an option,
    which made an empty complaints register take 60 ms to draw its form; building Django's option dictionaries
    (`optgroups`) first still took 2.1 ms for 250 options, 0.7 ms without them."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        values = self.format_value(value)
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(final_attrs)}>']
        has_selected = False
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_value)}">')
            options: Iterable[tuple[Any, Any]] = group_label if grouped else ((group_value, group_label),)
            for option_value, label in options:
                key = "" if option_value is None else str(option_value)
                selected = (not has_selected or self.allow_multiple_selected) and key in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(key)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>\n"
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every name, value and label above is escaped


class LongNullBooleanSelect(LongSelect, forms.NullBooleanSelect):
    """Django's `NullBooleanSelect` ("Unknown", "Yes", "No"; a list's `open` filter) written as `LongSelect` writes a
    select: its template took 0.6 ms of each list page's filter bar."""

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # LongSelect reads a list of values
        return [forms.NullBooleanSelect.format_value(self, value)]
