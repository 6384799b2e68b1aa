"""The audit report (ISO/IEC 17021-1 9.4.8) and the stage 1 report (9.3.1.2), one model with a `kind`.

Each `AuditReport` row is one revision. The lead auditor drafts it (team members write their own sections),
then issues it: issuing freezes what the report states of the audit itself (`facts`: the CB, the client, the
dates, sites, team and findings with their clauses and evidence) and the report is immutable from then on.
A correction is a new revision with its reason, issued in turn; the earlier one is kept, superseded.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.audits.choices import Recommendation, ReportKind, ReportStatus
from conformo.audits.models.programmes import Audit
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class AuditReport(BaseModel):
    """One revision of an audit's report."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "audit__programme__certification_body_id",
        "org": "audit__programme__organization_id",
        "team_user": "audit__team__auditor__user",
    }
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    revision = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    representative = models.CharField(max_length=200, blank=True, help_text="The client's representative.")
    objectives = models.TextField()
    criteria = models.TextField()
    scope = models.TextField(help_text="Scope audited: sites, functions, processes.")
    places = models.TextField(blank=True, help_text="Where the audit took place (on site, remote) and when.")
    deviations = models.TextField(blank=True, help_text="Deviations from the audit plan and why.")
    significant_issues = models.TextField(blank=True)
    conclusions = models.TextField(
        blank=True, help_text="Conformity and effectiveness of the management system; objectives met."
    )
    scope_appropriate = models.BooleanField(null=True, blank=True)
    objectives_met = models.BooleanField(null=True, blank=True)
    surveillance_review = models.TextField(
        blank=True, help_text="Surveillance and recertification: complaints, changes, use of marks reviewed."
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    conditions = models.TextField(blank=True, help_text="Conditions of the recommendation.")
    soa_version = models.CharField(
        max_length=100, blank=True, help_text="ISMS: the Statement of Applicability version reviewed."
    )
    stage2_ready = models.BooleanField(null=True, blank=True, help_text="Stage 1: ready for stage 2.")
    stage2_focus = models.TextField(blank=True, help_text="Stage 1: what stage 2 must cover.")
    sections = models.JSONField(default=list, blank=True, help_text="Team members' sections: auditor_id, name, text.")
    facts = models.JSONField(default=dict, blank=True, help_text="At issue: CB, client, dates, sites, team, findings.")
    revision_reason = models.TextField(blank=True, help_text="Why this revision corrects the issued one.")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "-revision"]
        constraints = [models.UniqueConstraint(fields=["audit", "revision"], name="unique_report_revision")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} rev. {self.revision} — {self.audit}"
