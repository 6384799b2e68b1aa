from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from conformo.core.forms import set_queryset
from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_codes
from conformo.organizations.models import CertificationBody, Site


class OrganizationForm(forms.Form):
    legal_name = forms.CharField(max_length=200)
    country = forms.CharField(max_length=2, help_text="Two-letter ISO 3166-1 code, e.g. DE.")
    registration_number = forms.CharField(max_length=100, required=False)
    sector_codes = forms.CharField(required=False, help_text="IAF sector codes, comma-separated (1–39).")
    certification_body = forms.ModelChoiceField(queryset=CertificationBody.objects.none())

    def __init__(self, *args: Any, certification_bodies: QuerySet[CertificationBody], **kwargs: Any) -> None:
        """`certification_bodies`: those the user may register a client for."""
        super().__init__(*args, **kwargs)
        set_queryset(self, "certification_body", certification_bodies)

    def clean_sector_codes(self) -> list[int]:
        try:
            return parse_iaf_codes(self.cleaned_data["sector_codes"] or "")
        except InvalidInput as exc:
            raise forms.ValidationError(f"{exc.message}.") from exc


class SiteForm(forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = [
            "name",
            "address",
            "country",
            "is_headquarters",
            "permanent_staff",
            "part_time_staff",
            "part_time_hours_per_week",
            "temporary_staff",
            "contractors",
            "shifts",
            "repetitive_function_staff",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class ReadinessSharingForm(forms.Form):
    """Share, or stop sharing, the readiness work with one CB: the button is the whole form."""
