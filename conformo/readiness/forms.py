from __future__ import annotations

from typing import Any

from django import forms

from conformo.organizations.tenancy import member_choices
from conformo.readiness.choices import DocumentKind, ItemStatus, RiskKind, Treatment, TreatmentStatus
from conformo.standards.models import Standard


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for a generated title.")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.filter(is_harmonized_structure=False).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )


class ItemForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)
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
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, clauses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = clauses  # type: ignore[attr-defined]
        self.fields["clauses"].label_from_instance = lambda c: f"{c.standard.designation} {c.ref} {c.title}"  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    title = forms.CharField(max_length=200)
    standards: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
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


class EvidenceForm(forms.Form):
    label = forms.CharField(max_length=200, help_text="What it shows, e.g. “Access-control policy v3”.")
    url = forms.URLField(required=False, max_length=200, assume_scheme="https", label="Link")
    document: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Or a document of the register",
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from conformo.readiness.models import Document

        self.fields["document"].queryset = Document.objects.filter(organization=organization)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("document") and "url" not in self.errors:
            self.add_error("url", "Give a link or choose a document.")
        return data


class DocumentOwnersForm(forms.Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)
    approver: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="If set, only this person may approve a revision.",
    )
    review_due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "approver"):
            self.fields[name].queryset = member_choices(organization)  # type: ignore[attr-defined]


class ReviewActionForm(forms.Form):
    description = forms.CharField(max_length=500, label="Action")
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_choices(organization)  # type: ignore[attr-defined]


class RiskUpdateForm(forms.Form):
    treatment = forms.ChoiceField(choices=Treatment.choices)
    treatment_status = forms.ChoiceField(choices=TreatmentStatus.choices, label="Treatment status")
    treatment_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)
    clauses: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Linked clauses and controls",
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="The clauses or Annex controls that treat this entry (Ctrl/Cmd-click to choose several).",
    )

    def __init__(self, *args: Any, organization: Any, clauses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_choices(organization)  # type: ignore[attr-defined]
        self.fields["clauses"].queryset = clauses  # type: ignore[attr-defined]
        self.fields["clauses"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.standard.designation} {'A.' if c.kind == 'control' else ''}{c.ref} {c.title}"
        )
