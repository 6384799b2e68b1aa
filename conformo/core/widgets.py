"""Widgets shared by every app's pages."""

from __future__ import annotations

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
    Python — the template renders each option's own template, about 0.1 ms an option, which made an empty
    complaints register take 60 ms to draw its form."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(conditional_escape(part) for part in parts))
