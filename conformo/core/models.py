"""Base model and the append-only audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from conformo.core.roles import Role
from conformo.core.tenancy import reach


class BaseModel(models.Model):
    """Every Conformo entity: timestamps and a public id that is safe to show in URLs and the API."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditLogQuerySet(models.QuerySet["AuditLogEntry"]):
    def visible_to(self, user: Any) -> AuditLogQuerySet:
        """CB admins see their CB's entries, client admins their organization's; staff see all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        r = reach(user)
        cb_ids = list(r.cbs_with(Role.CB_ADMIN))
        org_ids = list(r.orgs_with(Role.CLIENT_ADMIN))
        return self.filter(models.Q(certification_body_id__in=cb_ids) | models.Q(organization_id__in=org_ids))


class AuditLogEntry(models.Model):
    """Who did what to which object, when, with the state before and after. Append-only.

    Written by services through `conformo.core.audit.audit_log_record` inside the same transaction as
    the change it records. Never updated or deleted by the application.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Null only for system jobs.",
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit log entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit log entries are append-only.")
