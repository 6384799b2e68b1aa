from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from conformo.accounts.models import User
from conformo.core.forms import set_queryset
from conformo.improvement.choices import Grade
from conformo.organizations.tenancy import member_choices
from conformo.readiness.choices import DocumentKind, ItemStatus, RiskKind, Treatment, TreatmentStatus
from conformo.readiness.models import Document
from conformo.standards.models import Clause, Standard
from conformo.standards.pickers import with_search


class ClauseChoiceField(forms.ModelMultipleChoiceField[Clause]):
    """Clauses labelled by standard, reference (``A.`` before an annex control) and title."""

    def __init__(self, *, with_title: bool = True, **kwargs: Any) -> None:
        super().__init__(queryset=Clause.objects.none(), **kwargs)
        self.with_title = with_title

    def label_from_instance(self, obj: Clause) -> str:
        ref = f"A.{obj.ref}" if obj.kind == "control" else obj.ref
        return (
            f"{obj.standard.designation} {ref} {obj.title}" if self.with_title else f"{obj.standard.designation} {ref}"
        )


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for a generated title.")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.filter(is_harmonized_structure=False).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )


class TransitionForm(forms.Form):
    """Move an assessment to the new edition of one of its standards (`assessment_transition`)."""

    standard: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Standard.objects.none(), to_field_name="code", label="New edition", empty_label=None
    )
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for a generated title.")

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "standard", choices, label=lambda s: f"{s.designation} (replaces {s.replaces.designation})")


class ItemForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    apply_to_subclauses = forms.BooleanField(required=False)

    def __init__(self, *args: Any, organization: Any, subclauses: int = 0, **kwargs: Any) -> None:
        """`subclauses`: how many sub-clauses the item's clause has in the assessment (the checkbox that marks
        them not applicable too is offered only when there are some)."""
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner", member_choices(organization))
        if subclauses:
            field = self.fields["apply_to_subclauses"]
            field.label = f"If not applicable, apply to its {subclauses} sub-clause{'s' if subclauses != 1 else ''}"
            field.help_text = "They get the same justification."
        else:
            del self.fields["apply_to_subclauses"]


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
    clauses = ClauseChoiceField(widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args: Any, clauses: Any, search_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "clauses", clauses)
        if search_url:
            with_search(self, "clauses", search_url)


class ReviewForm(forms.Form):
    title = forms.CharField(max_length=200)
    standards = forms.ModelMultipleChoiceField(queryset=Standard.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "standards", standards)


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
        queryset=Document.objects.none(),
        required=False,
        label="Or a document of the register",
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "document", Document.objects.filter(organization=organization))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("document") and "url" not in self.errors:
            self.add_error("url", "Give a link or choose a document.")
        return data


class DocumentOwnersForm(forms.Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    approver: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="If set, only this person may approve a revision.",
    )
    review_due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "approver"):
            set_queryset(self, name, member_choices(organization))


class ReviewActionForm(forms.Form):
    description = forms.CharField(max_length=500, label="Action")
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner", member_choices(organization))


class RiskRatingForm(forms.Form):
    """A rating on the organization's likelihood × impact matrix: the risk re-rated, or its residual rating."""

    likelihood = forms.IntegerField(min_value=1)
    impact = forms.IntegerField(min_value=1)


class RiskAcceptForm(forms.Form):
    """The risk owner's acceptance of the residual risk as rated (a button: the owner and the time are recorded)."""


class RiskUpdateForm(forms.Form):
    treatment = forms.ChoiceField(choices=Treatment.choices)
    treatment_status = forms.ChoiceField(choices=TreatmentStatus.choices, label="Treatment status")
    treatment_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    clauses = ClauseChoiceField(
        required=False,
        label="Linked clauses and controls",
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="The clauses or Annex controls that treat this entry (Ctrl/Cmd-click to choose several).",
    )

    def __init__(self, *args: Any, organization: Any, clauses: Any, search_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner", member_choices(organization))
        set_queryset(self, "clauses", clauses)
        if search_url:
            with_search(self, "clauses", search_url)


# --- One form per page action (issue 11): they parse and validate; the services decide. -----------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemStatusForm(forms.Form):
    """The inline status select of the assessment table: the status alone."""

    status = forms.ChoiceField(choices=ItemStatus.choices)


class SoAPublishForm(forms.Form):
    note = forms.CharField(max_length=300, required=False)


class InternalAuditCompleteForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InternalAuditFindingForm(forms.Form):
    """Raise a nonconformity from an internal audit, on clauses of its checklist."""

    title = forms.CharField(max_length=300)
    grade = forms.ChoiceField(choices=Grade.choices, initial=Grade.MINOR)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    clauses = ClauseChoiceField(with_title=False, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, audit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "clauses", audit.clauses.select_related("standard").order_by("standard__code", "position"))


class ManagementReviewForm(forms.Form):
    """Record a management review: when, who, one field per required input (clause 9.3.2) and the decisions.
    Unbound, it shows the review as recorded; for a reader it is shown disabled."""

    held_on = forms.DateField(label="Held on", widget=DATE, required=False)
    attendees = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decisions = forms.CharField(
        label="Decisions and conclusions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, review: Any, required: Any, read_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "held_on": review.held_on,
                "attendees": review.attendees,
                "decisions": review.decisions,
                **{f"input-{i.key}": review.inputs.get(i.key, "") for i in required},
            },
        )
        super().__init__(*args, **kwargs)
        self.input_keys = [i.key for i in required]
        for i in required:
            self.fields[f"input-{i.key}"] = forms.CharField(
                label=i.label,
                help_text=f"({i.standards[0]})" if len(i.standards) == 1 else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.order_fields(["held_on", "attendees", *(f"input-{k}" for k in self.input_keys), "decisions"])
        for field in self.fields.values():
            field.disabled = read_only

    def input_fields(self) -> list[Any]:
        return [self[f"input-{k}"] for k in self.input_keys]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "inputs": {k: data[f"input-{k}"] for k in self.input_keys},
            "held_on": data["held_on"],
            "attendees": data["attendees"],
            "decisions": data["decisions"],
        }


class RiskMatrixForm(forms.Form):
    likelihood_levels = forms.IntegerField(label="Likelihood levels", min_value=2, max_value=10)
    impact_levels = forms.IntegerField(label="Impact levels", min_value=2, max_value=10)
    low_max = forms.IntegerField(label="Low up to rating", min_value=1)
    medium_max = forms.IntegerField(label="Medium up to rating", min_value=2)


class YearFilterForm(forms.Form):
    """The `?year=` filter of a list: a year a date can have, or no filter."""

    year = forms.IntegerField(min_value=1, max_value=9999, required=False)


def year_filter(params: Any) -> int | None:
    """The valid `?year=` of the query string, else None: an odd value (text, a year no date has, NUL)
    is ignored, never an error page."""
    form = YearFilterForm(params)
    return form.cleaned_data["year"] if form.is_valid() else None


def choice_filter(params: Any, name: str, choices: Any) -> str | None:
    """The `?name=` of the query string when it is one of `choices`, else None (no filter)."""
    value = params.get(name)
    return value if value in {key for key, _ in choices} else None
