"""The certification agreement (17021-1 5.1.2): the CB's versioned templates, with its rules for the use of
marks and references to certification (8.3) and the client's duties on suspension or withdrawal (9.6.5), and
each client's acceptance of one version."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from conformo.audits.choices import AgreementMethod, AgreementTemplateStatus
from conformo.audits.models.applications import Application
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet


class AgreementTemplate(BaseModel):
    """One version of a CB's certification agreement. Versions number up from 1 per CB; a draft may change, a
    published version never does. The CB's current agreement is its latest published version."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.PROTECT, related_name="agreement_templates"
    )
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The CB's own agreement text (plain text; shown with its line breaks).")
    mark_rules = models.TextField(help_text="The CB's rules for the use of its marks and references to certification.")
    suspension_duties = models.TextField(
        help_text="What the client must do when its certification is suspended or "
        "withdrawn (told again in those notices)."
    )
    status = models.CharField(
        max_length=20, choices=AgreementTemplateStatus.choices, default=AgreementTemplateStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["certification_body", "version"], name="agreement_template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == AgreementTemplateStatus.PUBLISHED


class Agreement(BaseModel):
    """A client's acceptance of one version of the CB's agreement for an application: accepted in Conformo by
    the client's administrator (who, when, from which address), or a signed copy recorded by the CB."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "application__certification_body_id",
        "org": "application__organization_id",
        "team_user": None,
    }
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="agreements")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="acceptances")
    method = models.CharField(max_length=20, choices=AgreementMethod.choices)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The client's administrator who accepted in Conformo.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The CB's person who recorded a signed copy.",
    )
    accepted_at = models.DateTimeField()
    signed_on = models.DateField(null=True, blank=True, help_text="The date on a signed copy.")
    signed_copy = models.FileField(upload_to="agreements/%Y/%m/", blank=True)
    signed_copy_name = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["application", "-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "template"], name="agreement_version_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.template} accepted for {self.application.organization}"

    @property
    def person(self) -> Any:
        """Who accepted (the client) or recorded the signed copy (the CB)."""
        return self.accepted_by or self.recorded_by
