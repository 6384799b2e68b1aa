"""Audit-time determinations (IAF MD 5, MD 11, MD 1, ISO/IEC 27006-1): what the time was determined from, the
figures and the trace that justifies them (17021-1 9.1.2, 9.9: the justification of the audit time is a record)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.audits.choices import DeterminationPurpose
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.determination import DeterminationInput, SiteFacts
from conformo.organizations.models import Site


def site_facts(sites: Iterable[Site]) -> tuple[SiteFacts, ...]:
    """The sites as the client reports them now, in the sites' order (the central function first)."""
    ordered = sorted(sites, key=lambda s: (not s.is_headquarters, s.name, s.pk))
    return tuple(
        SiteFacts(
            key=str(site.public_id),
            name=site.name,
            central=site.is_headquarters,
            permanent=site.permanent_staff,
            temporary=site.temporary_staff,
            contractors=site.contractors,
            part_time=site.part_time_staff,
            part_time_hours=Decimal(site.part_time_hours_per_week),
            repetitive=site.repetitive_function_staff,
        )
        for site in ordered
    )


class AuditTimeDetermination(BaseModel):
    """One determination of a client's audit time, never changed once recorded: a revision of the review, a
    recertification or a re-determination after the client's changes is a new record.

    `inputs` is `DeterminationInput.as_dict()` (the sites' personnel as reported then, the CB's choices with
    their justifications, the CB's policy in force); `result` and `trace` are the rules engine's output for
    them — recomputing from `inputs` gives `result` again. The application review's determination belongs to
    the application; re-determinations belong to the programme."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="audit_time_determinations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="audit_time_determinations"
    )
    application = models.ForeignKey(
        "audits.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="determinations"
    )
    programme = models.ForeignKey(
        "audits.AuditProgramme", null=True, blank=True, on_delete=models.PROTECT, related_name="determinations"
    )
    purpose = models.CharField(max_length=20, choices=DeterminationPurpose.choices)
    inputs = models.JSONField(help_text="DeterminationInput.as_dict(): sites, choices, the CB's policy.")
    result = models.JSONField(help_text="Determination.as_dict(): per site, per audit, warnings.")
    trace = models.JSONField(default=list, help_text="[{step, rule, source, value}]: the justification.")
    initial_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    total_days = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal(0))
    determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Audit time of {self.organization} ({self.get_purpose_display()}, {self.created_at:%Y-%m-%d})"

    def domain_input(self) -> DeterminationInput:
        return DeterminationInput.from_dict(self.inputs)

    def audit_row(self, audit: str) -> dict[str, Any] | None:
        """The stored figures of one audit (`stage1`, ..., `recertification`), or None."""
        return next((row for row in self.result.get("audits", []) if row["audit"] == audit), None)
