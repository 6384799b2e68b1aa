"""Application and review (ISO/IEC 17021-1 9.1.1, 9.1.2): submit, review with the rules engine, accept
(which creates the 3-year programme) or decline with reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from conformo.audits.choices import ApplicationStatus, QualificationRole
from conformo.audits.models import (
    Accreditation,
    Application,
    ApplicationReview,
    AuditTimeDetermination,
    Qualification,
    ScopeLine,
)
from conformo.audits.services.determinations import application_determination_record, determination_of
from conformo.audits.services.qualifications import read_qualifications
from conformo.audits.services.setup import check_sector_codes
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import CLIENTS, MANAGERS, has_cb_role, has_org_role
from conformo.domain.determination import Choices, Method
from conformo.domain.trace import fmt
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
    # The free text becomes the first scope lines, one per standard for all sites; the client or the CB then
    # structures them (`application_scope_set`).
    ScopeLine.objects.bulk_create(
        ScopeLine(
            application=application,
            standard=standard,
            activity=application.scope,
            sector_codes=application.sector_codes,
            position=n,
        )
        for n, standard in enumerate(sorted(standards, key=lambda s: s.code))
    )
    audit_log_record(
        actor=actor,
        action="application.submit",
        obj=application,
        after={"standards": [s.code for s in standards], "sector_codes": application.sector_codes, "scope": scope},
        certification_body_id=certification_body.pk,
        organization_id=organization.pk,
    )
    return application


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
        reading.qualification
        for reading in read_qualifications(
            Qualification.objects.filter(
                auditor__certification_body=application.certification_body, auditor__active=True
            ).select_related("auditor", "standard"),
            on,
        )
        if reading.current
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


def _audit_time_check(determination: AuditTimeDetermination) -> dict[str, Any]:
    result = determination.result
    rows = {row["audit"]: row for row in result["audits"]}
    if "stage1" in rows:
        text = (
            f"Initial audit time {fmt(Decimal(str(result['initial_days'])))} days (stage 1 "
            f"{fmt(Decimal(str(rows['stage1']['days'])))} + stage 2 {fmt(Decimal(str(rows['stage2']['days'])))})"
        )
    else:
        text = "Audit time determined"
    if result["method"] != Method.SINGLE.value:
        others = sum(1 for site in result["sites"] if not site["central"])
        text += f"; the central function and {len(rows.get('stage2', {}).get('sites', [])) - 1} of {others} sites"
    return _check("audit_time", True, f"{text} (IAF MD 5{', MD 1' if result['method'] != 'single' else ''}).")


@transaction.atomic
def application_review(
    *,
    actor: Actor,
    application: Application,
    on: date | None = None,
    determination: AuditTimeDetermination | None = None,
) -> ApplicationReview:
    """Review an application: accreditation, competence, the audit-time determination (the one given, else the
    application's current one, else one made with the defaults) and the quotation per audit of the cycle.
    Every check is stored with its reason."""
    cb = application.certification_body
    if not has_cb_role(actor, cb.pk, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can review applications.")
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise Conflict(f"This application is already {application.get_status_display().lower()}.")
    on = on or timezone.localdate()
    standards = list(application.standards.order_by("code"))
    checks = _accreditation_checks(application, standards, on) + _competence_checks(application, standards, on)
    if application.is_transfer:
        checks += _transfer_checks(application, on)
    determination = determination or determination_of(application)
    if determination is None:
        try:
            determination = application_determination_record(actor=actor, application=application)
        except ValidationFailed as exc:
            checks.append(_check("audit_time_unavailable", False, f"Audit time cannot be determined: {exc.message}"))
    audit_time: dict[str, Any] = {}
    sampling: dict[str, Any] = {}
    quotation: list[dict[str, Any]] = []
    personnel = Decimal(0)
    if determination is not None:
        result = determination.result
        audit_time = {**result, "trace": determination.trace}
        if result["method"] != Method.SINGLE.value:
            least = result["minimum_samples"]
            sampling = {
                "method": result["method"],
                "sites": sum(1 for site in result["sites"] if not site["central"]),
                "initial": least["stage2"],
                "surveillance": least["surveillance1"],
                "recertification": least["recertification"],
                "central_function_included": True,
            }
        quotation = [{"audit": row["audit"], "days": str(row["days"])} for row in result["audits"]]
        personnel = Decimal(str(result["personnel"])).quantize(Decimal("0.01"))
        checks.append(_audit_time_check(determination))
    review = ApplicationReview.objects.create(
        application=application,
        reviewer=acting_user(actor),
        ok=all(c["ok"] for c in checks),
        checks=checks,
        audit_time=audit_time,
        sampling=sampling,
        quotation=quotation,
        effective_personnel=personnel,
        determination=determination,
    )
    application.status = ApplicationStatus.REVIEWED
    application.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="application.review",
        obj=application,
        after={
            "ok": review.ok,
            "failed": [c["message"] for c in checks if not c["ok"]],
            "quotation": quotation,
            "determination": str(determination.public_id) if determination else None,
        },
        certification_body_id=cb.pk,
        organization_id=application.organization_id,
    )
    return review


@transaction.atomic
def application_determine(
    *, actor: Actor, application: Application, choices: Choices, on: date | None = None
) -> ApplicationReview:
    """Record the CB's audit-time determination of the application (revisable until acceptance) and review the
    application with it (on `on`, today by default), so that the review and its quotation always follow the
    latest determination."""
    determination = application_determination_record(actor=actor, application=application, choices=choices)
    return application_review(actor=actor, application=application, on=on, determination=determination)


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
