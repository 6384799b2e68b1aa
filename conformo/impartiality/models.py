"""The CB's impartiality mechanism (ISO/IEC 17021-1 5.2): its register of threats with their assessment, controls
and reviews, the review interval, and the committee that reviews the register in its meetings. Relationships of
personnel and of related bodies with clients are `audits.ConflictOfInterest` (the cooling-off check reads them)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.impartiality import DEFAULT_REVIEW_MONTHS, MAX_REVIEW_MONTHS
from conformo.impartiality.choices import Level, ThreatKind, ThreatSource, ThreatStatus


class ImpartialitySettings(BaseModel):
    """A CB's choices for its register: how often each threat is reviewed (default 12 months [P])."""

    certification_body = models.OneToOneField(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="impartiality_settings"
    )
    review_months = models.PositiveSmallIntegerField(
        default=DEFAULT_REVIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_MONTHS)],
        help_text="[P] Each threat is reviewed at least this often (17021-1 5.2: monitored on an ongoing basis).",
    )

    def __str__(self) -> str:
        return f"Impartiality settings of {self.certification_body}"


class ThreatQuerySet(VisibleQuerySet["Threat"]):
    def review_overdue(self, today: date) -> ThreatQuerySet:
        """Open threats whose review was due before `today`."""
        return self.filter(status=ThreatStatus.OPEN, review_due_on__lt=today)


class Threat(BaseModel):
    """One threat to impartiality on the CB's register: what it is and where it comes from, its assessment
    (likelihood × severity → level), the controls that treat it, the level left after them, its owner and
    when it is next reviewed."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="impartiality_threats"
    )
    kind = models.CharField(max_length=20, choices=ThreatKind.choices)
    source = models.CharField(max_length=20, choices=ThreatSource.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    related_body = models.ForeignKey(
        "audits.RelatedBody", null=True, blank=True, on_delete=models.PROTECT, related_name="threats"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    severity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    level = models.CharField(max_length=10, choices=Level.choices, help_text="From likelihood × severity.")
    controls = models.TextField(blank=True)
    residual_level = models.CharField(max_length=10, choices=Level.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ThreatStatus.choices, default=ThreatStatus.OPEN)
    last_reviewed_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField()

    objects = ThreatQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "review_due_on", "title"]

    def __str__(self) -> str:
        return self.title


class CommitteeMember(BaseModel):
    """A member of the CB's impartiality committee (or mechanism) and the interest they bring."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="committee_members"
    )
    name = models.CharField(max_length=200)
    interest = models.CharField(max_length=200, help_text="The interested party represented (clients, industry …).")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.interest})"


class CommitteeMeeting(BaseModel):
    """A meeting of the committee: when, who attended, the agenda, its decisions and minutes; the threats it
    reviewed are its `reviews`."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="committee_meetings"
    )
    held_on = models.DateField()
    attendees = models.ManyToManyField(CommitteeMember, related_name="meetings")
    agenda = models.TextField()
    minutes = models.TextField(help_text="The decisions and minutes.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "-held_on"]

    def __str__(self) -> str:
        return f"Impartiality committee meeting of {self.held_on}"


class ThreatReview(BaseModel):
    """One review of a threat: who, when, the outcome and the residual level found (at a meeting or not)."""

    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(
        CommitteeMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField()
    residual_level = models.CharField(max_length=10, choices=Level.choices)

    class Meta:
        ordering = ["threat", "-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.threat} on {self.reviewed_on}"
