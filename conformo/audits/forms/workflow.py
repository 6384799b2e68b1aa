"""Forms of the certification path's actions: application, review, programme, audit, team, findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse

from conformo.audits.choices import (
    FindingGrade,
    QualificationRole,
    SpecialPurpose,
    VerificationMethod,
)
from conformo.audits.forms.base import (
    COMPLEXITY,
    DATE,
    ActionForm,
    ConfirmForm,
    _by_public_id,
    parse_sector_codes,
)
from conformo.core.forms import chosen, refreshes, set_queryset
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, ClauseKind, Standard
from conformo.standards.pickers import with_search


class ApplicationForm(ActionForm):
    """A client's application for certification (17021-1 9.1.1)."""

    organization = _by_public_id(Organization.objects.none(), empty_label=None, label="Organization")
    certification_body = _by_public_id(CertificationBody.objects.none(), empty_label=None, label="Certification body")
    standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.none(), to_field_name="code", widget=forms.CheckboxSelectMultiple, label="Standards"
    )
    scope = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Scope of certification")
    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Sites",
    )
    sector_codes = forms.CharField(
        required=False, label="IAF sector codes", widget=forms.TextInput(attrs={"placeholder": "17, 18"})
    )
    complexity = forms.ChoiceField(choices=COMPLEXITY, initial="medium", label="Complexity (EMS / OH&S)")
    outsourced_processes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Outsourced processes"
    )
    consultancy_used = forms.CharField(required=False, label="Consultancy used")
    contact_name = forms.CharField(required=False, max_length=200, label="Contact person")
    contact_email = forms.EmailField(
        required=False,
        label="Contact e-mail",
        help_text="Invited as the client's administrator when the application is accepted, if it has none.",
    )

    def __init__(self, *args: Any, organizations: Any, cbs: Any, organization: str = "", **kwargs: Any) -> None:
        """`organization`: the public id of the organization to offer the sites of when the form is not bound
        (the page's GET `?organization=`, which the organization's select asks for when it changes)."""
        kwargs.setdefault("initial", {"organization": organization})
        super().__init__(*args, **kwargs)
        set_queryset(self, "organization", organizations)
        set_queryset(self, "certification_body", cbs)
        set_queryset(self, "standards", Standard.objects.filter(is_harmonized_structure=False))
        # The sites offered are the chosen organization's (a CB's clients have hundreds of sites between them):
        # the posted or asked-for one, else the first, which the select shows chosen (it has no empty choice).
        sites = Site.objects.filter(organization=chosen(self, "organization") or organizations.first())
        set_queryset(self, "sites", sites)
        self.fields["sites"].initial = [s.public_id for s in sites]
        refreshes(self, "organization", reverse("audits:application-create"), "sites")

    def clean_sector_codes(self) -> list[int]:
        return parse_sector_codes(self.cleaned_data["sector_codes"] or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org, sites = data.get("organization"), data.get("sites")
        if org is not None and sites and any(s.organization_id != org.pk for s in sites):
            self.add_error("sites", "Choose sites of the organization that applies.")
        if sites is not None:
            data["sites"] = list(sites)
        if data.get("standards") is not None:
            data["standards"] = list(data["standards"])
        return data


class EmptyForm(ActionForm):
    """An action without input (run the review, accept, start the audit): a form all the same, so that every
    action goes through one path."""


class DeclineForm(ActionForm):
    id_prefix = "decline"
    reason = forms.CharField(max_length=2000, label="Reason for declining (shown to the client)")


class CombinedAuditForm(ActionForm):
    id_prefix = "combine"
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Justification")


SPECIAL_PURPOSES = [
    (SpecialPurpose.SCOPE_EXTENSION.value, "Extension of scope"),
    (SpecialPurpose.SHORT_NOTICE.value, "Short notice"),
]


class SpecialAuditForm(ActionForm):
    id_prefix = "special"
    purpose = forms.ChoiceField(choices=SPECIAL_PURPOSES, label="Purpose")
    due_by = forms.DateField(widget=DATE, required=False, label="Due by")
    days = forms.DecimalField(max_digits=6, decimal_places=1, min_value=Decimal("0.5"), initial=1, label="Days")


class AuditPlanForm(ActionForm):
    id_prefix = "plan"
    planned_start = forms.DateField(widget=DATE, label="Start")
    planned_end = forms.DateField(widget=DATE, label="End")
    onsite_days = forms.DecimalField(max_digits=6, decimal_places=1, min_value=0, required=False, label="On-site days")
    remote_days = forms.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=0,
        required=False,
        label="Remote days",
        help_text="Remote (ICT) days count as audit time (IAF MD 4), up to the CB's remote share. Empty: none.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Plan notes")

    def clean_remote_days(self) -> Decimal:
        value = self.cleaned_data["remote_days"]
        return Decimal(0) if value is None else Decimal(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The end comes before the start.")
        return data

    @classmethod
    def initial_for(cls, audit: Any) -> dict[str, Any]:
        return {
            "planned_start": audit.planned_start,
            "planned_end": audit.planned_end,
            "onsite_days": audit.onsite_days,
            "remote_days": audit.remote_days,
            "notes": audit.plan_notes,
        }


NOT_ON_TEAM = ("", "— not on the team —")


class TeamForm(ActionForm):
    """One role choice per active auditor of the CB, preselected with today's team; each auditor's line says
    whether the auditor is eligible for this audit and why not (`services.auditor_eligibility`, the rule the
    assignment enforces)."""

    id_prefix = "team"

    def __init__(
        self, *args: Any, auditors: Any, current: dict[int, str], eligibility: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.auditors = {f"role-{a.public_id}": a for a in auditors}
        for name, auditor in self.auditors.items():
            self.fields[name] = forms.ChoiceField(
                choices=[NOT_ON_TEAM, *QualificationRole.choices],
                required=False,
                label=str(auditor),
                initial=current.get(auditor.pk, ""),
                help_text=eligibility_text(eligibility.get(auditor.pk)),
            )

    def members(self) -> list[Any]:
        from conformo.audits.services import Member

        return [Member(a, self.cleaned_data[name]) for name, a in self.auditors.items() if self.cleaned_data[name]]


def eligibility_text(entry: Any) -> str:
    """The picker's line for one auditor: eligible or not with the reasons, then whether the auditor may lead."""
    if entry is None:
        return ""
    member = "Eligible." if entry.eligible else "Not eligible: " + " ".join(r["message"] for r in entry.reasons)
    if entry.can_lead:
        return f"{member} Qualified as lead auditor."
    if entry.lead_reasons:
        return f"{member} {' '.join(r['message'] for r in entry.lead_reasons)}"
    return member


class AcceptApplicationForm(ConfirmForm):
    id_prefix = "accept"
    confirm_label = "I confirm the acceptance: it opens the certification record and its programme."


class StartForm(ConfirmForm):
    id_prefix = "start"
    confirm_label = "I confirm the audit starts now; a started audit cannot go back to planned."


class CompleteForm(ConfirmForm):
    id_prefix = "complete"
    confirm_label = "I confirm the audit is complete; findings can no longer be raised or changed."
    summary = forms.CharField(required=False, label="Summary")


def clause_choice_label(clause: Clause) -> str:
    """The picker's line: the kind is spelled out, so clause 5.1 and Annex A control A.5.1 never look alike."""
    if clause.kind == ClauseKind.CONTROL:
        return f"{clause.standard.designation} — control A.{clause.ref} {clause.title}"
    return f"{clause.standard.designation} — clause {clause.ref} {clause.title}"


class FindingForm(ActionForm):
    id_prefix = "finding"
    grade = forms.ChoiceField(choices=FindingGrade.choices, label="Grade")
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Statement")
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Objective evidence")
    clauses = forms.ModelMultipleChoiceField(
        queryset=Clause.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Clauses and controls",
        help_text="A nonconformity (major or minor) cites at least one.",
    )
    site = _by_public_id(Site.objects.none(), required=False, empty_label="—", label="Site")

    def __init__(self, *args: Any, clauses: Any, sites: Any, search_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "clauses", clauses, label=clause_choice_label)
        set_queryset(self, "site", sites, label=lambda site: site.name)
        if search_url:
            with_search(self, "clauses", search_url)

    def clean_clauses(self) -> list[Clause]:
        return list(self.cleaned_data["clauses"])


class FindingEditForm(FindingForm):
    """The finding as corrected by the audit team (before the audit is completed)."""

    id_prefix = "edit"

    @staticmethod
    def initial_for(finding: Any) -> dict[str, Any]:
        return {
            "grade": finding.grade,
            "statement": finding.statement,
            "evidence": finding.evidence,
            "clauses": [c.public_id for c in finding.clauses.all()],
            "site": finding.site.public_id if finding.site else None,
        }


class FindingWithdrawForm(ActionForm):
    id_prefix = "withdraw"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why is the finding withdrawn?")


class ResponseForm(ActionForm):
    """The client's answer to a nonconformity (17021-1 9.4.9)."""

    id_prefix = "respond"
    correction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Correction")
    root_cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Root cause")
    corrective_action = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Corrective action")
    planned_completion = forms.DateField(widget=DATE, required=False, label="Planned completion")


class ResponseReviewForm(ActionForm):
    id_prefix = "review"
    comment = forms.CharField(required=False, label="Comment", help_text="Required to reject.")


class AttachmentForm(ActionForm):
    id_prefix = "attach"
    file = forms.FileField(label="Attach a file")


YES_NO = [("yes", "Yes"), ("no", "No")]


class VerificationForm(ActionForm):
    id_prefix = "verify"
    method = forms.ChoiceField(choices=VerificationMethod.choices, label="Method")
    effective = forms.TypedChoiceField(choices=YES_NO, coerce=lambda v: v == "yes", label="Effective?")
    notes = forms.CharField(required=False, label="Notes")
