"""Complaints (17021-1 9.8) and appeals (9.7)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.audits.choices import (
    AppealStatus,
    ComplaintStatus,
)
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class Complaint(BaseModel):
    """A complaint about the CB or a certified client, handled by people not involved in its subject."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="complaints"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    description = models.TextField()
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Complaint: {self.subject}"


class Appeal(BaseModel):
    """A client's appeal against a certification decision, handled by people not involved in it."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": "organization_id", "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="appeals"
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "certification.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    subject = models.CharField(max_length=300)
    grounds = models.TextField()
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=AppealStatus.choices, default=AppealStatus.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Appeal: {self.subject}"
