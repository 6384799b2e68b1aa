"""A CB's competence management (ISO/IEC 17021-1:2015 7.1, 7.2; Annex A): the criteria per function, standard
and technical area; each person's education, training, work and external audit experience (their audits in
Conformo are read from the audit teams, `selectors.audit_log_of`); evaluations with their evidence, which grant
qualifications (`audits.Qualification`); and the monitoring of auditors, witnessed on site or on reports and
feedback. Rules: `conformo.domain.competence`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.competence.choices import EntryKind, Function, Method, MonitoringKind, Outcome, Result
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet

PERSON_VISIBILITY: dict[str, Any] = {"cb": "certification_body_id", "org": None, "team_user": "person"}
"""The CB's office (administrators, programme managers, decision makers) reads every record; an auditor or
technical expert only their own; clients none."""


class CompetenceCriterion(BaseModel):
    """What the CB requires for a function, for one standard (empty: any) and IAF sector code (empty: any)."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="competence_criteria"
    )
    function = models.CharField(max_length=20, choices=Function.choices)
    standard = models.ForeignKey(
        "standards.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="IAF sector code; empty: any.")
    education = models.TextField(blank=True)
    training = models.TextField(blank=True)
    work_experience = models.TextField(blank=True)
    audit_experience = models.TextField(blank=True)
    min_audits = models.PositiveSmallIntegerField(default=0, help_text="Audits within the period.")
    min_audit_days = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(0))
    period_years = models.PositiveSmallIntegerField(default=3, help_text="The audits counted are this recent.")
    notes = models.TextField(blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "function", "standard", "sector_code"]

    def __str__(self) -> str:
        parts = [self.get_function_display(), str(self.standard or "any standard")]
        if self.sector_code:
            parts.append(f"IAF {self.sector_code}")
        return " — ".join(parts)


class ExperienceEntry(BaseModel):
    """One line of a person's record: education, training, work, or audit experience outside Conformo."""

    VISIBILITY: ClassVar[dict[str, Any]] = PERSON_VISIBILITY
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competence_entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True, help_text="School, course provider, employer, client.")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True, help_text="Audit days.")
    standard = models.ForeignKey(
        "standards.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector_code = models.PositiveSmallIntegerField(null=True, blank=True)
    role = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "-started_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} — {self.title}"


class Evaluation(BaseModel):
    """An evaluation of a person against the criteria (17021-1 7.1.3, Annex B), by someone else; a positive one
    grants the qualifications recorded with it (`qualifications`)."""

    VISIBILITY: ClassVar[dict[str, Any]] = PERSON_VISIBILITY
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField()
    function = models.CharField(max_length=20, choices=Function.choices, default=Function.AUDITING)
    method = models.CharField(max_length=20, choices=Method.choices)
    result = models.CharField(max_length=10, choices=Result.choices)
    criteria = models.ManyToManyField(CompetenceCriterion, blank=True, related_name="evaluations")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-evaluated_on", "-created_at"]

    def __str__(self) -> str:
        return f"Evaluation of {self.person} on {self.evaluated_on} ({self.get_result_display().lower()})"


class EvaluationEvidence(BaseModel):
    """A file of evidence of an evaluation (served only through a permission-checked view)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="competence/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class MonitoringRecord(BaseModel):
    """One monitoring of an auditor (17021-1 7.2): witnessed on site (on a real audit), a review of their reports,
    feedback from a client or a technical reviewer."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": "auditor__user"}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="+"
    )
    auditor = models.ForeignKey("audits.Auditor", on_delete=models.PROTECT, related_name="monitoring")
    kind = models.CharField(max_length=20, choices=MonitoringKind.choices)
    audit = models.ForeignKey(
        "audits.Audit", null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring"
    )
    monitored_on = models.DateField()
    monitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["auditor", "-monitored_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.auditor} on {self.monitored_on}"
