"""The certification body's side (ISO/IEC 17021-1): set-up, applications, programmes, audits, teams,
findings and their follow-up, complaints and appeals.

Every model has a `visible_to(user)` queryset built on `conformo.audits.permissions.tenant_q`; writes go
through `conformo.audits.services`.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.audits.choices import (
    AppealStatus,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    ComplaintStatus,
    ConflictKind,
    FindingGrade,
    FindingStatus,
    QualificationRole,
    ResponseStatus,
    SpecialPurpose,
    VerificationMethod,
)
from conformo.audits.permissions import tenant_q
from conformo.core.models import BaseModel
from conformo.domain.settings import RuleSettings


class VisibleQuerySet(models.QuerySet[Any]):
    """`visible_to(user)` from the paths named on the model's `Visibility` class."""

    def visible_to(self, user: Any) -> Any:
        paths = self.model.VISIBILITY  # type: ignore[attr-defined]
        query = tenant_q(user, **paths)
        if query is None:
            return self.all()
        return self.filter(query).distinct()


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


# --- CB set-up -------------------------------------------------------------------------------------


class CBSettings(BaseModel):
    """A CB's choices for every rule that is not a normative "shall" (defaults: `RuleSettings`)."""

    certification_body = models.OneToOneField(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="audit_settings"
    )
    major_response_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.9: CB-defined.")
    minor_response_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.9: CB-defined.")
    major_verification_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.10.")
    minor_verification_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="[P] Empty: minors are verified at the next audit."
    )
    cooling_off_months = models.PositiveIntegerField(
        default=24, help_text="[P] No consultancy for the client within this many months (17021-1 5.2)."
    )
    stage1_percent = models.PositiveSmallIntegerField(
        default=30, help_text="[P] Share of the initial audit time spent on stage 1."
    )
    stage1_due_days = models.PositiveIntegerField(default=90, help_text="[P] Stage 1 due after acceptance.")
    stage2_due_days = models.PositiveIntegerField(default=90, help_text="[P] Stage 2 due after stage 1.")
    surveillance_1_months = models.PositiveSmallIntegerField(default=12, help_text="[N] ≤ 12 (17021-1 9.1.3.3).")
    surveillance_2_months = models.PositiveSmallIntegerField(default=24, help_text="[P] second surveillance.")
    at_risk_days = models.PositiveIntegerField(default=30, help_text="[P] An unplanned audit is at risk this close.")
    certificate_number_pattern = models.CharField(
        max_length=100, default="{cb}-{year}-{seq:05d}", help_text="Certificate numbering scheme."
    )
    certificate_number_next = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Settings of {self.certification_body}"

    def rule_settings(self) -> RuleSettings:
        return RuleSettings(
            major_response_days=self.major_response_days,
            minor_response_days=self.minor_response_days,
            major_verification_days=self.major_verification_days,
            minor_verification_days=self.minor_verification_days,
            surveillance_1_months=self.surveillance_1_months,
            surveillance_2_months=self.surveillance_2_months,
        )

    @property
    def stage1_fraction(self) -> Fraction:
        return Fraction(self.stage1_percent, 100)


class Accreditation(BaseModel):
    """The CB's accreditation: which standards and IAF sector codes, by which body, for how long."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="accreditations"
    )
    accreditation_body = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    sector_codes = models.JSONField(default=list, help_text="IAF sector codes (1-39).")
    valid_from = models.DateField()
    valid_until = models.DateField()

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "valid_from"]

    def __str__(self) -> str:
        return f"{self.accreditation_body} {self.reference}".strip()


class Auditor(BaseModel):
    """A person on the CB's auditor register."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": "user"}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="auditors"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auditor_profiles")
    active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=_new_calendar_token, editable=False)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "user__email"]
        constraints = [models.UniqueConstraint(fields=["certification_body", "user"], name="unique_auditor")]

    def __str__(self) -> str:
        return str(self.user)


class Qualification(BaseModel):
    """An auditor's competence: one standard, the IAF sector codes, the role, valid dates."""

    auditor = models.ForeignKey(Auditor, on_delete=models.CASCADE, related_name="qualifications")
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")
    sector_codes = models.JSONField(default=list)
    role = models.CharField(max_length=20, choices=QualificationRole.choices, default=QualificationRole.AUDITOR)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["auditor", "standard"]

    def __str__(self) -> str:
        return f"{self.auditor}: {self.standard} {self.get_role_display()}"

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ConflictOfInterest(BaseModel):
    """A declared relationship between an auditor and a client (17021-1 5.2), with dates."""

    auditor = models.ForeignKey(Auditor, on_delete=models.CASCADE, related_name="conflicts")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ConflictKind.choices, default=ConflictKind.CONSULTANCY)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty: still going on.")

    class Meta:
        ordering = ["auditor", "-started_on"]

    def __str__(self) -> str:
        return f"{self.auditor} — {self.get_kind_display()} for {self.organization}"


class Unavailability(BaseModel):
    """A period when an auditor is not available for audits."""

    auditor = models.ForeignKey(Auditor, on_delete=models.CASCADE, related_name="unavailability")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["auditor", "starts_on"]

    def __str__(self) -> str:
        return f"{self.auditor} unavailable {self.starts_on}–{self.ends_on}"


# --- Application and review -------------------------------------------------------------------------


class Application(BaseModel):
    """A client's application for certification (17021-1 9.1.1), made by the client or the CB for it."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification_body_id",
        "org": "organization_id",
        "team_user": "programme__audits__team__auditor__user",
    }
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="applications"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    scope = models.TextField()
    sites = models.ManyToManyField("organizations.Site", related_name="+")
    sector_codes = models.JSONField(default=list)
    complexity = models.CharField(max_length=20, default="medium", help_text="EMS / OH&S complexity category.")
    outsourced_processes = models.TextField(blank=True)
    consultancy_used = models.TextField(blank=True, help_text="Consultant who helped build the system, if any.")
    is_transfer = models.BooleanField(default=False, help_text="Transfer from another CB (IAF MD 2).")
    transfer_details = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(blank=True)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Application of {self.organization} ({self.get_status_display()})"


class ApplicationReview(BaseModel):
    """The CB's review of an application (17021-1 9.1.2): every check with its result and the quotation."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField(default=False)
    checks = models.JSONField(default=list, help_text="[{code, ok, message}] — accreditation, competence, …")
    audit_time = models.JSONField(default=dict, help_text="The rules engine's result, with its trace.")
    sampling = models.JSONField(default=dict)
    quotation = models.JSONField(default=list, help_text="[{audit, days}] for each audit of the cycle.")
    effective_personnel = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.application} ({'ok' if self.ok else 'issues'})"


# --- Programme and audits ----------------------------------------------------------------------------


class AuditProgramme(BaseModel):
    """One 3-year certification cycle (17021-1 9.1.3): stage 1, stage 2, two surveillances, recertification."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification_body_id",
        "org": "organization_id",
        "team_user": "audits__team__auditor__user",
    }
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="programmes"
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="programmes")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="programme"
    )
    certification = models.ForeignKey(
        "certification.Certification", on_delete=models.PROTECT, related_name="programmes"
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    scope = models.TextField()
    sector_codes = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    decision_date = models.DateField(null=True, blank=True, help_text="Start of the cycle (grant or renewal).")
    expires_on = models.DateField(null=True, blank=True)
    combined_stages_justification = models.TextField(
        blank=True, help_text="Recorded when stage 1 and stage 2 are run as one combined audit."
    )
    cycle_dates = models.JSONField(default=dict, blank=True, help_text="The rules engine's cycle dates.")

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Programme {self.cycle} of {self.organization}"


class Audit(BaseModel):
    """One audit of a programme: due window, plan, sites, days, team and the stored eligibility check."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "programme__certification_body_id",
        "org": "programme__organization_id",
        "team_user": "team__auditor__user",
    }
    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="audits")
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    purpose = models.CharField(max_length=20, choices=SpecialPurpose.choices, blank=True, default="")
    status = models.CharField(max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    sequence = models.PositiveSmallIntegerField(default=0)
    due_by = models.DateField(null=True, blank=True, help_text="The latest date this audit may take place.")
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(0))
    onsite_days = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(0))
    remote_days = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(0))
    sites = models.ManyToManyField("organizations.Site", related_name="+", blank=True)
    clause_coverage = models.JSONField(default=dict, blank=True, help_text="Auditor public id → clause refs.")
    plan_notes = models.TextField(blank=True)
    eligibility_ok = models.BooleanField(null=True)
    eligibility = models.JSONField(default=dict, blank=True, help_text="The last team check: ok, reasons, coverage.")
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "sequence", "created_at"]

    def __str__(self) -> str:
        label = self.get_purpose_display() if self.purpose else self.get_kind_display()
        return f"{label} — {self.programme.organization}"

    def timing(self, today: date) -> str:
        """`done`, `overdue` (past its limit), `at_risk` (unplanned close to its limit, or planned past it),
        `on_track`, or `open` (no limit)."""
        if self.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
            return "done"
        if self.due_by is None:
            return "open"
        if today > self.due_by:
            return "overdue"
        if self.planned_end and self.planned_end > self.due_by:
            return "at_risk"
        margin = self.programme.certification_body.audit_settings.at_risk_days
        if self.planned_start is None and (self.due_by - today).days <= margin:
            return "at_risk"
        return "on_track"


class TeamMember(BaseModel):
    """An auditor on an audit team, with a role (the path `auditor__user` gives auditors their reach)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="team")
    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=QualificationRole.choices)
    clauses = models.JSONField(default=list, blank=True, help_text="Clause refs this member covers.")

    class Meta:
        ordering = ["audit", "role"]
        constraints = [models.UniqueConstraint(fields=["audit", "auditor"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.auditor} ({self.get_role_display()}) on {self.audit}"


# --- Findings --------------------------------------------------------------------------------------------


class Finding(BaseModel):
    """A finding of a CB audit, citing clauses of one or several standards, with objective evidence.

    Shared with the organization: its improvement log lists these through
    `conformo.audits.selectors.findings_for_organization`.
    """

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "audit__programme__certification_body_id",
        "org": "audit__programme__organization_id",
        "team_user": "audit__team__auditor__user",
    }
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    reference = models.CharField(max_length=20, blank=True)
    grade = models.CharField(max_length=20, choices=FindingGrade.choices)
    status = models.CharField(max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    statement = models.TextField()
    evidence = models.TextField(blank=True, help_text="Objective evidence.")
    clauses = models.ManyToManyField("standards.Clause", related_name="cb_findings", blank=True)
    site = models.ForeignKey("organizations.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    response_due = models.DateField(null=True, blank=True)
    verification_due = models.DateField(null=True, blank=True)
    hard_stop = models.DateField(null=True, blank=True)
    deadlines = models.JSONField(default=dict, blank=True, help_text="The rules engine's deadlines with trace.")
    verified_on = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "created_at"]

    def __str__(self) -> str:
        return f"{self.reference or 'Finding'} {self.get_grade_display()}"

    @property
    def needs_response(self) -> bool:
        return self.grade in (FindingGrade.MAJOR, FindingGrade.MINOR)

    def response_overdue(self, today: date) -> bool:
        return self.status == FindingStatus.OPEN and self.response_due is not None and today > self.response_due


class FindingAttachment(BaseModel):
    """A file of objective evidence (served only through a permission-checked view)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="findings/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class FindingResponse(BaseModel):
    """The client's answer to a nonconformity (17021-1 9.4.9) and the auditor's review of it (9.4.10)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="responses")
    correction = models.TextField()
    root_cause = models.TextField()
    corrective_action = models.TextField()
    planned_completion = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["finding", "created_at"]

    def __str__(self) -> str:
        return f"Response to {self.finding} ({self.get_status_display()})"


class Verification(BaseModel):
    """The CB's verification that the corrective action was effective (on site or by documents)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="verifications")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=VerificationMethod.choices)
    effective = models.BooleanField()
    notes = models.TextField(blank=True)
    verified_on = models.DateField()

    class Meta:
        ordering = ["finding", "verified_on"]

    def __str__(self) -> str:
        return f"Verification of {self.finding}: {'effective' if self.effective else 'not effective'}"


# --- Complaints and appeals (17021-1 9.7, 9.8) -------------------------------------------------------


class Complaint(BaseModel):
    """A complaint about the CB or a certified client, handled by people not involved in its subject."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="complaints"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    description = models.TextField()
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Complaint: {self.subject}"


class Appeal(BaseModel):
    """A client's appeal against a certification decision, handled by people not involved in it."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="appeals"
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "certification.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    subject = models.CharField(max_length=300)
    grounds = models.TextField()
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=AppealStatus.choices, default=AppealStatus.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Appeal: {self.subject}"
