"""The retention policy's form: for each kind of record, the years kept after it closed and the action."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.domain.retention import MIN_RETENTION_YEARS
from conformo.retention.selectors import PolicyRow


class PolicyForm(forms.Form):
    """One `<kind>_years` and `<kind>_action` pair per record kind; the service checks the floor of 6 years."""

    def __init__(self, *args: Any, policy: list[PolicyRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [row.kind.value for row in policy]
        for row in policy:
            self.fields[f"{row.kind.value}_years"] = forms.IntegerField(
                min_value=0,
                max_value=100,
                initial=row.years,
                label=f"{row.label}: years kept",
                help_text=f"After {row.closes}; at least {MIN_RETENTION_YEARS}.",
            )
            self.fields[f"{row.kind.value}_action"] = forms.ChoiceField(
                choices=[(a.value, a.value.capitalize()) for a in row.actions],
                initial=row.action.value,
                label=f"{row.label}: then",
            )

    def rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [{"kind": k, "years": data[f"{k}_years"], "action": data[f"{k}_action"]} for k in self.kinds]

    def route_error(self, name: str, error: str) -> bool:
        """`complaints.years` → the field `complaints_years`."""
        field = name.replace(".", "_")
        if field in self.fields:
            self.add_error(field, error)
            return True
        return False
