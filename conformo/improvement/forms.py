"""Forms of the improvement log pages: one per action. They parse and validate the input (a date that
does not exist is a field error, never a 500 nor a silent "today"); the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from conformo.accounts.models import User
from conformo.core.forms import set_queryset
from conformo.improvement.choices import Grade, Source
from conformo.organizations.tenancy import member_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NonconformityForm(forms.Form):
    title = forms.CharField(max_length=300)
    source = forms.ChoiceField(choices=[c for c in Source.choices if c[0] != Source.CB_FINDING])
    grade = forms.ChoiceField(choices=Grade.choices)
    raised_on = forms.DateField(label="Raised on", widget=DATE, initial=timezone.localdate)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CorrectiveActionForm(forms.Form):
    """Plan or revise the corrective action; the owner list is the organization's members and an unbound
    form shows the action as it stands (today's owner pre-selected)."""

    correction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    root_cause = forms.CharField(label="Root cause", widget=forms.Textarea(attrs={"rows": 2}))
    corrective_action = forms.CharField(label="Corrective action", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label="Due date", widget=DATE)

    def __init__(self, *args: Any, nonconformity: Any, **kwargs: Any) -> None:
        ca = getattr(nonconformity, "corrective_action", None)
        if ca is not None:
            kwargs.setdefault(
                "initial",
                {
                    "correction": ca.correction,
                    "root_cause": ca.root_cause,
                    "corrective_action": ca.action,
                    "owner": ca.owner_id,
                    "due_date": ca.due_date,
                },
            )
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner", member_choices(nonconformity.organization))


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=DATE, initial=timezone.localdate)


class EffectivenessCheckForm(forms.Form):
    effective = forms.TypedChoiceField(
        label="Was the action effective?",
        choices=[("yes", "Effective (closes the nonconformity)"), ("no", "Not effective (reopens it)")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
