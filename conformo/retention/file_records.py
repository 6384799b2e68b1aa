"""The certification file under the retention policy (ISO/IEC 17021-1 9.9): audit plans and reports, findings with
their responses and verifications, decisions, certificates, agreements and quotations (docs/rules.md R6–R8).

Each closes the day the client's certification ended (`ended_certifications`: withdrawn or refused — the day of
that decision; expired — its expiry date), except a superseded certificate revision (the day it was superseded),
an imported certificate without a certification (the day it was withdrawn or expired) and a quotation of a declined
application (the day the application was declined). A record of a running certification is never due.

All are anonymised, never deleted: their rows carry the figures an accreditation body asks for (audit days,
nonconformities per audit day, decision lead times, certificates by status) and other rows hold them by PROTECT
keys. Anonymising keeps kinds, grades, statuses, numbers, dates and amounts, and removes the client's and people's
names, contacts, free text and uploaded copies. A certificate keeps its number, revision, status, standards and
dates, so a verifier still gets "withdrawn", "expired" or "superseded" rather than a false "not found"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from conformo.audits.choices import ApplicationStatus
from conformo.audits.models import Agreement, Application, AuditPlan, AuditProgramme, AuditReport, Finding
from conformo.certificates.models import Certificate, CertificateStatus, StatusChange
from conformo.certificates.search import search_text
from conformo.certification.models import Decision
from conformo.core.models import AuditLogEntry
from conformo.fees.models import Quotation
from conformo.organizations.models import CertificationBody
from conformo.retention.records import REMOVED, Candidate, ended_certifications, redact_audit_log


def _ended(cb: CertificationBody, cutoff: date, today: date) -> dict[int, date]:
    """The CB's certifications that ended on or before `cutoff` (and have ended on `today`)."""
    return {pk: day for pk, day in ended_certifications(cb, today).items() if day <= cutoff}


def _organization(programme: Any) -> str:
    return str(programme.organization.legal_name)


# --- audit plans and reports -------------------------------------------------------------------------------


def _audit_plans(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = _ended(cb, cutoff, today)
    rows = AuditPlan.objects.filter(audit__programme__certification_id__in=list(ended)).select_related(
        "audit__programme__organization"
    )
    for plan in rows:
        programme = plan.audit.programme
        title = f"Audit plan v{plan.version} of the {plan.audit.get_kind_display()} ({plan.created_at:%Y-%m-%d})"
        yield Candidate(plan, ended[programme.certification_id], title, _organization(programme))


def _anonymise_plan(plan: Any) -> None:
    for field in ("objectives", "scope", "criteria"):
        setattr(plan, field, REMOVED)
    plan.remote_use = REMOVED if plan.remote_use else ""
    plan.change_note = REMOVED if plan.change_note else ""
    plan.timetable, plan.facts, plan.changes = [], {}, []
    plan.issued_by = plan.accepted_by = None
    plan.save()
    audit = plan.audit
    if audit.plan_notes:
        audit.plan_notes = REMOVED
        audit.save(update_fields=["plan_notes"])
    for objection in plan.objections.all():
        objection.reason = REMOVED
        objection.resolution_note = REMOVED if objection.resolution_note else ""
        objection.save(update_fields=["reason", "resolution_note"])
        redact_audit_log(objection)


def _audit_reports(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = _ended(cb, cutoff, today)
    rows = AuditReport.objects.filter(audit__programme__certification_id__in=list(ended)).select_related(
        "audit__programme__organization"
    )
    for report in rows:
        programme = report.audit.programme
        title = f"Audit report rev. {report.revision} of the {report.audit.get_kind_display()}"
        yield Candidate(report, ended[programme.certification_id], title, _organization(programme))


REPORT_TEXTS = (
    "places",
    "deviations",
    "significant_issues",
    "conclusions",
    "surveillance_review",
    "conditions",
    "stage2_focus",
    "revision_reason",
)


def _anonymise_report(report: Any) -> None:
    report.representative = ""
    report.objectives = report.criteria = report.scope = REMOVED
    for field in REPORT_TEXTS:
        setattr(report, field, REMOVED if getattr(report, field) else "")
    report.sections, report.facts = [], {}
    report.issued_by = None
    report.save()
    audit = report.audit
    if audit.summary:
        audit.summary = REMOVED
        audit.save(update_fields=["summary"])


# --- findings with their responses and verifications -------------------------------------------------------


def _findings(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = _ended(cb, cutoff, today)
    rows = Finding.objects.filter(audit__programme__certification_id__in=list(ended)).select_related(
        "audit__programme__organization"
    )
    for finding in rows:
        programme = finding.audit.programme
        title = f"Finding {finding.reference or finding.pk} ({finding.get_grade_display()})"
        yield Candidate(finding, ended[programme.certification_id], title, _organization(programme))


def _anonymise_finding(finding: Any) -> None:
    finding.statement = REMOVED
    finding.evidence = REMOVED if finding.evidence else ""
    finding.withdrawal_reason = REMOVED if finding.withdrawal_reason else ""
    finding.raised_by = None
    finding.save(update_fields=["statement", "evidence", "withdrawal_reason", "raised_by"])
    for response in finding.responses.all():
        response.correction = response.root_cause = response.corrective_action = REMOVED
        response.review_comment = REMOVED if response.review_comment else ""
        response.submitted_by = response.reviewed_by = None
        response.save()
        redact_audit_log(response)
    for verification in finding.verifications.all():
        verification.notes = REMOVED if verification.notes else ""
        verification.verified_by = None
        verification.save(update_fields=["notes", "verified_by"])
        redact_audit_log(verification)


# --- decisions ---------------------------------------------------------------------------------------------


def _decisions(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = _ended(cb, cutoff, today)
    rows = Decision.objects.filter(certification_id__in=list(ended)).select_related("certification__organization")
    for decision in rows:
        title = f"Decision to {decision.get_kind_display().lower()} of {decision.decided_on:%Y-%m-%d}"
        organization = decision.certification.organization.legal_name
        yield Candidate(decision, ended[decision.certification_id], title, organization)


def _anonymise_decision(decision: Any) -> None:
    decision.reason = REMOVED if decision.reason else ""
    decision.scope_before = REMOVED if decision.scope_before else ""
    decision.scope_after = REMOVED if decision.scope_after else ""
    decision.decided_by = None
    decision.save(update_fields=["reason", "scope_before", "scope_after", "decided_by"])
    # Decisions are logged on their certification (`certification.<kind>`, with the reason): redact those too.
    redact_audit_log(decision.certification)


# --- certificates ------------------------------------------------------------------------------------------


def _certificate_closed_on(
    certificate: Any, ended: dict[int, date], withdrawn: dict[int, date], today: date
) -> date | None:
    if certificate.superseded_on is not None:
        return certificate.superseded_on
    if certificate.certification_id is not None:
        return ended.get(certificate.certification_id)
    if certificate.status == CertificateStatus.WITHDRAWN:
        return withdrawn.get(certificate.pk, certificate.expires_on)
    return certificate.expires_on if certificate.expires_on < today else None


def _certificates(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = _ended(cb, cutoff, today)
    unlinked = Q(certification__isnull=True) & (Q(expires_on__lte=cutoff) | Q(status=CertificateStatus.WITHDRAWN))
    rows = Certificate.objects.filter(
        Q(superseded_on__lte=cutoff) | Q(certification_id__in=list(ended)) | unlinked, certification_body=cb
    )
    withdrawn = {
        row["certificate_id"]: row["day"]
        for row in StatusChange.objects.filter(
            certificate__certification_body=cb, certificate__certification__isnull=True, status_after="withdrawn"
        )
        .values("certificate_id")
        .annotate(day=Max("on"))
    }
    for certificate in rows:
        closed_on = _certificate_closed_on(certificate, ended, withdrawn, today)
        if closed_on is not None and closed_on <= cutoff:
            title = f"Certificate {certificate.number}"
            yield Candidate(certificate, closed_on, title, "")


def _anonymise_certificate(certificate: Any) -> None:
    certificate.holder_name = REMOVED
    certificate.holder_address = ""
    certificate.holder_identifier = ""
    certificate.sites, certificate.scope_lines = [], []
    certificate.scope = REMOVED
    certificate.search_text = search_text(certificate.number, "")  # found by number, never by name
    certificate.save(
        update_fields=[
            "holder_name",
            "holder_address",
            "holder_identifier",
            "sites",
            "scope_lines",
            "scope",
            "search_text",
        ]
    )
    for change in certificate.status_changes.all():
        change.reason = REMOVED if change.reason else ""
        change.actor = None
        change.save(update_fields=["reason", "actor"])


# --- agreements and quotations -----------------------------------------------------------------------------


def _application_closed(cb: CertificationBody, cutoff: date, today: date) -> dict[int, date]:
    """Each application whose cycle closed on or before `cutoff`: through a programme of an ended certification
    (the latest such end), or declined (the day of its `application.decline` audit-log entry)."""
    ended = _ended(cb, cutoff, today)
    closed: dict[int, date] = {}
    programmes = AuditProgramme.objects.filter(certification_id__in=list(ended), application__isnull=False)
    for application_id, certification_id in programmes.values_list("application_id", "certification_id"):
        closed[application_id] = max(closed.get(application_id, date.min), ended[certification_id])
    declined = {
        int(row["object_id"]): row["day"].date()
        for row in AuditLogEntry.objects.filter(
            action="application.decline", object_type="audits.application", certification_body=cb
        )
        .values("object_id")
        .annotate(day=Max("at"))
    }
    for application in Application.objects.filter(certification_body=cb, status=ApplicationStatus.DECLINED):
        day = declined.get(application.pk) or application.updated_at.date()
        if day <= cutoff:
            closed[application.pk] = day
    return closed


def _agreements(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    closed = _application_closed(cb, cutoff, today)
    rows = Agreement.objects.filter(application_id__in=list(closed)).select_related("application__organization")
    for agreement in rows:
        title = f"Agreement accepted {agreement.accepted_at:%Y-%m-%d}"
        yield Candidate(
            agreement, closed[agreement.application_id], title, agreement.application.organization.legal_name
        )


def _anonymise_agreement(agreement: Any) -> None:
    storage, name = agreement.signed_copy.storage, agreement.signed_copy.name
    agreement.signed_copy = ""
    agreement.signed_copy_name = ""
    agreement.accepted_by = agreement.recorded_by = None
    agreement.ip_address = None
    agreement.save(update_fields=["signed_copy", "signed_copy_name", "accepted_by", "recorded_by", "ip_address"])
    if name:
        # The signed copy goes once the transaction has committed: a run rolled back leaves it in place.
        transaction.on_commit(lambda: storage.delete(name))


def _quotations(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    closed = _application_closed(cb, cutoff, today)
    rows = Quotation.objects.filter(certification_body=cb, application_id__in=list(closed)).select_related(
        "organization"
    )
    for quotation in rows:
        title = f"Quotation {quotation.number} of {quotation.created_at:%Y-%m-%d}"
        yield Candidate(quotation, closed[quotation.application_id], title, quotation.organization.legal_name)


def _anonymise_quotation(quotation: Any) -> None:
    quotation.facts = {}
    quotation.created_by = None
    quotation.save(update_fields=["facts", "created_by"])
