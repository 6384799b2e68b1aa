"""Shared by the CB pages' forms: the date widget, the action form with its own id prefix, a choice by public
id, IAF sector codes."""

from __future__ import annotations

from typing import Any

from django import forms

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


def _by_public_id(queryset: Any, **kwargs: Any) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(queryset=queryset, to_field_name="public_id", **kwargs)


COMPLEXITY = [("high", "high"), ("medium", "medium"), ("low", "low"), ("limited", "limited")]
