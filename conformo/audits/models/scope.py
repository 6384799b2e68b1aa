"""Structured scope lines (ISO/IEC 17021-1 8.2.2 f, 9.1.1): one standard, one site (or all sites), activities
and IAF sector codes. The application's lines are entered by the client or the CB while it is open; accepting
it copies them to the certification, whose lines the scope decisions then change (`conformo.domain.scope`)."""

from __future__ import annotations

from django.db import models

from conformo.core.models import BaseModel
from conformo.domain.scope import ScopeLine as DomainScopeLine


class ScopeLine(BaseModel):
    """One line of an application's or a certification's scope; an empty site means all sites. Read only through
    its owner (`Application.objects.visible_to`, `Certification.objects.visible_to`), never on its own."""

    application = models.ForeignKey(
        "audits.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="scope_lines"
    )
    certification = models.ForeignKey(
        "certification.Certification", null=True, blank=True, on_delete=models.CASCADE, related_name="scope_lines"
    )
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        "organizations.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: every site of the certification, the central function included.",
    )
    activity = models.TextField(help_text="Activities, products and services, in the client's words.")
    sector_codes = models.JSONField(default=list, blank=True, help_text="IAF sector codes (IAF ID 1) of the line.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, certification__isnull=True)
                | models.Q(application__isnull=True, certification__isnull=False),
                name="scope_line_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard_id} / {self.site or 'all sites'}: {self.activity[:60]}"

    def as_domain(self) -> DomainScopeLine:
        """The line as the rules read it (needs `standard` and `site` loaded)."""
        site = str(self.site.public_id) if self.site is not None else None
        return DomainScopeLine(self.standard.code, site, self.activity, frozenset(self.sector_codes))
