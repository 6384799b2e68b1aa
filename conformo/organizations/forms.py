from __future__ import annotations

from django import forms

from conformo.organizations.models import CertificationBody, Site


class OrganizationForm(forms.Form):
    legal_name = forms.CharField(max_length=200)
    country = forms.CharField(max_length=2, help_text="Two-letter ISO 3166-1 code, e.g. DE.")
    registration_number = forms.CharField(max_length=100, required=False)
    sector_codes = forms.CharField(required=False, help_text="IAF sector codes, comma-separated (1–39).")
    certification_body = forms.ModelChoiceField(queryset=CertificationBody.objects.none())

    def __init__(self, *args: object, certification_bodies: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["certification_body"].queryset = certification_bodies  # type: ignore[attr-defined]

    def clean_sector_codes(self) -> list[int]:
        raw = self.cleaned_data["sector_codes"] or ""
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError("Enter numbers separated by commas, e.g. 17, 19.") from exc


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
