"""Applications for certification and their review (17021-1 9.1.1, 9.1.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models

from conformo.audits.choices import (
    ApplicationStatus,
)
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class ApplicationQuerySet[M: models.Model](VisibleQuerySet[M]):
    def to_review(self) -> Self:
        """Submitted applications the CB has still to review (17021-1 9.1.2)."""
        return self.filter(status=ApplicationStatus.SUBMITTED)

    def to_accept(self) -> Self:
        """Reviewed applications the CB has still to accept or decline."""
        return self.filter(status=ApplicationStatus.REVIEWED)


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
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(
        blank=True,
        help_text="The client's contact: invited as its first client administrator when the application is accepted "
        "and the organization has none.",
    )
    decision_reason = models.TextField(blank=True)
    agreement_stage1_reason = models.TextField(
        blank=True,
        help_text="Why the certification agreement is signed at stage 1 rather than before it (recorded by the CB "
        "when its settings allow it: `CBSettings.allow_agreement_at_stage1`).",
    )
    agreement_stage1_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreement_stage1_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

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
    determination = models.ForeignKey(
        "audits.AuditTimeDetermination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The audit-time determination the quotation comes from (none on reviews made before it existed).",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.application} ({'ok' if self.ok else 'issues'})"
