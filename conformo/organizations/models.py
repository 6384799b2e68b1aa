"""Tenants: certification bodies, the organizations they certify, and those organizations' sites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import reach

if TYPE_CHECKING:
    from conformo.accounts.models import User


class CertificationBody(BaseModel):
    """An accredited certification body (CB): a tenant that sees only its own clients."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 country code.")
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    require_staff_two_factor = models.BooleanField(
        default=False,
        help_text="Staff (every CB role) must sign in with a two-factor code; set by the CB administrator "
        "(accounts: /accounts/cb/<id>/security/).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: User | Any) -> OrganizationQuerySet:
        """Organizations the user may read.

        Client roles see their own organization; CB admins, programme managers and decision makers see
        their CB's clients; auditors see only organizations they are assigned to (through audit teams,
        recorded by the audits app); anonymous users see none.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        r = reach(user)
        if r.superuser:
            return self.all()
        query = models.Q(pk__in=list(r.organizations)) | models.Q(
            client_relationships__certification_body_id__in=list(r.cb_wide)
        )
        if r.auditor_cbs:
            # Through the audit teams (conformo.audits): organizations whose programme at one of these CBs has an
            # audit with the user on its team.
            assigned = Organization.objects.filter(
                programmes__certification_body_id__in=list(r.auditor_cbs), programmes__audits__team__auditor__user=user
            ).values("pk")
            query |= models.Q(pk__in=assigned)
        return self.filter(query).distinct()


class Organization(BaseModel):
    """An organization that prepares for, or holds, certification: a tenant that sees only itself."""

    legal_name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 country code.")
    registration_number = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    sector_codes = models.JSONField(default=list, blank=True, help_text="IAF sector codes (1-39).")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class ClientRelationship(BaseModel):
    """An organization is a client of a CB. The client decides whether its readiness work is shared."""

    certification_body = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="clients")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="client_relationships")
    shares_readiness = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certification_body", "organization"], name="unique_client_relationship")
        ]

    def __str__(self) -> str:
        return f"{self.organization} — client of {self.certification_body}"


class Site(BaseModel):
    """A physical location of an organization, with its personnel by type (IAF MD 5 effective personnel)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    country = models.CharField(max_length=2)
    is_headquarters = models.BooleanField(default=False)
    permanent_staff = models.PositiveIntegerField(default=0)
    part_time_staff = models.PositiveIntegerField(default=0)
    part_time_hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    temporary_staff = models.PositiveIntegerField(default=0)
    contractors = models.PositiveIntegerField(default=0, help_text="Contractors under the organization's control.")
    shifts = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(4)])
    repetitive_function_staff = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organization", "-is_headquarters", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_headquarters=True),
                name="one_headquarters_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"
