"""Forms of the impartiality pages: the review interval, a threat, its review or retirement, a related body and
its relationship with a client, a committee member and a meeting."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.audits.choices import ConflictKind
from conformo.audits.forms.base import DATE
from conformo.audits.models import RelatedBody
from conformo.core.forms import set_queryset
from conformo.impartiality.choices import Level, ThreatKind, ThreatSource
from conformo.impartiality.models import CommitteeMember, Threat
from conformo.organizations.models import Organization

SCALE = [(1, "1 — low"), (2, "2 — medium"), (3, "3 — high")]


class SettingsForm(forms.Form):
    review_months = forms.IntegerField(
        min_value=1, max_value=36, label="Review each threat every (months)", help_text="Default 12."
    )


class ThreatForm(forms.Form):
    """A threat with its assessment; the level is found from likelihood × severity."""

    title = forms.CharField(max_length=200, label="Threat")
    kind = forms.ChoiceField(choices=ThreatKind.choices, label="Kind")
    source = forms.ChoiceField(choices=ThreatSource.choices, label="Source")
    related_body: forms.ModelChoiceField[RelatedBody] = forms.ModelChoiceField(
        queryset=RelatedBody.objects.none(), required=False, label="Related body"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Description")
    likelihood = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Likelihood")
    severity = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Severity")
    controls = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Controls")
    residual_level = forms.ChoiceField(choices=Level.choices, label="Residual level after the controls")

    def __init__(self, *args: Any, related_bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "related_body", related_bodies)


class ReassessForm(forms.Form):
    """A threat's assessment and controls, changed; the level is found again."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Description")
    likelihood = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Likelihood")
    severity = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Severity")
    controls = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Controls")


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(widget=DATE, label="Reviewed on")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Outcome")
    residual_level = forms.ChoiceField(choices=Level.choices, label="Residual level")


class RetireForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why the threat no longer exists")


class RelatedBodyForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    relationship = forms.CharField(max_length=300, label="Relationship to the CB", help_text="Ownership, contract …")
    services = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Services offered", help_text="e.g. consultancy"
    )


class RelationshipForm(forms.Form):
    """A related body's relationship with a client (17021-1 5.2)."""

    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Client"
    )
    kind = forms.ChoiceField(choices=ConflictKind.choices, label="Relationship")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Description")
    started_on = forms.DateField(widget=DATE, label="Started on")
    ended_on = forms.DateField(widget=DATE, required=False, label="Ended on", help_text="Empty while it goes on.")

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organization", clients)


class MemberForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    interest = forms.CharField(max_length=200, label="Interest represented", help_text="Clients, industry, …")
    joined_on = forms.DateField(widget=DATE, label="Joined on")
    left_on = forms.DateField(widget=DATE, required=False, label="Left on")


class MeetingForm(forms.Form):
    held_on = forms.DateField(widget=DATE, label="Held on")
    attendees: forms.ModelMultipleChoiceField[CommitteeMember] = forms.ModelMultipleChoiceField(
        queryset=CommitteeMember.objects.none(), widget=forms.CheckboxSelectMultiple, label="Attendees"
    )
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Agenda")
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Decisions and minutes")
    reviewed: forms.ModelMultipleChoiceField[Threat] = forms.ModelMultipleChoiceField(
        queryset=Threat.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Threats reviewed",
    )
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="What the committee found about them"
    )

    def __init__(self, *args: Any, members: Any, threats: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "attendees", members)
        set_queryset(self, "reviewed", threats)
