"""The form of the certification page: take a decision. It parses and labels input; the rules (who decides,
what each decision needs) stay in the service and conformo.domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from conformo.certification.models import DecisionChoice
from conformo.domain.certificate_states import CONDITIONS, Decision


class DecisionForm(forms.Form):
    """One of the decisions the certification's state allows, with its reason."""

    kind = forms.ChoiceField(choices=(), widget=forms.RadioSelect, label="Decision")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reason", max_length=4000)
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="New scope (scope changes only)"
    )
    issue_resolved = forms.BooleanField(required=False, label="The issue behind the suspension is resolved")

    def __init__(self, *args: Any, allowed: Sequence[Decision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.value, f"{DecisionChoice(d.value).label} — needs: {CONDITIONS[d]}") for d in allowed]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]
        if choices:
            self.fields["kind"].initial = choices[0][0]

    def clean_scope(self) -> str | None:
        return self.cleaned_data["scope"] or None
