"""The 3-year audit programme (17021-1 9.1.3), its audits and their teams."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models

from conformo.audits.choices import (
    AuditKind,
    AuditStatus,
    QualificationRole,
    SpecialPurpose,
)
from conformo.audits.models.applications import Application
from conformo.audits.models.setup import Auditor
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.certificate_states import CertificateState, certification_ended


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
    determination = models.ForeignKey(
        "audits.AuditTimeDetermination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The audit-time determination the programme's days follow now (the review's, or a later one).",
    )

    objects = VisibleQuerySet.as_manager()

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

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "sequence", "created_at"]

    def __str__(self) -> str:
        label = self.get_purpose_display() if self.purpose else self.get_kind_display()
        return f"{label} — {self.programme.organization}"

    def timing(self, today: date) -> str:
        """`done`, `ended` (open, but its certification is withdrawn, refused or expired: nothing is due any
        more), `overdue` (past its limit), `at_risk` (unplanned close to its limit, or planned past it),
        `on_track`, or `open` (no limit)."""
        if self.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
            return "done"
        certification = self.programme.certification
        if certification_ended(CertificateState(certification.state), certification.expires_on, today):
            return "ended"
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
