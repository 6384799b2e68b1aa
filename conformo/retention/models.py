"""A CB's records-retention policy (ISO/IEC 17021-1 9.9) and the log of what retention runs removed.

The policy is one row per record kind the CB has set; a kind without a row keeps the documented default
(`conformo.domain.retention`: six years — the current cycle plus one — after the record closed). Each run that
applied the policy is a `RetentionRun` with one `RetentionLogEntry` per record: its kind and id, what was done,
when and by whom. The log holds no personal data: it names records by kind, id and dates only."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.retention import MIN_RETENTION_YEARS
from conformo.retention.choices import ActionChoice, RecordKindChoice, Via


class RetentionPolicy(BaseModel):
    """How long the CB keeps one kind of record after it closed, and what happens then."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="retention_policies"
    )
    kind = models.CharField(max_length=30, choices=RecordKindChoice.choices)
    years = models.PositiveSmallIntegerField(
        default=MIN_RETENTION_YEARS, help_text="[N] at least 6 (two 3-year cycles) after the record closed (9.9)."
    )
    action = models.CharField(max_length=12, choices=ActionChoice.choices)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "kind"]
        constraints = [models.UniqueConstraint(fields=["certification_body", "kind"], name="unique_retention_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years} years, then {self.action}"


class RetentionRun(BaseModel):
    """One application of the policy: when, by whom, from where, and how many records it handled."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="retention_runs"
    )
    on = models.DateField(help_text="The day the policy was applied for.")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.COMMAND)
    deleted = models.PositiveIntegerField(default=0)
    anonymised = models.PositiveIntegerField(default=0)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "-created_at"]

    def __str__(self) -> str:
        return f"Retention run of {self.on}: {self.deleted} deleted, {self.anonymised} anonymised"


class RetentionLogEntry(models.Model):
    """One record a run handled: kind, id, the day it closed and was kept until, what was done."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=30, choices=RecordKindChoice.choices)
    record_id = models.CharField(max_length=64, help_text="The record's public id (its row id when it has none).")
    closed_on = models.DateField()
    kept_until = models.DateField()
    action = models.CharField(max_length=12, choices=ActionChoice.choices)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "kind", "closed_on", "id"]
        indexes = [models.Index(fields=["kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}: {self.action}"
