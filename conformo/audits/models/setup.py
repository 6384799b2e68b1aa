"""CB set-up: settings for every non-normative choice, accreditations, the auditor register with
qualifications, declared conflicts of interest and unavailability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar
from uuid import UUID

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from conformo.audits.choices import (
    ConflictKind,
    QualificationBasis,
    QualificationRole,
)
from conformo.audits.models.base import _new_calendar_token
from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain import competence as competence_rules
from conformo.domain.impartiality import MIN_COOLING_OFF_MONTHS
from conformo.domain.settings import RuleSettings
from conformo.domain.transitions import DEFAULT_RISK_DAYS


class CBSettings(BaseModel):
    """A CB's choices for every rule that is not a normative "shall" (defaults: `RuleSettings`)."""

    certification_body = models.OneToOneField(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="audit_settings"
    )
    major_response_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.9: CB-defined.")
    minor_response_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.9: CB-defined.")
    major_verification_days = models.PositiveIntegerField(default=90, help_text="[P] 17021-1 9.4.10.")
    minor_verification_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="[P] Empty: minors are verified at the next audit."
    )
    cooling_off_months = models.PositiveIntegerField(
        default=MIN_COOLING_OFF_MONTHS,
        validators=[MinValueValidator(MIN_COOLING_OFF_MONTHS)],
        help_text="[N] at least 24; longer [P]: no auditor who consulted for the client within this many months "
        "takes part in its certification (17021-1 5.2).",
    )
    stage1_percent = models.PositiveSmallIntegerField(
        default=30, help_text="[P] Share of the initial audit time spent on stage 1."
    )
    stage1_due_days = models.PositiveIntegerField(default=90, help_text="[P] Stage 1 due after acceptance.")
    stage2_due_days = models.PositiveIntegerField(default=90, help_text="[P] Stage 2 due after stage 1.")
    surveillance_1_months = models.PositiveSmallIntegerField(default=12, help_text="[N] ≤ 12 (17021-1 9.1.3.3).")
    surveillance_2_months = models.PositiveSmallIntegerField(default=24, help_text="[P] second surveillance.")
    at_risk_days = models.PositiveIntegerField(default=30, help_text="[P] An unplanned audit is at risk this close.")
    report_due_days = models.PositiveIntegerField(
        default=30, help_text="[P] The audit report is due this many days after the audit is completed (9.4.8)."
    )
    max_remote_percent = models.PositiveSmallIntegerField(
        default=100,
        help_text="[P] Most of an audit's days that may be remote (ICT); remote time counts as audit time (IAF MD 4).",
    )
    max_remote_percent_isms = models.PositiveSmallIntegerField(
        default=100,
        help_text="[?] The same for an audit that includes ISO/IEC 27001 (ISO/IEC 27006-1 limits not read).",
    )
    allow_agreement_at_stage1 = models.BooleanField(
        default=False,
        help_text="[P] Stage 1 may start before the client accepts the certification agreement, when the CB records "
        "why it is signed at stage 1 (17021-1 5.1.2). Off: the agreement is accepted before stage 1.",
    )
    transition_risk_days = models.PositiveIntegerField(
        default=DEFAULT_RISK_DAYS,
        help_text="[P] A client still on an old edition whose transition is not decided is at risk this many days "
        "before the transition end (conformo.domain.transitions).",
    )
    qualification_validity_months = models.PositiveSmallIntegerField(
        default=competence_rules.DEFAULT_VALIDITY_MONTHS,
        help_text="[P] A qualification is valid this many months after the evaluation that granted it (17021-1 7.1.3).",
    )
    qualification_lapse_months = models.PositiveSmallIntegerField(
        default=competence_rules.DEFAULT_LAPSE_MONTHS,
        help_text="[P] A qualification lapses after this many months without an audit in its standard (7.1.3).",
    )
    witness_interval_months = models.PositiveSmallIntegerField(
        default=competence_rules.DEFAULT_WITNESS_MONTHS,
        help_text="[P] Each qualified auditor is witnessed on site at least this often (17021-1 7.2; AB practice: "
        "once per 3-year cycle).",
    )
    monitoring_notice_days = models.PositiveSmallIntegerField(
        default=competence_rules.DEFAULT_NOTICE_DAYS,
        help_text="[P] Monitoring shows as due on the plan and the work list this many days before its due date.",
    )
    certificate_number_pattern = models.CharField(
        max_length=100, default="{cb}-{year}-{seq:05d}", help_text="Certificate numbering scheme."
    )
    certificate_number_next = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Settings of {self.certification_body}"

    def rule_settings(self) -> RuleSettings:
        return RuleSettings(
            major_response_days=self.major_response_days,
            minor_response_days=self.minor_response_days,
            major_verification_days=self.major_verification_days,
            minor_verification_days=self.minor_verification_days,
            surveillance_1_months=self.surveillance_1_months,
            surveillance_2_months=self.surveillance_2_months,
        )

    @property
    def stage1_fraction(self) -> Fraction:
        return Fraction(self.stage1_percent, 100)


class Accreditation(BaseModel):
    """The CB's accreditation: which standards and IAF sector codes, by which body, for how long."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="accreditations"
    )
    accreditation_body = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    standards = models.ManyToManyField("standards.Standard", related_name="+")
    sector_codes = models.JSONField(default=list, help_text="IAF sector codes (1-39).")
    valid_from = models.DateField()
    valid_until = models.DateField()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "valid_from"]

    def __str__(self) -> str:
        return f"{self.accreditation_body} {self.reference}".strip()


class Auditor(BaseModel):
    """A person on the CB's auditor register."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": "user"}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="auditors"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auditor_profiles")
    active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=_new_calendar_token, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "user__email"]
        constraints = [models.UniqueConstraint(fields=["certification_body", "user"], name="unique_auditor")]

    def __str__(self) -> str:
        return str(self.user)


class Qualification(BaseModel):
    """An auditor's competence: one standard, the IAF sector codes, the role, valid dates. Granted only by a positive
    competence evaluation (`conformo.competence`, 17021-1 7.1.3); those recorded before evaluations were kept carry
    the basis `before_evaluations`. Whether it is current on a day is `conformo.domain.competence`'s rule (expiry,
    lapse without audits), read by `audits.services.qualifications`."""

    auditor = models.ForeignKey(Auditor, on_delete=models.CASCADE, related_name="qualifications")
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")
    sector_codes = models.JSONField(default=list)
    role = models.CharField(max_length=20, choices=QualificationRole.choices, default=QualificationRole.AUDITOR)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=20, choices=QualificationBasis.choices, default=QualificationBasis.EVALUATION)
    evaluation = models.ForeignKey(
        "competence.Evaluation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="qualifications",
        help_text="The positive evaluation that granted it (empty only for `before_evaluations`).",
    )

    class Meta:
        # Of one standard, the latest first (a renewed qualification beside the one it follows): one order wherever
        # they are read, the register's list and an auditor read alone.
        ordering = ["auditor", "standard", "-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.auditor}: {self.standard} {self.get_role_display()}"

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def iaf_codes(self) -> str:
        """The IAF sector codes as a page writes them ("17, 18"): the auditor register shows hundreds of them, and
        the template's `join` filter took longer than the rest of a qualification's line."""
        return iaf_codes(self.sector_codes)

    @property
    def line(self) -> str:
        """The qualification as the auditor register lists it (`qualification_line`)."""
        return qualification_line(str(self.standard), self.role, self.sector_codes, self.valid_from, self.valid_until)


#: A qualification's role in words, as `get_role_display` writes it.
ROLE_LABELS: dict[str, str] = {value: str(label) for value, label in QualificationRole.choices}


def iaf_codes(sector_codes: list[Any]) -> str:
    return ", ".join(str(code) for code in sector_codes)


def qualification_line(
    standard: str, role: str, sector_codes: list[Any], valid_from: date, valid_until: date | None
) -> str:
    """A qualification as the auditor register lists it: "ISO 9001:2015 · Lead auditor · IAF 17, 18 · from
    2024-01-02 to 2027-01-01". The register shows hundreds (480 at N = 600): as five template lookups each took
    23 µs, 11 ms of the page; one line written here, 8 ms less."""
    until = f" to {valid_until.isoformat()}" if valid_until else ""
    role_label = ROLE_LABELS.get(role, role)
    return f"{standard} · {role_label} · IAF {iaf_codes(sector_codes)} · from {valid_from.isoformat()}{until}"


@dataclass(frozen=True, slots=True)
class ListedQualification:
    """A qualification as the register and the API's list write it, read as values with a page of auditors
    (`audits.selectors.with_qualifications`) rather than as a model instance and its standard's: 480 of them at
    N = 600 took 10.8 ms as instances, 5.2 as values."""

    public_id: UUID
    standard_code: str
    standard_designation: str
    sector_codes: list[Any]
    role: str
    valid_from: date
    valid_until: date | None
    basis: str
    evaluation_public_id: UUID | None = None  # read for the API only

    @property
    def line(self) -> str:
        return qualification_line(
            self.standard_designation, self.role, self.sector_codes, self.valid_from, self.valid_until
        )


class RelatedBody(BaseModel):
    """A body related to the CB (common ownership, governance, contract or shared personnel) and the services it
    offers, e.g. management-system consultancy (17021-1 5.2). Its declared relationships with clients are
    `ConflictOfInterest` rows with `related_body` set; the cooling-off check reads them for the whole CB."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="related_bodies"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=300, help_text="How it is related: ownership, governance, contract …")
    services = models.TextField(blank=True, help_text="What it offers, e.g. management-system consultancy, training.")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "name"]
        constraints = [models.UniqueConstraint(fields=["certification_body", "name"], name="unique_related_body")]

    def __str__(self) -> str:
        return self.name


class ConflictOfInterest(BaseModel):
    """A declared relationship with a client (17021-1 5.2), with dates: of an auditor (personnel), or of a body
    related to the CB (`related_body`: e.g. its consultancy for the client). Exactly one of the two is set."""

    auditor = models.ForeignKey(Auditor, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts")
    related_body = models.ForeignKey(
        RelatedBody, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ConflictKind.choices, default=ConflictKind.CONSULTANCY)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty: still going on.")

    class Meta:
        ordering = ["auditor", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(auditor__isnull=False, related_body__isnull=True)
                | models.Q(auditor__isnull=True, related_body__isnull=False),
                name="conflict_of_auditor_or_related_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.auditor or self.related_body} — {self.get_kind_display()} for {self.organization}"


class Unavailability(BaseModel):
    """A period when an auditor is not available for audits."""

    auditor = models.ForeignKey(Auditor, on_delete=models.CASCADE, related_name="unavailability")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["auditor", "starts_on"]

    def __str__(self) -> str:
        return f"{self.auditor} unavailable {self.starts_on}–{self.ends_on}"
