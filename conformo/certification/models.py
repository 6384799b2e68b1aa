"""Certification decisions and the certification's lifecycle state.

`Certification` keeps the state the domain state machine moves (`conformo.domain.certificate_states`);
the certificate document itself (number, PDF, registry) builds on it later. `Decision` records every
certification decision with reason, date and decider (17021-1 9.5, 9.6).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.certificate_states import CertificateState, effective_state
from conformo.domain.certificate_states import Decision as DecisionKind


class CertificationState(models.TextChoices):
    PENDING = CertificateState.PENDING.value, "Pending decision"
    ACTIVE = CertificateState.ACTIVE.value, "Active"
    SUSPENDED = CertificateState.SUSPENDED.value, "Suspended"
    WITHDRAWN = CertificateState.WITHDRAWN.value, "Withdrawn"
    EXPIRED = CertificateState.EXPIRED.value, "Expired"
    REFUSED = CertificateState.REFUSED.value, "Refused"


class DecisionChoice(models.TextChoices):
    GRANT = DecisionKind.GRANT.value, "Grant"
    REFUSE = DecisionKind.REFUSE.value, "Refuse"
    RENEW = DecisionKind.RENEW.value, "Renew"
    SUSPEND = DecisionKind.SUSPEND.value, "Suspend"
    RESTORE = DecisionKind.RESTORE.value, "Restore"
    WITHDRAW = DecisionKind.WITHDRAW.value, "Withdraw"
    REDUCE_SCOPE = DecisionKind.REDUCE_SCOPE.value, "Reduce scope"
    EXTEND_SCOPE = DecisionKind.EXTEND_SCOPE.value, "Extend scope"
    EXPIRE = DecisionKind.EXPIRE.value, "Expire"
    RESTORE_AFTER_EXPIRY = DecisionKind.RESTORE_AFTER_EXPIRY.value, "Restore after expiry"
    TRANSITION = DecisionKind.TRANSITION.value, "Move to the new edition"


class Certification(BaseModel):
    """A client's certification by a CB: standards, scope, lifecycle state and the current cycle."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification_body_id",
        "org": "organization_id",
        "team_user": "programmes__audits__team__auditor__user",
    }
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="certifications"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="certifications"
    )
    state = models.CharField(max_length=20, choices=CertificationState.choices, default=CertificationState.PENDING)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    scope = models.TextField()
    sector_codes = models.JSONField(default=list)
    original_decision_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    transferred_from = models.CharField(max_length=200, blank=True, help_text="Issuing CB of a transfer (IAF MD 2).")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # What the audits list's badges test of each certification (ended: its state and expiry), read from the
            # index alone when the audits are counted (core.pagination.read_page).
            models.Index(fields=["id", "state", "expires_on"], name="certification_state_cover"),
        ]

    def __str__(self) -> str:
        return f"Certification of {self.organization} ({self.get_state_display()})"

    def effective_state(self, today: date) -> str:
        """The state to show today: active past expiry reads as expired even if no job ran."""
        return effective_state(CertificateState(self.state), self.expires_on, today).value


class Decision(BaseModel):
    """One certification decision (17021-1 9.5.1.2) with reason, date, decider and the state it moved."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification__certification_body_id",
        "org": "certification__organization_id",
        "team_user": None,
    }
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="decisions")
    programme = models.ForeignKey(
        "audits.AuditProgramme", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=24, choices=DecisionChoice.choices)
    reason = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    state_before = models.CharField(max_length=20, choices=CertificationState.choices)
    state_after = models.CharField(max_length=20, choices=CertificationState.choices)
    scope_before = models.TextField(blank=True)
    scope_after = models.TextField(blank=True)
    basis_report = models.ForeignKey(
        "audits.AuditReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The issued report revision a grant or renewal rested on (17021-1 9.5.1).",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.certification.organization} on {self.decided_on}"
