"""The 3-year audit programme (17021-1 9.1.3), its audits and their teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from conformo.audits.choices import (
    AuditKind,
    AuditStatus,
    PlanStatus,
    QualificationRole,
    ReportStatus,
    SpecialPurpose,
)
from conformo.audits.models.applications import Application
from conformo.audits.models.setup import Auditor
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.certificate_states import ENDED_STATES, CertificateState, certification_ended


def certification_ended_q(today: date, prefix: str = "programme__certification__") -> Q:
    """The rows whose certification is over on `today` (`conformo.domain.certificate_states.certification_ended`
    as a query): withdrawn or refused, or active/suspended past its expiry date, which reads as expired."""
    return Q(**{f"{prefix}state__in": [s.value for s in ENDED_STATES]}) | Q(
        **{
            f"{prefix}state__in": [CertificateState.ACTIVE.value, CertificateState.SUSPENDED.value],
            f"{prefix}expires_on__lt": today,
        }
    )


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
        indexes = [
            # A CB's programmes as the audits' and findings' counts join them (core.pagination): the CB, the key, the
            # certification whose state the badges test and the client a search names, read from the index alone.
            models.Index(
                fields=["certification_body", "id", "certification", "organization"], name="programme_cb_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"Programme {self.cycle} of {self.organization}"


class AuditQuerySet[M: models.Model](VisibleQuerySet[M]):
    """What waits to be done about audits, each predicate written once: My work (`conformo.inbox`) lists them
    per person and the daily reminders (`conformo.inbox.reminders`) notify them. None of them lists an audit
    whose certification has ended on `today` (withdrawn, refused, expired): nothing is due any more."""

    def live(self, today: date) -> Self:
        """Audits of a certification that has not ended on `today`."""
        return self.exclude(certification_ended_q(today))

    def _with_lead(self) -> Any:
        return self.model._default_manager.filter(team__role=QualificationRole.LEAD_AUDITOR).values("pk")

    def _has_lead(self) -> Exists:
        """Whether the audit has a lead auditor, per audit (`EXISTS` on the team's audit index: `NOT IN` over every
        audit with a lead read all the team members for each count of My work)."""
        team: Any = self.model._meta.get_field("team").related_model  # TeamMember, defined after this module
        return Exists(team._default_manager.filter(audit=OuterRef("pk"), role=QualificationRole.LEAD_AUDITOR))

    def to_plan(self, today: date, horizon: date) -> Self:
        """Audits still to plan: not started, of an active programme, without dates or without a lead auditor,
        and due by `horizon` (their planning window is open: `conformo.domain.cycle.planning_horizon`) or
        without a due date."""
        return (
            self.live(today)
            .filter(status=AuditStatus.PLANNED, programme__active=True)
            .filter(Q(due_by__isnull=True) | Q(due_by__lte=horizon))
            .filter(Q(planned_start__isnull=True) | ~self._has_lead())
        )

    def window_at_risk(self, today: date) -> Self:
        """Audits planned (dates and lead auditor) but outside their window: planned to end after their due
        date, or not started although the due date has passed."""
        return (
            self.live(today)
            .filter(status=AuditStatus.PLANNED, programme__active=True, planned_start__isnull=False)
            .filter(pk__in=self._with_lead())
            .filter(Q(planned_end__gt=F("due_by")) | Q(due_by__lt=today))
        )

    def starting_by(self, today: date, day: date) -> Self:
        """Planned audits, not started yet, that start on or before `day` (an earlier start is overdue)."""
        return self.live(today).filter(status=AuditStatus.PLANNED, planned_start__lte=day)

    def plan_to_prepare(self, today: date) -> Self:
        """Audits not started whose audit plan is to be drafted and issued (none issued yet) or whose new
        version is drafted and not issued (17021-1 9.2.3)."""
        plans = self.model._default_manager
        issued = plans.filter(plans__status=PlanStatus.ISSUED).values("pk")
        drafted = plans.filter(plans__status=PlanStatus.DRAFT).values("pk")
        return (
            self.live(today)
            .filter(status=AuditStatus.PLANNED, programme__active=True)
            .filter(~Q(pk__in=issued) | Q(pk__in=drafted))
        )

    def report_due(self, today: date) -> Self:
        """Completed audits whose report is not issued yet (17021-1 9.4.8); it is due `report_due_days` after
        completion (`conformo.audits.services.reports.report_due_days_by_cb`)."""
        issued = self.model._default_manager.filter(
            reports__status__in=[ReportStatus.ISSUED, ReportStatus.SUPERSEDED]
        ).values("pk")
        return self.live(today).filter(status=AuditStatus.COMPLETED).exclude(pk__in=issued)


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
    transition = models.ForeignKey(
        "standards.Transition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The edition transition this audit covers: a transition audit, or a surveillance or "
        "recertification combined with it.",
    )
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "sequence", "created_at"]
        indexes = [
            # The audits list's page and counts, and the findings' join to their audit, read from the index alone
            # (core.pagination.read_page): the programme's key, the default order and what the overdue and at-risk
            # badges test.
            models.Index(
                fields=["programme", "id", "due_by", "sequence", "status", "planned_start", "planned_end"],
                name="audit_list_cover",
            ),
            # The audits list shown whole, in its order (core.pagination.read_page `whole`): its first page is the
            # index's first rows.
            models.Index(fields=["due_by", "sequence", "id"], name="audit_list_order"),
            # The suspension proposals' surveillance and recertification audits not held, by due date
            # (certification.selectors._overdue_audits): the audits still ahead instead of a scan of them all.
            models.Index(
                fields=["due_by", "programme"],
                condition=models.Q(
                    kind__in=[AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION]
                )
                & ~models.Q(status__in=[AuditStatus.COMPLETED, AuditStatus.CANCELLED]),
                name="audit_open_follow_up_due",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_purpose_display() if self.purpose else self.get_kind_display()
        return f"{label} — {self.programme.organization}"

    @property
    def status_label(self) -> str:
        """The status in words for pages: a planned audit without dates yet reads "To be planned", not
        "Planned"."""
        if self.status == AuditStatus.PLANNED and self.planned_start is None:
            return "To be planned"
        return str(self.get_status_display())

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


@dataclass(frozen=True, slots=True)
class ListedMember:
    """A team member as the audits page and the API's `MemberOut` write it, read as values with a page of audits or
    programmes (`audits.selectors.team_members`) rather than as three model instances (the member, the auditor and
    the user); written as the auditor's name."""

    auditor_public_id: UUID
    name: str
    role: str
    clauses: list[str]

    def __str__(self) -> str:
        return self.name
