"""The improvement log: nonconformities from internal audits, complaints and incidents (and CB findings,
read through the audits app), with their corrective action and effectiveness check (clause 10.2)."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.improvement.choices import Grade, NonconformityStatus, Source
from conformo.organizations.tenancy import OrgScopedQuerySet

USER = settings.AUTH_USER_MODEL


class NonconformityQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    def action_to_plan(self) -> Self:
        """Major and minor nonconformities without a corrective action yet (clause 10.2.1)."""
        return self.filter(status=NonconformityStatus.OPEN, grade__in=[Grade.MAJOR, Grade.MINOR])

    def action_due(self) -> Self:
        """Nonconformities whose corrective action is planned and not completed, by its `due_date`."""
        return self.filter(status=NonconformityStatus.ACTION_PLANNED, corrective_action__completed_on__isnull=True)


class NonconformityChildQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    org_path = "nonconformity__organization_id"


class Nonconformity(BaseModel):
    """A nonconformity (or observation) of an organization, numbered per organization (NC-1, NC-2, ...)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="nonconformities"
    )
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    grade = models.CharField(max_length=12, choices=Grade.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    clauses = models.ManyToManyField("standards.Clause", related_name="+", blank=True)
    site = models.ForeignKey("organizations.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    internal_audit = models.ForeignKey(
        "readiness.InternalAudit", null=True, blank=True, on_delete=models.SET_NULL, related_name="nonconformities"
    )
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_on = models.DateField()
    status = models.CharField(max_length=24, choices=NonconformityStatus.choices, default=NonconformityStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    objects = NonconformityQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-number"]
        verbose_name_plural = "nonconformities"
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="unique_nc_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"NC-{self.number}"


class CorrectiveAction(BaseModel):
    """The response to a nonconformity: correction, root cause, corrective action, owner and due date."""

    nonconformity = models.OneToOneField(Nonconformity, on_delete=models.CASCADE, related_name="corrective_action")
    correction = models.TextField(blank=True, help_text="What was done to fix the immediate problem.")
    root_cause = models.TextField()
    action = models.TextField(help_text="What will stop it from recurring.")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    objects = NonconformityChildQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Corrective action for {self.nonconformity}"


class CorrectiveActionRevision(BaseModel):
    """One recorded plan of a nonconformity's corrective action, append-only: each time the correction, root
    cause or action is recorded or revised a new revision is added (numbered 1, 2, ...), so the first root
    cause and action stay on record after an ineffective check sends the nonconformity back (clause 10.2.2)."""

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.CASCADE, related_name="corrective_action_revisions"
    )
    number = models.PositiveIntegerField()
    correction = models.TextField(blank=True)
    root_cause = models.TextField()
    action = models.TextField()
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = NonconformityChildQuerySet.as_manager()

    class Meta:
        ordering = ["nonconformity", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["nonconformity", "number"], name="unique_corrective_action_revision")
        ]

    def __str__(self) -> str:
        return f"{self.nonconformity.reference} corrective action, revision {self.number}"


class EffectivenessCheck(BaseModel):
    """Whether the corrective action worked (clause 10.2.1 d). An ineffective check reopens the action."""

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.CASCADE, related_name="effectiveness_checks")
    checked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_on = models.DateField()
    effective = models.BooleanField()
    notes = models.TextField(blank=True)

    objects = NonconformityChildQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{'Effective' if self.effective else 'Not effective'} ({self.checked_on})"
