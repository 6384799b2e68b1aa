"""Readiness work of an organization: gap assessments over several standards, the Statement of
Applicability, documented information, internal audits, management reviews and the risk register.

Every read goes through `<Model>.objects.visible_to(user)` (see `conformo.organizations.tenancy`).
Every write goes through `conformo.readiness.services`.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import Self

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.organizations.tenancy import OrgScopedQuerySet
from conformo.readiness.choices import (
    DocumentKind,
    InternalAuditStatus,
    ItemStatus,
    ReviewStatus,
    RevisionStatus,
    RiskKind,
    TransitionState,
    Treatment,
    TreatmentStatus,
)

USER = settings.AUTH_USER_MODEL


class AssessmentChildQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    org_path = "assessment__organization_id"


class DocumentChildQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    org_path = "document__organization_id"


class ReviewChildQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    org_path = "review__organization_id"


class DocumentQuerySet[M: models.Model](OrgScopedQuerySet[M]):
    def review_due_by(self, day: date) -> Self:
        """Documents whose review is due on or before `day` (past due included): the document's owner reviews
        it and a client administrator records the new revision (My work, the daily reminders)."""
        return self.filter(review_due__lte=day)


class ReviewActionQuerySet[M: models.Model](ReviewChildQuerySet[M]):
    def open(self) -> Self:
        """Management-review actions not done yet."""
        return self.filter(done=False)


# --- Gap assessment ---------------------------------------------------------------------------------


class Assessment(BaseModel):
    """An integrated gap assessment of one organization over one or more standards.

    A re-run (next year) points at the `previous` assessment; its answers start from the previous ones,
    marked for review, and the previous assessment stays as history to compare with. A transition assessment
    (`replaced_edition` set) moves `previous` from an old edition of a standard to its successor, across the
    succession map; `dropped` lists the old clauses that have no successor.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="assessments")
    title = models.CharField(max_length=200)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns")
    replaced_edition = models.ForeignKey(
        "standards.Standard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a transition assessment: the old edition the previous assessment covered.",
    )
    dropped = models.JSONField(
        default=list, blank=True, help_text="Transition: old clauses without a successor (ref, title, status)."
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    """The answer to one requirement. Clauses that share a Harmonized Structure clause (`hs_ref`) share one
    answer across the standards of the assessment; a clause without HS mapping, or answered differently
    for one standard (an override), has its own answer (`clause` set, `hs_ref` empty)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    hs_ref = models.CharField(max_length=20, blank=True)
    clause = models.ForeignKey("standards.Clause", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    justification = models.TextField(blank=True, help_text="Why it is (not) applicable; required when not applicable.")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    needs_review = models.BooleanField(default=False, help_text="Carried over from the previous assessment.")
    transition_state = models.CharField(
        max_length=12, choices=TransitionState.choices, default=TransitionState.NONE, blank=True
    )
    carried_from = models.JSONField(
        default=list, blank=True, help_text="Transition: the old answers that fed this one (ref, status)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentChildQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "hs_ref"], condition=~models.Q(hs_ref=""), name="one_shared_answer_per_hs_ref"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hs_ref or self.clause_id}: {self.status}"

    @property
    def is_shared(self) -> bool:
        return bool(self.hs_ref)


class Item(models.Model):
    """One clause or annex control of one selected standard in an assessment, pointing at its answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    clause = models.ForeignKey("standards.Clause", on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="items")

    objects = AssessmentChildQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "clause"], name="one_item_per_clause")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.clause_id}"

    @property
    def is_override(self) -> bool:
        return bool(self.clause.hs_ref) and not self.answer.hs_ref


class Evidence(BaseModel):
    """A link from an answer to what shows it: a URL or a document of the register."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    document = models.ForeignKey(
        "readiness.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.label


class SoAVersion(BaseModel):
    """A published, immutable Statement of Applicability (ISO/IEC 27001 6.1.3 d). A certificate refers to one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="soa_versions")
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    rows = models.JSONField(
        help_text="The controls as published: ref, title, theme, applicable, justification, status, ..."
    )
    note = models.CharField(max_length=300, blank=True)
    published_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = AssessmentChildQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "standard", "number"], name="unique_soa_version")]

    def __str__(self) -> str:
        return f"SoA v{self.number} ({self.assessment})"


# --- Documented information -------------------------------------------------------------------------


class Document(BaseModel):
    """A document (maintained) or record (retained) of the organization's documented information."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=DocumentKind.choices, default=DocumentKind.DOCUMENT)
    mandatory = models.ForeignKey(
        "standards.MandatoryDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The mandatory documented information this entry fulfils.",
    )
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approver = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_due = models.DateField(null=True, blank=True)
    current_revision = models.ForeignKey(
        "readiness.DocumentRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "readiness.DocumentRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: date) -> bool:
        return self.review_due is not None and self.review_due <= today


def revision_upload_to(instance: DocumentRevision, filename: str) -> str:
    """Stored under MEDIA_ROOT (outside the web root) by organization, with a random name."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{instance.document.organization_id}/{uuid.uuid4().hex}{suffix}"


class DocumentRevision(BaseModel):
    """One revision of a document: draft → in review → approved → obsolete. The file's SHA-256 is recorded."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    change_note = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=revision_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentChildQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.document} rev. {self.number}"


# --- Internal audit programme -----------------------------------------------------------------------


class InternalAudit(BaseModel):
    """One internal audit of the programme (clause 9.2), with the clauses it covers (its checklist)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="internal_audits"
    )
    title = models.CharField(max_length=200)
    planned_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=InternalAuditStatus.choices, default=InternalAuditStatus.PLANNED)
    auditor = models.CharField(max_length=200, blank=True, help_text="Who audits (independent of the audited area).")
    clauses = models.ManyToManyField("standards.Clause", related_name="+", blank=True)
    summary = models.TextField(blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.planned_on:%Y-%m-%d})"


# --- Management review ------------------------------------------------------------------------------


class ManagementReview(BaseModel):
    """A management review meeting (clause 9.3): the inputs each selected standard requires, decisions."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="management_reviews"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    attendees = models.TextField(blank=True)
    inputs = models.JSONField(default=dict, blank=True, help_text="Input key → what was reviewed.")
    decisions = models.TextField(blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewAction(BaseModel):
    """An action decided at a management review, with its owner and due date."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    objects = ReviewActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description


# --- Risks and opportunities ------------------------------------------------------------------------


class RiskMatrixConfig(BaseModel):
    """An organization's likelihood × impact matrix (see `conformo.domain.readiness.RiskMatrix`)."""

    organization = models.OneToOneField("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    likelihood_levels = models.PositiveSmallIntegerField(default=5)
    impact_levels = models.PositiveSmallIntegerField(default=5)
    low_max = models.PositiveSmallIntegerField(default=6)
    medium_max = models.PositiveSmallIntegerField(default=14)

    objects = OrgScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.likelihood_levels}×{self.impact_levels} matrix"


class Risk(BaseModel):
    """An entry of the register of risks and opportunities (clause 6.1), environmental aspects (14001
    6.1.2) and OH&S hazards (45001 6.1.2), linked to the clauses or controls that treat it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=24, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, help_text="Computed from the matrix when saved by the service.")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    treatment = models.CharField(max_length=10, choices=Treatment.choices, default=Treatment.REDUCE)
    treatment_plan = models.TextField(blank=True)
    treatment_status = models.CharField(
        max_length=12, choices=TreatmentStatus.choices, default=TreatmentStatus.NOT_STARTED
    )
    clauses = models.ManyToManyField("standards.Clause", related_name="+", blank=True)
    #: The rating left after treatment (27001 6.1.3 f, 6.1.2 d): set by `risk_rate_residual`.
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_level = models.CharField(max_length=10, blank=True)
    #: The risk owner's acceptance of the residual rating (27001 6.1.3 f); cleared when a rating changes.
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-likelihood", "-impact", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_rating(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact
