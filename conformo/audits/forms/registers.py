"""Forms of the registers: auditors and qualifications, complaints, appeals, the schedule."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.accounts.models import User
from conformo.audits.choices import (
    ComplaintStatus,
)
from conformo.audits.forms.base import DATE, ActionForm, _by_public_id
from conformo.core.forms import set_queryset
from conformo.core.widgets import LongSelect
from conformo.organizations.models import Organization


class AuditorRegisterForm(ActionForm):
    id_prefix = "register"
    email = forms.EmailField(label="Email of a CB member")

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members

    def clean_email(self) -> Any:
        user = self.members.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError("No member of your CB has that address.")
        return user


class ComplaintForm(ActionForm):
    id_prefix = "complaint"
    complainant = forms.CharField(max_length=200, required=False, label="Complainant", help_text="Empty: you.")
    organization = _by_public_id(
        Organization.objects.none(), required=False, empty_label="The CB itself", label="About", widget=LongSelect
    )
    subject = forms.CharField(max_length=200, label="Subject")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Description")

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organization", organizations)


class HandlerForm(ActionForm):
    """Assign a complaint's or an appeal's handler by their email address."""

    handler = forms.EmailField(label="Handler email")

    def clean_handler(self) -> Any:
        handler = User.objects.filter(email__iexact=self.cleaned_data["handler"]).first()
        if handler is None:
            raise forms.ValidationError("No user has that address.")
        return handler


COMPLAINT_STEPS = [
    (s.value, s.label) for s in (ComplaintStatus.INVESTIGATING, ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
]


class ComplaintAdvanceForm(ActionForm):
    status = forms.ChoiceField(choices=COMPLAINT_STEPS, label="New status")
    outcome = forms.CharField(required=False, label="Outcome")


class AppealDecideForm(ActionForm):
    upheld = forms.TypedChoiceField(
        choices=[("yes", "Uphold"), ("no", "Reject")], coerce=lambda v: v == "yes", label="Result"
    )
    outcome = forms.CharField(required=False, label="Outcome")


class ScheduleForm(forms.Form):
    """The schedule's period (a GET filter)."""

    start = forms.DateField(widget=DATE, required=False, label="From")
    days = forms.IntegerField(min_value=1, max_value=3660, required=False, initial=90, label="Days")
