from __future__ import annotations

from typing import Any

from django import forms

from conformo.notifications.kinds import MANDATORY, Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notice; the mandatory kinds are shown fixed."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            mandatory = kind in MANDATORY
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current[kind.value],
                disabled=mandatory,
                help_text="Always sent at once." if mandatory else "",
            )


class ResendForm(forms.Form):
    """Send a failed notice again: an action without input, a form all the same (one path for every action)."""
