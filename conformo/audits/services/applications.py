"""Application and review (ISO/IEC 17021-1 9.1.1, 9.1.2): submit, review with the rules engine, accept
(which creates the 3-year programme) or decline with reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from conformo.audits.choices import ApplicationStatus, QualificationRole
from conformo.audits.models import Accreditation, Application, ApplicationReview, Qualification
from conformo.audits.services.setup import cb_settings_get, check_sector_codes
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import CLIENTS, MANAGERS, has_cb_role, has_org_role
from conformo.domain.audit_time import AuditTimeRequest, compute_audit_time
from conformo.domain.errors import DomainError
from conformo.domain.personnel import PartTimeGroup, PersonnelBreakdown, effective_personnel
from conformo.domain.rounding import round_half_day
from conformo.domain.sampling import sample_sizes
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization, Site
from conformo.standards.models import Standard

TRANSFER_KEYS = (
    "issuing_cb",
    "issuing_cb_accredited",
    "certificate_number",
    "expires_on",
    "suspended",
    "current_stage",
)


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    organization: Organization,
    standards: list[Standard],
    scope: str,
    sites: list[Site],
    sector_codes: list[int],
    complexity: str = "medium",
    outsourced_processes: str = "",
    consultancy_used: str = "",
    transfer: dict[str, Any] | None = None,
    contact_name: str = "",
    contact_email: str = "",
) -> Application:
    """Apply for certification: by the client's administrator, or by the CB's staff on its behalf. The contact
    (`contact_email`) is invited as the client's first administrator when the application is accepted, if the
    organization has none by then."""
    on_behalf = has_cb_role(actor, certification_body.pk, *MANAGERS)
    if not on_behalf and not has_org_role(actor, organization.pk, "client_admin"):
        raise PermissionDenied("Only the organization's administrator or the CB's staff can apply for certification.")
    if (
        on_behalf
        and not ClientRelationship.objects.filter(
            certification_body=certification_body, organization=organization
        ).exists()
    ):
        raise PermissionDenied(f"{organization} is not a client of {certification_body}.")
    errors: dict[str, list[str]] = {}
    if not standards:
        errors["standards"] = ["Choose at least one standard."]
    if not scope.strip():
        errors["scope"] = ["Describe the scope of certification."]
    if not sites:
        errors["sites"] = ["Name at least one site."]
    if any(site.organization_id != organization.pk for site in sites):
        errors["sites"] = ["Every site must belong to the applying organization."]
    contact_email = contact_email.strip().lower()
    if contact_email:
        try:
            if len(contact_email) > 254:
                raise DjangoValidationError("too long")
            validate_email(contact_email)
        except DjangoValidationError:
            errors["contact_email"] = ["Enter a valid e-mail address, like name@example.org."]
    if len(contact_name.strip()) > 200 or any(ord(char) < 32 for char in contact_name.strip()):
        errors["contact_name"] = ["At most 200 characters, no control characters."]
    if transfer is not None:
        missing = [k for k in TRANSFER_KEYS if k not in transfer]
        if missing:
            errors["transfer"] = [f"A transfer (IAF MD 2) needs: {', '.join(missing)}."]
    if errors:
        raise ValidationFailed("The application is incomplete.", fields=errors)
    ClientRelationship.objects.get_or_create(certification_body=certification_body, organization=organization)
    application = Application.objects.create(
        certification_body=certification_body,
        organization=organization,
        scope=scope.strip(),
        sector_codes=check_sector_codes(sector_codes),
        complexity=complexity,
        outsourced_processes=outsourced_processes,
        consultancy_used=consultancy_used,
        is_transfer=transfer is not None,
        transfer_details=transfer or {},
        submitted_by=acting_user(actor),
        contact_name=contact_name.strip(),
        contact_email=contact_email,
    )
    application.standards.set(standards)
    application.sites.set(sites)
    audit_log_record(
        actor=actor,
        action="application.submit",
        obj=application,
        after={"standards": [s.code for s in standards], "sector_codes": application.sector_codes, "scope": scope},
        certification_body_id=certification_body.pk,
        organization_id=organization.pk,
    )
    return application


def _personnel(sites: list[Site]) -> tuple[Decimal, list[dict[str, Any]]]:
    breakdown = PersonnelBreakdown(
        permanent=sum(s.permanent_staff for s in sites),
        temporary=sum(s.temporary_staff for s in sites),
        contractors=sum(s.contractors for s in sites),
        part_time=tuple(
            PartTimeGroup(s.part_time_staff, Decimal(s.part_time_hours_per_week))
            for s in sites
            if s.part_time_staff and s.part_time_hours_per_week
        ),
    )
    result = effective_personnel(breakdown)
    return result.value, [step.as_dict() for step in result.trace]


def _check(code: str, ok: bool, message: str) -> dict[str, Any]:
    return {"code": code, "ok": ok, "message": message}


def _accreditation_checks(application: Application, standards: list[Standard], on: date) -> list[dict[str, Any]]:
    accreditations = list(
        Accreditation.objects.filter(
            certification_body=application.certification_body, valid_from__lte=on, valid_until__gte=on
        ).prefetch_related("standards")
    )
    checks = []
    for standard in standards:
        covering = [a for a in accreditations if standard in a.standards.all()]
        if not covering:
            checks.append(_check("not_accredited", False, f"The CB holds no valid accreditation for {standard}."))
            continue
        codes = {c for a in covering for c in a.sector_codes}
        missing = [c for c in application.sector_codes if c not in codes]
        if missing:
            checks.append(
                _check(
                    "sector_not_accredited",
                    False,
                    f"The CB's accreditation for {standard} does not cover IAF sector code(s) "
                    f"{', '.join(map(str, missing))}.",
                )
            )
        else:
            checks.append(_check("accredited", True, f"Accredited for {standard} in the sector codes applied for."))
    return checks


def _competence_checks(application: Application, standards: list[Standard], on: date) -> list[dict[str, Any]]:
    qualifications = [
        q
        for q in Qualification.objects.filter(
            auditor__certification_body=application.certification_body, auditor__active=True
        ).select_related("auditor", "standard")
        if q.valid_on(on)
    ]
    checks = []
    for standard in standards:
        mine = [q for q in qualifications if q.standard_id == standard.pk]
        missing = [c for c in application.sector_codes if not any(c in q.sector_codes for q in mine)]
        leads = [q for q in mine if q.role == QualificationRole.LEAD_AUDITOR]
        if missing:
            checks.append(
                _check(
                    "no_competent_auditor",
                    False,
                    f"No qualified auditor for {standard} in IAF sector code(s) {', '.join(map(str, missing))}.",
                )
            )
        elif not leads:
            checks.append(_check("no_lead_auditor", False, f"No qualified lead auditor for {standard}."))
        else:
            checks.append(_check("competent", True, f"Qualified auditors exist for {standard} and every sector code."))
    return checks


def _transfer_checks(application: Application, on: date) -> list[dict[str, Any]]:
    """IAF MD 2 pre-transfer review: accredited issuing CB, valid and not suspended certification."""
    details = application.transfer_details
    checks = []
    if not details.get("issuing_cb_accredited"):
        checks.append(
            _check(
                "transfer_not_accredited",
                False,
                "Only certification under an accreditation of an IAF MLA signatory can be transferred (IAF MD 2); "
                "treat the client as a new client.",
            )
        )
    if details.get("suspended"):
        checks.append(
            _check("transfer_suspended", False, "A suspended certification cannot be transferred (IAF MD 2).")
        )
    try:
        expires = date.fromisoformat(str(details.get("expires_on")))
    except ValueError:
        checks.append(_check("transfer_expiry", False, "Give the certificate's expiry date as YYYY-MM-DD."))
    else:
        if expires < on:
            checks.append(_check("transfer_expired", False, f"The certificate expired on {expires}."))
    if all(c["ok"] for c in checks):
        checks.append(_check("transfer_eligible", True, "Pre-transfer review passed (IAF MD 2)."))
    return checks


@transaction.atomic
def application_review(*, actor: Actor, application: Application, on: date | None = None) -> ApplicationReview:
    """Review an application: accreditation, competence, audit time (rules engine, with trace), sampling,
    quotation per audit of the cycle. Every check is stored with its reason."""
    cb = application.certification_body
    if not has_cb_role(actor, cb.pk, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can review applications.")
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise Conflict(f"This application is already {application.get_status_display().lower()}.")
    on = on or timezone.localdate()
    settings = cb_settings_get(cb)
    standards = list(application.standards.order_by("code"))
    sites = list(application.sites.all())
    checks = _accreditation_checks(application, standards, on) + _competence_checks(application, standards, on)
    if application.is_transfer:
        checks += _transfer_checks(application, on)
    personnel, personnel_trace = _personnel(sites)
    audit_time: dict[str, Any] = {}
    quotation: list[dict[str, Any]] = []
    try:
        result = compute_audit_time(
            AuditTimeRequest(
                standards=tuple(s.code for s in standards), personnel=personnel, complexity=application.complexity
            ),
            settings.rule_settings(),
        )
    except DomainError as exc:
        checks.append(_check("audit_time_unavailable", False, f"Audit time cannot be computed: {exc}."))
    else:
        audit_time = result.as_dict()
        audit_time["personnel_trace"] = personnel_trace
        stage1 = round_half_day(Fraction(result.initial_days) * settings.stage1_fraction)
        quotation = [
            {"audit": "stage1", "days": str(stage1)},
            {"audit": "stage2", "days": str(result.initial_days - stage1)},
            {"audit": "surveillance1", "days": str(result.surveillance_days)},
            {"audit": "surveillance2", "days": str(result.surveillance_days)},
            {"audit": "recertification", "days": str(result.recertification_days)},
        ]
        checks.append(_check("audit_time", True, f"Initial audit time {result.initial_days} days (IAF MD 5)."))
    others = [s for s in sites if not s.is_headquarters]
    sampling: dict[str, Any] = {}
    if len(others) > 1:
        sampling = sample_sizes(len(others)).as_dict()
    review = ApplicationReview.objects.create(
        application=application,
        reviewer=acting_user(actor),
        ok=all(c["ok"] for c in checks),
        checks=checks,
        audit_time=audit_time,
        sampling=sampling,
        quotation=quotation,
        effective_personnel=personnel,
    )
    application.status = ApplicationStatus.REVIEWED
    application.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="application.review",
        obj=application,
        after={"ok": review.ok, "failed": [c["message"] for c in checks if not c["ok"]], "quotation": quotation},
        certification_body_id=cb.pk,
        organization_id=application.organization_id,
    )
    return review


def latest_review(application: Application) -> ApplicationReview | None:
    return application.reviews.order_by("-created_at", "-id").first()


@transaction.atomic
def application_mark_accepted(*, actor: Actor, application: Application) -> ApplicationReview:
    """Mark a reviewed application accepted and return the review it rests on. Called by
    conformo.certification's `application_accept`, which opens the certification record and its programme."""
    if not has_cb_role(actor, application.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can accept applications.")
    if application.status != ApplicationStatus.REVIEWED:
        raise Conflict("Review the application before accepting it.", code="not_reviewed")
    review = latest_review(application)
    if review is None or not review.ok:
        reasons = "; ".join(c["message"] for c in (review.checks if review else []) if not c["ok"])
        raise Conflict(f"The review found problems that must be solved first: {reasons}", code="review_failed")
    application.status = ApplicationStatus.ACCEPTED
    application.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="application.accept",
        obj=application,
        before={"status": ApplicationStatus.REVIEWED},
        after={"status": ApplicationStatus.ACCEPTED},
        certification_body_id=application.certification_body_id,
        organization_id=application.organization_id,
    )
    return review


@transaction.atomic
def application_decline(*, actor: Actor, application: Application, reason: str) -> Application:
    """Decline an application; the reason is recorded and shown to the client (17021-1 9.1.2)."""
    if not has_cb_role(actor, application.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can decline applications.")
    if application.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        raise Conflict(f"This application is already {application.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationFailed(
            "Give the reason for declining; the client will see it.", fields={"reason": ["Required."]}
        )
    before = application.status
    application.status = ApplicationStatus.DECLINED
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decision_reason", "updated_at"])
    audit_log_record(
        actor=actor,
        action="application.decline",
        obj=application,
        before={"status": before},
        after={"status": application.status, "reason": application.decision_reason},
        certification_body_id=application.certification_body_id,
        organization_id=application.organization_id,
    )
    return application


def client_may_view(user: Any, application: Application) -> bool:
    return has_org_role(user, application.organization_id, *CLIENTS)
