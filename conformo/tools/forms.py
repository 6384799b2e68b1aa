"""Forms of the calculator page. They only render and keep what was typed: every check is the rules
engine's (``conformo.tools.calculators``), so the page shows the same messages as the CLI and the API."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.domain.audit_time import SUPPORTED_STANDARDS
from conformo.tools.calculators import COMPLEXITY_CHOICES, STANDARD_LABELS


def adjust_field_name(standard: str) -> str:
    return f"adjust_{standard}"


class TextList(forms.Field):
    """Every value posted under the name, as typed (the rules engine checks them, with its own messages)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value or []]


class AuditTimeForm(forms.Form):
    standards = TextList(required=False)  # rendered by hand: a checkbox and an adjustment field per standard
    personnel = forms.CharField(
        label="Effective personnel",
        required=False,
        max_length=20,
        help_text="Persons within the scope (IAF MD 5 cl. 2.3); a fraction such as 5.2 is rounded up to 6.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    complexity = forms.ChoiceField(
        label="Complexity / risk category",
        required=False,
        choices=[("", "— (not needed for ISO 9001 and ISO/IEC 27001 alone)")]
        + [(level, level) for level in COMPLEXITY_CHOICES],
        help_text="Required for ISO 14001 (high, medium, low, limited) and ISO 45001 (high, medium, low).",
    )
    integration_percent = forms.CharField(
        label="Integration reduction (%)",
        required=False,
        max_length=20,
        help_text="IAF MD 11, for several standards audited together: 0 to 20 (more is cut to 20 with a warning).",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for standard in SUPPORTED_STANDARDS:
            self.fields[adjust_field_name(standard)] = forms.CharField(
                label=f"Adjustment for {standard} (%)",
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "6"}),
            )

    def standard_rows(self) -> list[dict[str, Any]]:
        """One row per supported standard: its checkbox state and its adjustment field."""
        # a fresh form suggests ISO 9001
        chosen = set(self["standards"].value() or []) if self.is_bound else {SUPPORTED_STANDARDS[0]}
        return [
            {
                "id": standard,
                "label": STANDARD_LABELS.get(standard, standard),
                "checked": standard in chosen,
                "adjust": self[adjust_field_name(standard)],
            }
            for standard in SUPPORTED_STANDARDS
        ]

    def adjustments(self) -> dict[str, str]:
        """The adjustments typed, by standard id (blank ones left out); call after ``is_valid()``."""
        typed = {standard: self.cleaned_data.get(adjust_field_name(standard), "") for standard in SUPPORTED_STANDARDS}
        return {standard: text for standard, text in typed.items() if text}


class SamplingForm(forms.Form):
    sites = forms.CharField(
        label="Number of sites",
        required=False,
        max_length=12,
        help_text="Sites besides the central function, which is audited at every audit in addition.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CycleForm(forms.Form):
    decision_date = forms.CharField(
        label="Certification decision date",
        required=False,
        max_length=10,
        help_text="YYYY-MM-DD.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stage2_end = forms.CharField(
        label="Last day of stage 2 (optional)",
        required=False,
        max_length=10,
        help_text="YYYY-MM-DD; adds the deadline to verify major nonconformities (ISO/IEC 17021-1 9.5.3.2).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
