"""Forms of the fees pages: the CB's price list and the action that quotes an application."""

from __future__ import annotations

from django import forms

from conformo.fees.models import PriceSettings
from conformo.fees.services import PRICE_FIELDS


class PriceSettingsForm(forms.ModelForm[PriceSettings]):
    """The price list; the service checks the amounts against the currency's decimals."""

    class Meta:
        model = PriceSettings
        fields = PRICE_FIELDS
        labels = {
            "currency": "Currency (ISO 4217)",
            "day_rate": "Day rate",
            "stage1_day_rate": "Day rate of stage 1",
            "stage2_day_rate": "Day rate of stage 2",
            "surveillance_day_rate": "Day rate of a surveillance",
            "recertification_day_rate": "Day rate of the recertification",
            "travel_mode": "Travel",
            "travel_days": "Travel days per audit on site",
            "travel_day_rate": "Travel day rate",
            "travel_flat": "Flat travel amount per audit on site",
            "expenses": "Expenses per audit on site",
            "certificate_fee": "Certificate fee",
            "registration_fee": "Annual registration fee",
            "tax_percent": "Tax rate (%)",
            "validity_days": "Quotation valid for (days)",
        }


class QuotationCreateForm(forms.Form):
    """Quote the application with its current audit-time determination and the CB's prices (no input)."""
