"""Certificates: the document a certification decision produces (ISO/IEC 17021-1 8.2.2).

Each issue or re-issue is one `Certificate` row (a *revision*). The first revision carries the number the
CB's numbering pattern gives (`NBC-2026-00001`); every re-issue adds a revision suffix (`NBC-2026-00001-R1`)
and marks the previous row superseded — rows are never deleted (8.2.2 i).

A certificate either comes from a recorded decision (`certification` and `decision` set) or was imported
from another system's register (IAF CertSearch migration: `source = imported`, both null). So the
certificate carries its own copy of everything printed on it — holder, sites, standards, scope, the CB and
its accreditation — as it was on the issue date. That copy is also what the public registry reads, with
no join (see docs/certificates.md).

`status` is the stored status (moved by decisions); the status anyone reads is `effective_status(today)`,
which says expired past the expiry date even if no job ran.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.certificate_states import CertificateState, effective_state
from conformo.domain.transitions import edition_state, ended_reason, transition_ended


class CertificateStatus(models.TextChoices):
    """The public status vocabulary of IAF CertSearch's verifier."""

    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class CertificateSource(models.TextChoices):
    DECISION = "decision", "Issued from a certification decision"
    IMPORTED = "imported", "Imported from another register"


class CertificateQuerySet[M: models.Model](VisibleQuerySet[M]):
    def expiring_between(self, first: date, last: date) -> Self:
        """The current revision of certificates issued from a decision in Conformo (an imported certificate is
        managed in its own register), active or suspended, expiring from `first` to `last` (both included): the
        daily reminders tell the client and the CB 90 and 30 days ahead."""
        return self.filter(
            is_current=True,
            certification__isnull=False,
            status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED],
            expires_on__range=(first, last),
        )


class Certificate(BaseModel):
    """One revision of a certificate: what is printed on it, its status, and where it came from."""

    VISIBILITY: ClassVar[dict[str, Any]] = {
        "cb": "certification_body_id",
        "org": "organization_id",
        "team_user": None,
    }
    # Every index costs import time (docs/performance.md): no query orders or filters certificates by
    # creation time, so this one has none.
    created_at = models.DateTimeField(auto_now_add=True)
    certification_body = models.ForeignKey(
        "organizations.CertificationBody",
        on_delete=models.PROTECT,
        related_name="certificates",
        db_index=False,  # covered by unique_certificate_revision (certification_body, base_number, revision)
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        db_index=False,  # partial index cert_organization (imported certificates have none)
        help_text="The holder, when it is an organization in Conformo (empty for some imported certificates).",
    )
    certification = models.ForeignKey(
        "certification.Certification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        db_index=False,  # covered by cert_certification_current (certification, is_current)
    )
    decision = models.ForeignKey(
        "certification.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        db_index=False,  # partial index cert_decision (imported certificates have none)
        help_text="The decision this revision was issued on (empty for imported certificates).",
    )
    source = models.CharField(max_length=10, choices=CertificateSource.choices, default=CertificateSource.DECISION)

    base_number = models.CharField(max_length=60, help_text="The number without revision suffix.")
    revision = models.PositiveSmallIntegerField(default=0)
    # Unique through the constraint certificate_number_unique, not `unique=True`: on PostgreSQL that would add
    # a second (varchar_pattern_ops) index for LIKE 'prefix%' that no query uses.
    number = models.CharField(max_length=60, help_text="As printed: base number + revision suffix.")
    is_current = models.BooleanField(default=True, help_text="False once a later revision supersedes this one.")
    superseded_on = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE)
    confidential = models.BooleanField(default=False, help_text="Confidential certificates never appear publicly.")

    holder_name = models.CharField(max_length=300)
    holder_country = models.CharField(max_length=2)
    holder_address = models.TextField(blank=True)
    holder_identifier = models.CharField(max_length=100, blank=True, help_text="CertSearch certified entity id.")
    sites = models.JSONField(default=list, help_text='[{"name", "address", "country", "headquarters", "scope"}]')
    standards = models.JSONField(default=list, help_text='[{"id": "iso-9001-2015", "designation": "ISO 9001:2015"}]')
    scope = models.TextField()
    scope_lines = models.JSONField(
        default=list,
        blank=True,
        db_default=[],  # rows the CertSearch import writes by COPY leave it out
        help_text='[{"standard", "designation", "site", "address", "activity", "iaf_codes"}]: the structured scope '
        "as issued (site null: all sites); empty on imported certificates and on those issued before it existed.",
    )
    sector_codes = models.JSONField(default=list, blank=True)

    issued_on = models.DateField(help_text="Current issue date: never before the decision (8.2.2 b).")
    original_issued_on = models.DateField()
    expires_on = models.DateField()

    cb_name = models.CharField(max_length=200)
    cb_address = models.TextField(blank=True)
    accreditation = models.CharField(max_length=300, blank=True, help_text="Accreditation body and reference.")
    soa_version = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",  # rows the CertSearch import writes by COPY leave it out
        help_text="ISMS: the Statement of Applicability version, from the report the decision rested on "
        "(ISO/IEC 27006-1).",
    )

    transition_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the certificate is on an edition being replaced: the end of that transition as its CB "
        "applies it; the day after, the certificate reads as no longer valid (cb-rules §8c).",
    )
    transition_edition = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",  # rows the CertSearch import writes by COPY leave it out
        help_text="The designation of the edition whose transition ends on `transition_ends_on`.",
    )

    search_text = models.TextField(
        blank=True, help_text="Number and holder name, lowercased and accent-stripped, for registry search."
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certificate_number_unique"),
            models.UniqueConstraint(
                fields=["certification_body", "base_number"],
                condition=models.Q(is_current=True),
                name="one_current_revision_per_certificate",
            ),
            models.UniqueConstraint(
                fields=["certification_body", "base_number", "revision"], name="unique_certificate_revision"
            ),
        ]
        # Partial where the column is empty for imported certificates, so a bulk import skips them. The
        # word index of the registry search is in migration 0004 (PostgreSQL only).
        indexes = [
            models.Index(
                fields=["certification", "is_current"],
                name="cert_certification_current",
                condition=models.Q(certification__isnull=False),
            ),
            models.Index(
                fields=["organization"], name="cert_organization", condition=models.Q(organization__isnull=False)
            ),
            models.Index(fields=["decision"], name="cert_decision", condition=models.Q(decision__isnull=False)),
            models.Index(fields=["holder_country"], name="cert_holder_country"),
        ]

    def __str__(self) -> str:
        return f"Certificate {self.number} — {self.holder_name}"

    def effective_status(self, today: date) -> str:
        """The status to show on `today`: expired past the expiry date, or past the end of its edition's
        transition, even if no job ran."""
        state = effective_state(CertificateState(self.status), self.expires_on, today)
        return edition_state(state, self.transition_ends_on, today).value

    def status_reason(self, today: date) -> str:
        """Why the certificate is no longer valid when its edition's transition has ended ('' otherwise)."""
        if self.transition_ends_on is not None and transition_ended(self.transition_ends_on, today):
            state = effective_state(CertificateState(self.status), self.expires_on, today)
            if state in (CertificateState.ACTIVE, CertificateState.SUSPENDED):
                return ended_reason(self.transition_edition, self.transition_ends_on)
        return ""


class CertificateStandard(models.Model):
    """Which standards a certificate covers, one row each, for the registry's standard filter."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="standard_links")
    code = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "code"], name="unique_certificate_standard")]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.code}"


class StatusChange(BaseModel):
    """The certificate's status history: every issue, re-issue and status move, with its decision."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="status_changes")
    on = models.DateField()
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, choices=CertificateStatus.choices)
    event = models.CharField(max_length=30, help_text="issue, reissue, suspend, restore, withdraw, expire, import")
    decision = models.ForeignKey(
        "certification.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.certificate.number}: {self.event} on {self.on}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    IMPORTED = "imported", "Imported"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"


class CertificateImport(BaseModel):
    """A CertSearch import run by the worker (conformo.certificates.imports): its file until it ran, its
    progress while it runs, its outcome after. The import itself is all or nothing (docs/certificates.md)."""

    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="certificate_imports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="certsearch-imports/", blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True, help_text="What the running import is doing.")
    rows_checked = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first rejected rows: {row, field, message}.")
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}: {self.status}"

    @property
    def done(self) -> bool:
        return self.status in (ImportStatus.IMPORTED, ImportStatus.REJECTED, ImportStatus.FAILED)
