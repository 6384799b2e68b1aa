"""Shared by the CB pages' forms: the date widget, the action form with its own id prefix, a choice by public
id, IAF sector codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_codes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_sector_codes(raw: str) -> list[int]:
    """'17, 18' → [17, 18] by ``domain.sectors.parse_iaf_codes``; anything else is a form error."""
    try:
        return parse_iaf_codes(raw)
    except InvalidInput as exc:
        raise forms.ValidationError(f"{exc.message}.") from exc


class ActionForm(forms.Form):
    """A page action's form. Its ids start with `id_prefix`, so that several forms share a page without
    clashing ids; the field names stay plain (those of the API's schemas)."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ConfirmForm(ActionForm):
    """An action that cannot be undone: the page asks for a ticked confirmation, checked by the server, so it
    works without script. `confirm_label` says what is confirmed."""

    confirm_label = "I confirm this action; it cannot be undone."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"] = forms.BooleanField(
            label=self.confirm_label, error_messages={"required": "Tick the box to confirm."}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.pop("confirm", None)
        return data


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


def _by_public_id(queryset: Any, **kwargs: Any) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(queryset=queryset, to_field_name="public_id", **kwargs)


COMPLEXITY = [("high", "high"), ("medium", "medium"), ("low", "low"), ("limited", "limited")]
