"""Findings of CB audits and their follow-up (17021-1 9.4.9, 9.4.10)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models

from conformo.audits.choices import (
    CLOSED_FINDING,
    NONCONFORMITY_GRADES,
    FindingGrade,
    FindingStatus,
    ResponseStatus,
    VerificationMethod,
)
from conformo.audits.models.programmes import Audit, certification_ended_q
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class FindingQuerySet[M: models.Model](VisibleQuerySet[M]):
    """Where each finding's follow-up waits (17021-1 9.4.9, 9.4.10), each predicate written once for My work
    and the daily reminders. A finding of a certification that has ended on `today` waits for nothing."""

    def live(self, today: date) -> Self:
        return self.exclude(certification_ended_q(today, prefix="audit__programme__certification__"))

    def awaiting_response(self, today: date) -> Self:
        """Nonconformities the client has still to answer (correction, root cause, corrective action), by
        `response_due`; a rejected response or an ineffective verification puts a finding back here."""
        return self.live(today).filter(status=FindingStatus.OPEN, grade__in=list(NONCONFORMITY_GRADES))

    def response_to_review(self, today: date) -> Self:
        """Findings whose response the audit team has still to accept or reject."""
        return self.live(today).filter(status=FindingStatus.RESPONDED)

    def to_verify(self, today: date) -> Self:
        """Findings whose accepted corrective action the audit team has still to verify, by `verification_due`
        (a minor without one is verified at the next audit)."""
        return self.live(today).filter(status=FindingStatus.RESPONSE_ACCEPTED)


class Finding(BaseModel):
    """A finding of a CB audit, citing clauses of one or several standards, with objective evidence.

    Shared with the organization: its improvement log lists these through
    `conformo.audits.selectors.findings_for_organization`.
    """

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification_body_id",
        "org": "audit__programme__organization_id",
        "team_user": "audit__team__auditor__user",
    }
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    #: The CB of the audit's programme, stored with the finding (`save`): a CB's findings are counted and paged from
    #: an index of their own instead of through their audits and programmes (docs/performance.md, "A finding
    #: stores its CB"). An audit never moves to another programme, nor a programme to another CB.
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="+", editable=False
    )
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
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, help_text="Why the audit team withdrew the finding.")

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "created_at"]
        indexes = [
            # The findings list's page and counts read from the index alone (core.pagination.read_page): the join to
            # the audit, the default order and the overdue badge's status.
            models.Index(fields=["audit", "response_due", "raised_on", "id", "status"], name="finding_list_cover"),
            # The findings list shown whole, in its order (core.pagination.read_page `whole`): the next response due
            # first — PostgreSQL's ascending order puts the findings without a due date last, as the list does.
            models.Index(fields=["response_due", "-raised_on", "id"], name="finding_list_order"),
            # The open findings (the workspace's section, `open=true`): the list cover of those alone, a third of the
            # findings at N = 600.
            models.Index(
                fields=["audit", "response_due", "raised_on", "id", "status"],
                condition=~models.Q(status__in=CLOSED_FINDING),
                name="finding_open_cover",
            ),
            # A CB's findings (its staff's lists): the same covers led by the CB, counted without joining their audits
            # and programmes; with the audit, for a search that reads its client.
            models.Index(
                fields=["certification_body", "response_due", "raised_on", "id", "status", "audit"],
                name="finding_cb_cover",
            ),
            models.Index(
                fields=["certification_body", "response_due", "raised_on", "id", "status", "audit"],
                condition=~models.Q(status__in=CLOSED_FINDING),
                name="finding_cb_open_cover",
            ),
            # The suspension proposals' open majors by verification date (certification.selectors._overdue_majors):
            # a few hundred of the CB's findings instead of a scan of them all.
            models.Index(
                fields=["verification_due", "audit"],
                condition=models.Q(grade=FindingGrade.MAJOR)
                & ~models.Q(status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN]),
                name="finding_open_major_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or 'Finding'} {self.get_grade_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.certification_body_id is None:
            self.certification_body_id = self.audit.programme.certification_body_id
        super().save(*args, **kwargs)

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
