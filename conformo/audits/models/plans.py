"""The audit plan (ISO/IEC 17021-1 9.2.3), versioned, and the client's objections to team members.

Each `AuditPlan` row is one version. A draft is edited by the CB; issuing it freezes it (with a snapshot of
the audit's dates, days, sites and team: `facts`) and supersedes the previously issued version; a change after
issue is a new draft version, issued with a note and the list of what changed. The timetable is part of the
version (a JSON list of rows), so each issued version is a self-contained document, even after the team or
the sites change.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models

from conformo.audits.choices import AuditStatus, ObjectionResolution, ObjectionStatus, PlanStatus
from conformo.audits.models.programmes import Audit, certification_ended_q
from conformo.audits.models.setup import Auditor
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class AuditPlanQuerySet[M: models.Model](VisibleQuerySet[M]):
    def awaiting_acceptance(self, today: date) -> Self:
        """Issued versions the client has neither accepted nor objected to (an open objection waits for the CB:
        `PlanObjection.objects.open()`), of audits not started, whose certification has not ended on `today`."""
        return (
            self.filter(status=PlanStatus.ISSUED, accepted_at__isnull=True, audit__status=AuditStatus.PLANNED)
            .exclude(certification_ended_q(today, prefix="audit__programme__certification__"))
            .exclude(objections__status=ObjectionStatus.OPEN)
        )


class AuditPlan(BaseModel):
    """One version of an audit's plan: objectives, scope, criteria, language, use of remote (ICT) auditing,
    the timetable; when issued, a frozen snapshot of dates, days, sites and team (`facts`)."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "audit__programme__certification_body_id",
        "org": "audit__programme__organization_id",
        "team_user": "audit__team__auditor__user",
    }
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    objectives = models.TextField()
    scope = models.TextField()
    criteria = models.TextField(help_text="Standards and clauses audited against, and the client's own documents.")
    language = models.CharField(max_length=50, default="English")
    remote_use = models.TextField(blank=True, help_text="Where and how ICT (remote auditing) is used; empty: none.")
    timetable = models.JSONField(
        default=list,
        blank=True,
        help_text="Rows: day, start, end, auditor, site, remote, activity (processes/clauses).",
    )
    facts = models.JSONField(default=dict, blank=True, help_text="At issue: dates, days, sites, team.")
    change_note = models.TextField(blank=True, help_text="Why this version was issued after the last one.")
    changes = models.JSONField(default=list, blank=True, help_text="What changed since the last issued version.")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditPlanQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "-version"]
        constraints = [models.UniqueConstraint(fields=["audit", "version"], name="unique_plan_version")]

    def __str__(self) -> str:
        return f"Audit plan v{self.version} — {self.audit}"


class PlanObjectionQuerySet(models.QuerySet["PlanObjection"]):
    def open(self) -> Self:
        """Objections the CB has still to resolve, on audits not started."""
        return self.filter(status=ObjectionStatus.OPEN, plan__audit__status=AuditStatus.PLANNED)


class PlanObjection(BaseModel):
    """The client's objection to a team member named in an issued plan (17021-1 9.2.2/9.2.3), resolved by the
    CB: the member replaced, or kept with the reason. An open objection blocks the audit's start."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="objections")
    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution = models.CharField(max_length=20, choices=ObjectionResolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return f"Objection to {self.auditor} ({self.get_status_display().lower()})"
