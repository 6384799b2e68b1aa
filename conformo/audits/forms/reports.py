"""Forms of the audit report and the stage-1 report (ISO/IEC 17021-1 9.4.8, 9.3.1)."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.audits.choices import (
    Recommendation,
    ReportKind,
)
from conformo.audits.forms.base import ActionForm
from conformo.audits.forms.plans import TEXT

YES_NO = [("", "— not stated —"), ("yes", "Yes"), ("no", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=YES_NO, coerce=lambda v: v == "yes", empty_value=None, required=False, label=label
    )


class ReportEditForm(ActionForm):
    """The lead auditor's draft of the audit report (17021-1 9.4.8) or the stage 1 report (9.3.1.2): the
    fields of the report's kind only."""

    id_prefix = "report"
    STAGE_1_ONLY = ("stage2_ready", "stage2_focus")
    AUDIT_ONLY = ("scope_appropriate", "objectives_met", "surveillance_review", "recommendation", "conditions")

    representative = forms.CharField(max_length=200, required=False, label="Client's representative")
    objectives = forms.CharField(widget=TEXT, label="Audit objectives")
    criteria = forms.CharField(widget=TEXT, label="Audit criteria")
    scope = forms.CharField(widget=TEXT, label="Scope", help_text="Sites, functions, processes audited.")
    places = forms.CharField(widget=TEXT, required=False, label="Dates and places", help_text="On site, remote.")
    deviations = forms.CharField(widget=TEXT, required=False, label="Deviations from the audit plan and why")
    significant_issues = forms.CharField(widget=TEXT, required=False, label="Significant issues")
    conclusions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Conclusions",
        help_text="Conformity and effectiveness of the management system.",
    )
    objectives_met = _yes_no("Audit objectives met")
    scope_appropriate = _yes_no("Scope of certification appropriate")
    surveillance_review = forms.CharField(
        widget=TEXT,
        required=False,
        label="Complaints, changes and use of marks reviewed",
        help_text="Surveillance and recertification audits.",
    )
    recommendation = forms.ChoiceField(
        choices=[("", "—"), *Recommendation.choices], required=False, label="Team's recommendation"
    )
    conditions = forms.CharField(widget=TEXT, required=False, label="Conditions of the recommendation")
    soa_version = forms.CharField(
        max_length=100, required=False, label="Statement of Applicability version reviewed", help_text="ISMS audits."
    )
    stage2_ready = _yes_no("Ready for stage 2")
    stage2_focus = forms.CharField(widget=TEXT, required=False, label="What stage 2 must cover")

    def __init__(self, *args: Any, kind: str = ReportKind.AUDIT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.AUDIT_ONLY if kind == ReportKind.STAGE_1 else self.STAGE_1_ONLY:
            del self.fields[name]

    @staticmethod
    def initial_for(report: Any) -> dict[str, Any]:
        if report is None:
            return {}
        values = {name: getattr(report, name) for name in ReportEditForm.base_fields}
        for name in ("objectives_met", "scope_appropriate", "stage2_ready"):
            values[name] = "" if values[name] is None else ("yes" if values[name] else "no")
        return values


class ReportSectionForm(ActionForm):
    id_prefix = "reportsection"
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Your section", help_text="Empty removes it."
    )


class ReportReviseForm(ActionForm):
    id_prefix = "reportrevise"
    reason = forms.CharField(widget=TEXT, label="Why the issued report is corrected")
