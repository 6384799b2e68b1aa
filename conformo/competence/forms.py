"""Forms of the competence pages: a criterion, an entry of a person's record, an evaluation (with its evidence
and the qualifications it grants), a file of evidence, a monitoring record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits.choices import AuditStatus, QualificationRole
from conformo.audits.forms.base import DATE, ActionForm, parse_sector_codes
from conformo.audits.models import Audit, Auditor, TeamMember
from conformo.competence.choices import EntryKind, Function, Method, MonitoringKind, Outcome, Result
from conformo.competence.models import CompetenceCriterion
from conformo.core.forms import chosen, refreshes, set_queryset
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard


def _standards() -> Any:
    return Standard.objects.filter(is_harmonized_structure=False).order_by("code")


def _staff(cb: CertificationBody) -> Any:
    return User.objects.filter(memberships__certification_body=cb).distinct().order_by("email")


def _person_label(user: Any) -> str:
    return f"{user} <{user.email}>"


def StaffChoice(**kwargs: Any) -> forms.ModelChoiceField[Any]:
    """A member of the CB (the queryset is set per form)."""
    return forms.ModelChoiceField(queryset=User.objects.none(), **kwargs)


class CriterionForm(ActionForm):
    id_prefix = "criterion"
    function = forms.ChoiceField(choices=Function.choices, label="Function")
    standard = forms.ModelChoiceField(
        queryset=Standard.objects.none(), to_field_name="code", required=False, label="Standard (empty: any)"
    )
    sector_code = forms.IntegerField(min_value=1, max_value=39, required=False, label="IAF sector code (empty: any)")
    education = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Education")
    training = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Training")
    work_experience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Work experience")
    audit_experience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Audit experience"
    )
    min_audits = forms.IntegerField(min_value=0, max_value=1000, initial=0, label="Least audits in the period")
    min_audit_days = forms.DecimalField(
        min_value=0, max_value=9999, decimal_places=1, initial=0, label="Least audit days in the period"
    )
    period_years = forms.IntegerField(min_value=1, max_value=10, initial=3, label="Period (years)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "standard", _standards())


class EntryForm(ActionForm):
    id_prefix = "entry"
    kind = forms.ChoiceField(choices=EntryKind.choices, label="Kind")
    title = forms.CharField(max_length=200, label="What", help_text="A degree, a course, a position, an audit.")
    provider = forms.CharField(max_length=200, required=False, label="School, provider, employer or client")
    started_on = forms.DateField(widget=DATE, label="From")
    ended_on = forms.DateField(widget=DATE, required=False, label="To")
    days = forms.DecimalField(
        min_value=0.5, max_value=9999, decimal_places=1, required=False, label="Audit days (audit experience)"
    )
    standard = forms.ModelChoiceField(
        queryset=Standard.objects.none(), to_field_name="code", required=False, label="Standard"
    )
    sector_code = forms.IntegerField(min_value=1, max_value=39, required=False, label="IAF sector code")
    role = forms.ChoiceField(choices=[("", "—"), *QualificationRole.choices], required=False, label="Role")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "standard", _standards())


class EvaluationForm(ActionForm):
    """An evaluation; when positive, one qualification per standard ticked (the same IAF codes and role)."""

    id_prefix = "evaluation"
    person = StaffChoice(label="Person evaluated")
    evaluator = StaffChoice(label="Evaluator")
    evaluated_on = forms.DateField(widget=DATE, label="Date")
    function = forms.ChoiceField(choices=Function.choices, initial=Function.AUDITING, label="Function")
    method = forms.ChoiceField(choices=Method.choices, label="Method")
    result = forms.ChoiceField(choices=Result.choices, label="Result")
    criteria = forms.ModelMultipleChoiceField(
        queryset=CompetenceCriterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Evaluated against the criteria",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Findings and notes")
    evidence = forms.FileField(required=False, label="Evidence (a file)")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Grants qualifications for",
    )
    sector_codes = forms.CharField(
        required=False, label="IAF sector codes", widget=forms.TextInput(attrs={"placeholder": "17, 18"})
    )
    role = forms.ChoiceField(choices=QualificationRole.choices, initial=QualificationRole.AUDITOR, label="As")

    def __init__(self, *args: Any, cb: CertificationBody, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"evaluated_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        set_queryset(self, "person", _staff(cb), _person_label)
        set_queryset(self, "evaluator", _staff(cb), _person_label)
        set_queryset(self, "standards", _standards())
        set_queryset(
            self, "criteria", CompetenceCriterion.objects.filter(certification_body=cb).select_related("standard")
        )

    def clean_sector_codes(self) -> list[int]:
        return parse_sector_codes(self.cleaned_data["sector_codes"] or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("standards") and not data.get("sector_codes"):
            self.add_error("sector_codes", "Name the IAF sector codes the qualifications cover.")
        return data


class EvidenceForm(ActionForm):
    id_prefix = "evidence"
    file = forms.FileField(label="File")
    name = forms.CharField(max_length=200, required=False, label="Name (empty: the file's)")


class MonitoringForm(ActionForm):
    id_prefix = "monitoring"
    auditor = forms.ModelChoiceField(queryset=Auditor.objects.none(), to_field_name="public_id", label="Auditor")
    kind = forms.ChoiceField(choices=MonitoringKind.choices, label="Kind")
    audit = forms.ModelChoiceField(
        queryset=Audit.objects.none(), to_field_name="public_id", required=False, label="Audit witnessed"
    )
    monitored_on = forms.DateField(widget=DATE, label="Date")
    monitor = StaffChoice(label="Monitor")
    outcome = forms.ChoiceField(choices=Outcome.choices, label="Outcome")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes")

    def __init__(self, *args: Any, cb: CertificationBody, user: Any, auditor: str = "", **kwargs: Any) -> None:
        """`auditor`: the public id of the auditor to offer the audits of, when the form is not bound (the page's
        GET `?auditor=`, which the auditor's select asks for when it changes)."""
        kwargs.setdefault("initial", {"monitored_on": timezone.localdate(), "auditor": auditor})
        super().__init__(*args, **kwargs)
        set_queryset(self, "auditor", Auditor.objects.filter(certification_body=cb, active=True).select_related("user"))
        set_queryset(self, "audit", self._audits(cb, user), lambda a: f"{a} ({a.started_on or a.planned_start})")
        set_queryset(self, "monitor", _staff(cb), _person_label)
        # Changing the auditor asks the page again for the audit select.
        refreshes(self, "auditor", f"{reverse('competence:monitoring-create')}?cb={cb.public_id}", "audit")

    def _audits(self, cb: CertificationBody, user: Any) -> Any:
        """The audits the service accepts for the chosen auditor: started audits of the CB with the auditor on the
        team, most recent first. None before an auditor is chosen: the CB's started audits run to thousands (6,305
        at the scale demo's 600 clients), a select no one can use and a page of 700 KB."""
        field = cast("forms.ModelChoiceField[Audit]", self.fields["audit"])
        auditor = chosen(self, "auditor")
        if auditor is None:
            field.empty_label = "Choose the auditor first"
            return Audit.objects.none()
        return (
            Audit.objects.visible_to(user)
            .filter(
                Exists(TeamMember.objects.filter(audit=OuterRef("pk"), auditor=auditor)),
                programme__certification_body=cb,
                status__in=[AuditStatus.IN_PROGRESS, AuditStatus.COMPLETED],
            )
            .select_related("programme__organization")
            .order_by("-started_on", "-planned_start")
        )
