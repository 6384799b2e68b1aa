from __future__ import annotations

from typing import Any

from django import forms

from conformo.readiness.choices import DocumentKind, ItemStatus, RiskKind, Treatment
from conformo.standards.models import Standard


def member_choices(organization: Any) -> Any:
    from conformo.accounts.models import User

    return User.objects.filter(memberships__organization=organization).distinct().order_by("email")


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for a generated title.")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.filter(is_harmonized_structure=False).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )


class ItemForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)  # type: ignore[arg-type]
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_choices(organization)  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    review_due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RevisionForm(forms.Form):
    file = forms.FileField(required=False)
    change_note = forms.CharField(max_length=500, required=False)


class InternalAuditForm(forms.Form):
    title = forms.CharField(max_length=200)
    planned_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    auditor = forms.CharField(max_length=200, required=False)
    clauses: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, clauses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = clauses  # type: ignore[attr-defined]
        self.fields["clauses"].label_from_instance = lambda c: f"{c.standard.designation} {c.ref} {c.title}"  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    title = forms.CharField(max_length=200)
    standards: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards  # type: ignore[attr-defined]


class RiskForm(forms.Form):
    kind = forms.ChoiceField(choices=RiskKind.choices)
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    likelihood = forms.IntegerField(min_value=1)
    impact = forms.IntegerField(min_value=1)
    treatment = forms.ChoiceField(choices=Treatment.choices)
    treatment_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
