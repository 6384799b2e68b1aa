"""Forms of the CB pages, one per action. They parse and label input (a bad date, number or choice is a
field error); the rules stay in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits.choices import (
    ComplaintStatus,
    ConflictKind,
    FindingGrade,
    ObjectionResolution,
    QualificationRole,
    Recommendation,
    ReportKind,
    SpecialPurpose,
    VerificationMethod,
)
from conformo.audits.models import Auditor, CBSettings
from conformo.audits.services.setup import SETTINGS_FIELDS
from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_codes
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, ClauseKind, Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
            "report_due_days": "Audit report due after the audit is completed (days)",
            "max_remote_percent": "Most of an audit's days that may be remote (%)",
            "max_remote_percent_isms": "Most of an ISMS audit's days that may be remote (%)",
            "certificate_number_pattern": "Certificate numbering pattern",
        }


def parse_sector_codes(raw: str) -> list[int]:
    """'17, 18' → [17, 18] by ``domain.sectors.parse_iaf_codes``; anything else is a form error."""
    try:
        return parse_iaf_codes(raw)
    except InvalidInput as exc:
        raise forms.ValidationError(f"{exc.message}.") from exc


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
        self.fields["standards"].queryset = Standard.objects.filter(  # type: ignore[attr-defined]
            is_harmonized_structure=False
        )

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
        self.fields["organization"].queryset = clients  # type: ignore[attr-defined]


class UnavailabilityForm(forms.Form):
    starts_on = forms.DateField(widget=DATE, label="First day unavailable")
    ends_on = forms.DateField(widget=DATE, label="Last day unavailable")
    note = forms.CharField(max_length=200, required=False, label="Note", help_text="e.g. leave, training.")


# --- the certification path's actions -------------------------------------------------------------------


class ActionForm(forms.Form):
    """A page action's form. Its ids start with `id_prefix`, so that several forms share a page without
    clashing ids; the field names stay plain (those of the API's schemas)."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _by_public_id(queryset: Any, **kwargs: Any) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(queryset=queryset, to_field_name="public_id", **kwargs)


COMPLEXITY = [("high", "high"), ("medium", "medium"), ("low", "low"), ("limited", "limited")]


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

    def __init__(self, *args: Any, organizations: Any, cbs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(organization__in=organizations).select_related("organization")
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["certification_body"].queryset = cbs  # type: ignore[attr-defined]
        self.fields["standards"].queryset = Standard.objects.filter(  # type: ignore[attr-defined]
            is_harmonized_structure=False
        )
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]
        self.fields["sites"].initial = [s.public_id for s in sites]

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
    """One role choice per active auditor of the CB, preselected with today's team."""

    id_prefix = "team"

    def __init__(self, *args: Any, auditors: Any, current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auditors = {f"role-{a.public_id}": a for a in auditors}
        for name, auditor in self.auditors.items():
            self.fields[name] = forms.ChoiceField(
                choices=[NOT_ON_TEAM, *QualificationRole.choices],
                required=False,
                label=str(auditor),
                initial=current.get(auditor.pk, ""),
            )

    def members(self) -> list[Any]:
        from conformo.audits.services import Member

        return [Member(a, self.cleaned_data[name]) for name, a in self.auditors.items() if self.cleaned_data[name]]


class CompleteForm(ActionForm):
    id_prefix = "complete"
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

    def __init__(self, *args: Any, clauses: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = clauses  # type: ignore[attr-defined]
        self.fields["clauses"].label_from_instance = clause_choice_label  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["site"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]

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


# --- the registers' actions -----------------------------------------------------------------------------


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


class QualificationForm(ActionForm):
    id_prefix = "qualify"
    auditor = _by_public_id(Auditor.objects.none(), label="Auditor")
    standard = forms.ModelChoiceField(queryset=Standard.objects.none(), to_field_name="code", label="Standard")
    sector_codes = forms.CharField(
        required=False, label="IAF sector codes", widget=forms.TextInput(attrs={"placeholder": "17, 18"})
    )
    role = forms.ChoiceField(choices=QualificationRole.choices, initial=QualificationRole.AUDITOR, label="Role")
    valid_from = forms.DateField(widget=DATE, label="Valid from")
    valid_until = forms.DateField(widget=DATE, required=False, label="Valid until")

    def __init__(self, *args: Any, auditors: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors  # type: ignore[attr-defined]
        self.fields["standard"].queryset = Standard.objects.filter(  # type: ignore[attr-defined]
            is_harmonized_structure=False
        )

    def clean_sector_codes(self) -> list[int]:
        return parse_sector_codes(self.cleaned_data["sector_codes"] or "")


class ComplaintForm(ActionForm):
    id_prefix = "complaint"
    complainant = forms.CharField(max_length=200, required=False, label="Complainant", help_text="Empty: you.")
    organization = _by_public_id(
        Organization.objects.none(), required=False, empty_label="The CB itself", label="About"
    )
    subject = forms.CharField(max_length=200, label="Subject")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Description")

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


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


# --- the audit plan (17021-1 9.2.3) ---------------------------------------------------------------------

TEXT = forms.Textarea(attrs={"rows": 2})


def parse_timetable(raw: str) -> list[dict[str, Any]]:
    """One row per line: `2026-02-02 09:00-10:30 | auditor | site | processes or clauses`; a site starting
    with "remote" is remote. The service checks dates and times; here a line without its four parts is an
    error naming the line."""
    rows = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        when = parts[0].split()
        if len(parts) != 4 or len(when) != 2 or when[1].count("-") != 1:
            raise forms.ValidationError(
                f"Line {number}: write `YYYY-MM-DD HH:MM-HH:MM | auditor | site | processes or clauses`."
            )
        start, end = when[1].split("-")
        rows.append(
            {
                "day": when[0],
                "start": start,
                "end": end,
                "auditor": parts[1],
                "site": parts[2],
                "remote": parts[2].lower().startswith("remote"),
                "activity": parts[3],
            }
        )
    return rows


class PlanEditForm(ActionForm):
    id_prefix = "plandoc"
    objectives = forms.CharField(widget=TEXT, label="Objectives")
    scope = forms.CharField(widget=TEXT, label="Scope")
    criteria = forms.CharField(
        widget=TEXT, label="Criteria", help_text="Standards and clauses, the client's documents."
    )
    language = forms.CharField(max_length=50, label="Language")
    remote_use = forms.CharField(
        widget=TEXT, required=False, label="Remote (ICT) auditing", help_text="Where and how; empty: none."
    )
    timetable = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Timetable",
        help_text="One row per line: YYYY-MM-DD HH:MM-HH:MM | auditor | site (or remote) | processes or clauses.",
    )

    def clean_timetable(self) -> list[dict[str, Any]]:
        return parse_timetable(self.cleaned_data["timetable"])

    @classmethod
    def initial_for(cls, plan: Any) -> dict[str, Any]:
        if plan is None:
            return {}
        rows = "\n".join(
            f"{r['day']} {r['start']}-{r['end']} | {r['auditor']} | {r['site']} | {r['activity']}"
            for r in plan.timetable
        )
        return {name: getattr(plan, name) for name in cls.base_fields if name != "timetable"} | {"timetable": rows}


class PlanIssueForm(ActionForm):
    id_prefix = "planissue"
    change_note = forms.CharField(
        widget=TEXT, required=False, label="What changed and why", help_text="Required for a version after the first."
    )


class PlanObjectForm(ActionForm):
    """The client's objection to a member of the issued plan's team."""

    id_prefix = "planobject"
    auditor = forms.ChoiceField(label="Team member")
    reason = forms.CharField(widget=TEXT, label="Reason")

    def __init__(self, *args: Any, team: list[dict[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["auditor"].choices = [(m["auditor_id"], f"{m['name']} ({m['role']})") for m in team]  # type: ignore[attr-defined]


class ObjectionResolveForm(ActionForm):
    id_prefix = "resolve"
    resolution = forms.ChoiceField(choices=ObjectionResolution.choices, label="Resolution")
    note = forms.CharField(widget=TEXT, required=False, label="Note", help_text="Required when the member is kept.")


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
