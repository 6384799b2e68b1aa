"""Forms of the certification pages."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.certification.models import Decision
from conformo.certification.selectors import decision_list


class AppealLodgeForm(forms.Form):
    """An appeal against a certification decision (ISO/IEC 17021-1 9.7)."""

    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(), label="Against the decision", to_field_name="public_id"
    )
    subject = forms.CharField(max_length=300, required=False)
    grounds = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = decision_list(user=user)
