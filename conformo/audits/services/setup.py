"""CB set-up: settings, accreditations, the auditor register, qualifications, conflicts, availability."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from conformo.audits.choices import ConflictKind, QualificationBasis, QualificationRole
from conformo.audits.models import (
    Accreditation,
    Auditor,
    CBSettings,
    ConflictOfInterest,
    Qualification,
    Unavailability,
)
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record, snapshot
from conformo.core.errors import ValidationFailed
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.domain.competence import MAX_PERIOD_MONTHS, period_refusal, qualification_valid_until
from conformo.domain.errors import InvalidInput
from conformo.domain.impartiality import MIN_COOLING_OFF_MONTHS, cooling_off_refusal
from conformo.domain.sectors import parse_iaf_codes
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Standard

if TYPE_CHECKING:
    from conformo.competence.models import Evaluation

SETTINGS_FIELDS = [
    "major_response_days",
    "minor_response_days",
    "major_verification_days",
    "minor_verification_days",
    "cooling_off_months",
    "stage1_percent",
    "stage1_due_days",
    "stage2_due_days",
    "surveillance_1_months",
    "surveillance_2_months",
    "at_risk_days",
    "transition_risk_days",
    "report_due_days",
    "max_remote_percent",
    "max_remote_percent_isms",
    "allow_agreement_at_stage1",
    "certificate_number_pattern",
    "qualification_validity_months",
    "qualification_lapse_months",
    "witness_interval_months",
    "monitoring_notice_days",
]


def check_sector_codes(codes: str | Iterable[object], field: str = "sector_codes") -> list[int]:
    """The distinct IAF sector codes, sorted (``domain.sectors.parse_iaf_codes``); refused as a field error."""
    try:
        return parse_iaf_codes(codes)
    except InvalidInput as exc:
        raise ValidationFailed(f"{exc.message}.", fields={field: ["1 to 39."]}) from exc


def cb_settings_get(cb: CertificationBody) -> CBSettings:
    """The CB's settings, created with the documented defaults the first time."""
    settings, _ = CBSettings.objects.get_or_create(certification_body=cb)
    return settings


@transaction.atomic
def cb_settings_update(*, actor: Actor, certification_body: CertificationBody, **values: Any) -> CBSettings:
    """Change the CB's non-normative choices (CB administrators only)."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="change the CB settings")
    settings = cb_settings_get(certification_body)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown settings: {', '.join(sorted(unknown))}.")
    if values.get("surveillance_1_months", 12) > 12:
        raise ValidationFailed(
            "The first surveillance must fall within 12 months of the certification decision (17021-1 9.1.3.3).",
            fields={"surveillance_1_months": ["At most 12."]},
        )
    refusal = cooling_off_refusal(values.get("cooling_off_months", MIN_COOLING_OFF_MONTHS))
    if refusal is not None:
        raise ValidationFailed(
            refusal,
            code="below_normative_floor",
            fields={"cooling_off_months": [f"At least {MIN_COOLING_OFF_MONTHS}."]},
        )
    if not 0 < values.get("stage1_percent", 30) < 100:
        raise ValidationFailed("Stage 1 takes a share between 1 and 99 %.", fields={"stage1_percent": ["1 to 99."]})
    for name in ("max_remote_percent", "max_remote_percent_isms"):
        if not 0 <= values.get(name, 100) <= 100:
            raise ValidationFailed("A remote share is a percent from 0 to 100.", fields={name: ["0 to 100."]})
    for name in ("qualification_validity_months", "qualification_lapse_months", "witness_interval_months"):
        if name in values and (refused := period_refusal(values[name])) is not None:
            raise ValidationFailed(refused, fields={name: [f"1 to {MAX_PERIOD_MONTHS}."]})
    if not 0 <= values.get("monitoring_notice_days", 0) <= 365:
        raise ValidationFailed("At most a year's notice.", fields={"monitoring_notice_days": ["0 to 365."]})
    before = snapshot(settings, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        settings.rule_settings()
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    settings.save()
    audit_log_record(
        actor=actor,
        action="cb_settings.update",
        obj=settings,
        before=before,
        after=snapshot(settings, SETTINGS_FIELDS),
        certification_body_id=certification_body.pk,
    )
    return settings


@transaction.atomic
def accreditation_create(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    accreditation_body: str,
    standards: list[Standard],
    sector_codes: list[int],
    valid_from: date,
    valid_until: date,
    reference: str = "",
) -> Accreditation:
    """Record an accreditation: standards × IAF sector codes, valid dates."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="record accreditations")
    if valid_until < valid_from:
        raise ValidationFailed(
            "The accreditation ends before it starts.", fields={"valid_until": ["After valid_from."]}
        )
    if not standards:
        raise ValidationFailed("Name at least one accredited standard.", fields={"standards": ["Required."]})
    accreditation = Accreditation.objects.create(
        certification_body=certification_body,
        accreditation_body=accreditation_body.strip(),
        reference=reference,
        sector_codes=check_sector_codes(sector_codes),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    accreditation.standards.set(standards)
    audit_log_record(
        actor=actor,
        action="accreditation.create",
        obj=accreditation,
        after={
            "accreditation_body": accreditation.accreditation_body,
            "standards": [s.code for s in standards],
            "sector_codes": accreditation.sector_codes,
            "valid_until": valid_until.isoformat(),
        },
        certification_body_id=certification_body.pk,
    )
    return accreditation


@transaction.atomic
def auditor_register(*, actor: Actor, certification_body: CertificationBody, user: Any, notes: str = "") -> Auditor:
    """Put a CB member on the auditor register."""
    require_cb_role(actor, certification_body.pk, *MANAGERS, action="register auditors")
    if not user.memberships.filter(certification_body=certification_body).exists():
        raise ValidationFailed(f"{user} is not a member of {certification_body}; add them to the CB first.")
    auditor, created = Auditor.objects.get_or_create(
        certification_body=certification_body, user=user, defaults={"notes": notes}
    )
    if created:
        audit_log_record(
            actor=actor,
            action="auditor.register",
            obj=auditor,
            after={"user": user.email},
            certification_body_id=certification_body.pk,
        )
    return auditor


@transaction.atomic
def qualification_add(
    *,
    actor: Actor,
    auditor: Auditor,
    evaluation: Evaluation,
    standard: Standard,
    sector_codes: list[int],
    role: str = QualificationRole.AUDITOR,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Qualification:
    """Grant an auditor's competence for one standard and the IAF sector codes, in a role — only from a positive
    competence evaluation of that person (17021-1 7.1.3; `conformo.competence.services.evaluation_record` calls
    it). Valid from the evaluation day (or a later `valid_from`) until the CB's validity runs out
    (`CBSettings.qualification_validity_months`; an earlier `valid_until` may be given, never a later one)."""
    cb_id = auditor.certification_body_id
    require_cb_role(actor, cb_id, *MANAGERS, action="grant qualifications")
    if (
        evaluation is None
        or evaluation.result != "positive"
        or evaluation.person_id != auditor.user_id
        or evaluation.certification_body_id != cb_id
    ):
        raise ValidationFailed(
            "A qualification is granted only from a positive competence evaluation of this person (17021-1 7.1.3).",
            code="evaluation_required",
            fields={"evaluation": ["A positive evaluation of this person."]},
        )
    if role not in QualificationRole.values:
        raise ValidationFailed(
            f"Role must be one of: {', '.join(QualificationRole.values)}.", fields={"role": ["Unknown."]}
        )
    valid_from = valid_from or evaluation.evaluated_on
    if valid_from < evaluation.evaluated_on:
        raise ValidationFailed(
            "A qualification cannot start before the evaluation that grants it.",
            fields={"valid_from": ["On or after the evaluation."]},
        )
    months = cb_settings_get(auditor.certification_body).qualification_validity_months
    longest = qualification_valid_until(valid_from, months)
    if valid_until is not None and not valid_from <= valid_until <= longest:
        raise ValidationFailed(
            f"A qualification is valid at most {months} months (the CB's setting): until {longest} at the latest.",
            fields={"valid_until": [f"From {valid_from} to {longest}."]},
        )
    qualification = Qualification.objects.create(
        auditor=auditor,
        standard=standard,
        sector_codes=check_sector_codes(sector_codes),
        role=role,
        valid_from=valid_from,
        valid_until=valid_until or longest,
        basis=QualificationBasis.EVALUATION,
        evaluation=evaluation,
    )
    audit_log_record(
        actor=actor,
        action="qualification.grant",
        obj=qualification,
        after={
            "standard": standard.code,
            "sector_codes": qualification.sector_codes,
            "role": role,
            "valid_from": valid_from,
            "valid_until": qualification.valid_until,
            "evaluation": str(evaluation.public_id),
        },
        certification_body_id=cb_id,
    )
    return qualification


@transaction.atomic
def conflict_declare(
    *,
    actor: Actor,
    auditor: Auditor,
    organization: Organization,
    started_on: date,
    ended_on: date | None = None,
    kind: str = ConflictKind.CONSULTANCY,
    description: str = "",
) -> ConflictOfInterest:
    """Declare an auditor's relationship with a client (the auditor or a manager may declare it)."""
    if auditor.user_id != actor.pk:
        require_cb_role(actor, auditor.certification_body_id, *MANAGERS, action="declare conflicts of interest")
    if kind not in ConflictKind.values:
        raise ValidationFailed(f"Kind must be one of: {', '.join(ConflictKind.values)}.")
    if ended_on is not None and ended_on < started_on:
        raise ValidationFailed(
            "The relationship ends before it starts.", fields={"ended_on": ["On or after the start."]}
        )
    conflict = ConflictOfInterest.objects.create(
        auditor=auditor,
        organization=organization,
        kind=kind,
        description=description,
        started_on=started_on,
        ended_on=ended_on,
    )
    audit_log_record(
        actor=actor,
        action="conflict.declare",
        obj=conflict,
        after={"organization": organization.legal_name, "kind": kind, "ended_on": ended_on},
        certification_body_id=auditor.certification_body_id,
    )
    return conflict


@transaction.atomic
def unavailability_add(
    *, actor: Actor, auditor: Auditor, starts_on: date, ends_on: date, note: str = ""
) -> Unavailability:
    """Record a period when the auditor cannot audit."""
    if auditor.user_id != actor.pk:
        require_cb_role(actor, auditor.certification_body_id, *MANAGERS, action="record availability")
    if ends_on < starts_on:
        raise ValidationFailed("The period ends before it starts.", fields={"ends_on": ["On or after the first day."]})
    period = Unavailability.objects.create(auditor=auditor, starts_on=starts_on, ends_on=ends_on, note=note)
    audit_log_record(
        actor=actor,
        action="auditor.unavailable",
        obj=period,
        after={"starts_on": starts_on, "ends_on": ends_on},
        certification_body_id=auditor.certification_body_id,
    )
    return period
