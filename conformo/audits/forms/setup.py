"""Forms of the CB's set-up pages: settings, accreditations, an auditor's conflicts and unavailability."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.audits.choices import (
    ConflictKind,
)
from conformo.audits.forms.base import DATE, parse_sector_codes
from conformo.audits.models import CBSettings
from conformo.audits.services.setup import SETTINGS_FIELDS
from conformo.core.forms import set_queryset
from conformo.domain.impartiality import COOLING_OFF_RULE
from conformo.organizations.models import Organization
from conformo.standards.models import Standard


class CBSettingsForm(forms.ModelForm[CBSettings]):
    class Meta:
        model = CBSettings
        fields = SETTINGS_FIELDS
        labels = {
            "major_response_days": "Response period for a major nonconformity (days)",
            "minor_response_days": "Response period for a minor nonconformity (days)",
            "major_verification_days": "Verification period for a major nonconformity (days)",
            "minor_verification_days": "Verification period for a minor nonconformity (days)",
            "cooling_off_months": "Cooling-off period after consultancy (months)",
            "stage1_percent": "Stage 1 share of the initial audit time (%)",
            "stage1_due_days": "Stage 1 due after acceptance (days)",
            "stage2_due_days": "Stage 2 due after stage 1 (days)",
            "surveillance_1_months": "First surveillance after the decision (months)",
            "surveillance_2_months": "Second surveillance after the decision (months)",
            "at_risk_days": "At-risk margin before an audit's limit (days)",
            "transition_risk_days": "A client not yet moved to a new edition is at risk this close to the "
            "transition end (days)",
            "report_due_days": "Audit report due after the audit is completed (days)",
            "max_remote_percent": "Most of an audit's days that may be remote (%)",
            "max_remote_percent_isms": "Most of an ISMS audit's days that may be remote (%)",
            "allow_agreement_at_stage1": "Stage 1 may start before the agreement is signed (with a recorded reason)",
            "certificate_number_pattern": "Certificate numbering pattern",
            "qualification_validity_months": "A qualification is valid after its evaluation for (months)",
            "qualification_lapse_months": "A qualification lapses without an audit in its standard after (months)",
            "witness_interval_months": "Each auditor is witnessed on site at least every (months)",
            "monitoring_notice_days": "Monitoring is listed as due this long before its date (days)",
        }
        error_messages = {
            "cooling_off_months": {"min_value": f"{COOLING_OFF_RULE}."},
        }


class AccreditationForm(forms.Form):
    accreditation_body = forms.CharField(max_length=200, label="Accreditation body", help_text="e.g. UKAS, DAkkS.")
    reference = forms.CharField(max_length=100, required=False, label="Accreditation reference")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.none(), widget=forms.CheckboxSelectMultiple, label="Accredited standards"
    )
    sector_codes = forms.CharField(
        label="IAF sector codes", help_text="Comma-separated, 1 to 39.", widget=forms.TextInput()
    )
    valid_from = forms.DateField(widget=DATE, label="Valid from")
    valid_until = forms.DateField(widget=DATE, label="Valid until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "standards", Standard.objects.filter(is_harmonized_structure=False))

    def clean_sector_codes(self) -> list[int]:
        return parse_sector_codes(self.cleaned_data["sector_codes"] or "")


class ConflictForm(forms.Form):
    """A declared relationship with a client (17021-1 5.2)."""

    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Client"
    )
    kind = forms.ChoiceField(choices=ConflictKind.choices, label="Relationship")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Description")
    started_on = forms.DateField(widget=DATE, label="Relationship started on")
    ended_on = forms.DateField(
        widget=DATE, required=False, label="Relationship ended on", help_text="Leave empty while it goes on."
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organization", clients)


class UnavailabilityForm(forms.Form):
    starts_on = forms.DateField(widget=DATE, label="First day unavailable")
    ends_on = forms.DateField(widget=DATE, label="Last day unavailable")
    note = forms.CharField(max_length=200, required=False, label="Note", help_text="e.g. leave, training.")
