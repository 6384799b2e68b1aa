"""Findings and their follow-up (17021-1 9.4.9, 9.4.10): raise, client response, the auditor's review of
the response, verification of effectiveness."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits import notices
from conformo.audits.choices import (
    NONCONFORMITY_GRADES,
    AuditKind,
    AuditStatus,
    FindingGrade,
    FindingStatus,
    ResponseStatus,
    VerificationMethod,
)
from conformo.audits.models import Audit, Finding, FindingAttachment, FindingResponse, Verification
from conformo.audits.services.common import check_upload
from conformo.audits.services.programmes import is_lead, on_team
from conformo.audits.services.setup import cb_settings_get
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import CLIENTS, MANAGERS, has_cb_role, has_org_role
from conformo.domain.nonconformity import Grade, finding_deadlines
from conformo.organizations.models import Site
from conformo.standards.clause_refs import clause_ref
from conformo.standards.models import Clause

DOMAIN_GRADE = {FindingGrade.MAJOR: Grade.MAJOR, FindingGrade.MINOR: Grade.MINOR}
STAGE1_GRADES = (FindingGrade.AREA_OF_CONCERN, FindingGrade.OFI, FindingGrade.POSITIVE)


def _log(actor: Actor, action: str, obj: Any, finding: Finding, **kwargs: Any) -> None:
    programme = finding.audit.programme
    audit_log_record(
        actor=actor,
        action=action,
        obj=obj,
        certification_body_id=programme.certification_body_id,
        organization_id=programme.organization_id,
        **kwargs,
    )


def _require_auditor(actor: Actor, audit: Audit, action: str) -> None:
    if not (on_team(actor, audit) or has_cb_role(actor, audit.programme.certification_body_id, *MANAGERS)):
        raise PermissionDenied(f"Only a member of this audit's team can {action}.")


def _validate(*, audit: Audit, grade: str, statement: str, clauses: list[Clause], site: Site | None) -> None:
    """The checks a finding passes whether raised or edited: its grade fits the audit, it is stated, it cites
    clauses or controls of the programme's standards (at least one for a nonconformity), its site is the
    client's."""
    if grade not in FindingGrade.values:
        raise ValidationFailed(
            f"Grade must be one of: {', '.join(FindingGrade.values)}.", fields={"grade": ["Invalid."]}
        )
    if audit.kind == AuditKind.STAGE_1 and grade not in STAGE1_GRADES:
        raise ValidationFailed(
            "Stage 1 records areas of concern (that could become nonconformities at stage 2), not nonconformities "
            "(ISO/IEC 17021-1 9.3.1.2.3).",
            fields={"grade": ["Use area_of_concern, ofi or positive at stage 1."]},
        )
    if audit.kind != AuditKind.STAGE_1 and grade == FindingGrade.AREA_OF_CONCERN:
        raise ValidationFailed("Areas of concern are a stage 1 grade.", fields={"grade": ["Only at stage 1."]})
    if not statement.strip():
        raise ValidationFailed("State the finding.", fields={"statement": ["Required."]})
    programme = audit.programme
    allowed = set(programme.standards.values_list("pk", flat=True))
    if any(c.standard_id not in allowed for c in clauses):
        raise ValidationFailed(
            "Cite clauses of the standards in the programme's scope.", fields={"clauses": ["Out of scope."]}
        )
    if grade in NONCONFORMITY_GRADES and not clauses:
        raise ValidationFailed(
            "A nonconformity is recorded against a specific requirement: cite at least one clause or control "
            "(ISO/IEC 17021-1 9.4.8, findings with reference to the audit criteria; 3.12, 3.13).",
            code="nonconformity_without_clause",
            fields={"clauses": ["Cite at least one clause or control."]},
        )
    if site is not None and site.organization_id != programme.organization_id:
        raise ValidationFailed("The site must belong to the client.", fields={"site": ["Not the client's."]})


def _set_deadlines(finding: Finding) -> None:
    """Deadlines of a nonconformity from the rules engine (CB settings, clipped by the 6-month stage-2 and
    expiry hard stops), counted from the day it was raised; any other grade needs no response."""
    audit, grade = finding.audit, FindingGrade(finding.grade)
    if grade in DOMAIN_GRADE:
        programme = audit.programme
        expires = programme.expires_on if audit.kind == AuditKind.RECERTIFICATION else None
        stage2_end = finding.raised_on if audit.kind == AuditKind.STAGE_2 else None
        deadlines = finding_deadlines(
            DOMAIN_GRADE[grade],
            finding.raised_on,
            stage2_end=stage2_end,
            expires_on=expires,
            settings=cb_settings_get(programme.certification_body).rule_settings(),
        )
        finding.status = FindingStatus.OPEN
        finding.response_due = deadlines.response_due
        finding.verification_due = deadlines.verification_due
        finding.hard_stop = deadlines.hard_stop
        finding.deadlines = deadlines.as_dict()
    else:
        finding.status = FindingStatus.CLOSED
        finding.response_due = finding.verification_due = finding.hard_stop = None
        finding.deadlines = {}


@transaction.atomic
def finding_raise(
    *,
    actor: Actor,
    audit: Audit,
    grade: str,
    statement: str,
    evidence: str = "",
    clauses: list[Clause] | None = None,
    site: Site | None = None,
    raised_on: date | None = None,
) -> Finding:
    """Raise a finding at an audit in progress. Nonconformities cite at least one clause or control and get
    their response and verification deadlines from the rules engine (CB settings, clipped by the 6-month
    stage-2 and expiry hard stops)."""
    _require_auditor(actor, audit, "raise findings")
    if audit.status != AuditStatus.IN_PROGRESS:
        raise Conflict("Findings are raised while the audit is in progress.", code="audit_not_in_progress")
    clauses = clauses or []
    _validate(audit=audit, grade=grade, statement=statement, clauses=clauses, site=site)
    finding = Finding(
        audit=audit,
        grade=grade,
        statement=statement.strip(),
        evidence=evidence,
        site=site,
        raised_by=acting_user(actor),
        raised_on=raised_on or timezone.localdate(),
        reference=f"{audit.kind.upper()[:2]}{audit.sequence}-{audit.findings.count() + 1:02d}",
    )
    _set_deadlines(finding)
    finding.save()
    finding.clauses.set(clauses)
    _log(
        actor,
        "finding.raise",
        finding,
        finding,
        after={
            "grade": grade,
            "statement": finding.statement,
            "clauses": [clause_label(c) for c in clauses],
            "response_due": finding.response_due,
        },
    )
    notices.finding_raised(actor=actor, finding=finding)
    return finding


def clause_label(clause: Clause) -> str:
    """An unambiguous reference: `iso-iec-27001-2022:A.5.1` for an Annex A control, `...:5.1` for a clause."""
    return clause_ref(clause)


def finding_change_refusal(finding: Finding) -> str | None:
    """Why the audit team can no longer edit or withdraw `finding`, or None while it can.

    The findings are the audit team's until the audit report is issued (ISO/IEC 17021-1 9.4.8: the report,
    owned by the CB, states the findings; `services.reports.report_issue` freezes them into it). A cancelled
    audit's findings are on the record as they are."""
    if finding.status == FindingStatus.WITHDRAWN:
        return "This finding is withdrawn."
    if finding.audit.status == AuditStatus.CANCELLED:
        return (
            "The audit is cancelled: its findings are on the record and can no longer be edited or withdrawn "
            "(ISO/IEC 17021-1 9.4.8)."
        )
    if finding.audit.reports.exclude(status="draft").exists():
        return (
            "The audit's report is issued: its findings are on the record and can no longer be edited or "
            "withdrawn; correct them through a revision of the report (ISO/IEC 17021-1 9.4.8)."
        )
    return None


def finding_can_change(actor: Actor, finding: Finding) -> bool:
    """The lead auditor of the audit, or the team member who raised the finding."""
    user = acting_user(actor)
    if user is None:
        return False
    return is_lead(actor, finding.audit) or (finding.raised_by_id == user.pk and on_team(actor, finding.audit))


def _require_changeable(actor: Actor, finding: Finding, action: str) -> None:
    if not finding_can_change(actor, finding):
        raise PermissionDenied(
            f"Only the lead auditor or the team member who raised this finding can {action} it.",
            code="not_finding_author",
        )
    refusal = finding_change_refusal(finding)
    if refusal:
        raise Conflict(refusal, code="finding_locked")


def _snapshot(finding: Finding, clauses: list[Clause]) -> dict[str, Any]:
    return {
        "grade": finding.grade,
        "statement": finding.statement,
        "evidence": finding.evidence,
        "clauses": [clause_label(c) for c in clauses],
        "site": finding.site.name if finding.site else None,
        "status": finding.status,
        "response_due": finding.response_due,
    }


@transaction.atomic
def finding_edit(
    *,
    actor: Actor,
    finding: Finding,
    grade: str,
    statement: str,
    evidence: str = "",
    clauses: list[Clause] | None = None,
    site: Site | None = None,
) -> Finding:
    """Correct a finding before the audit report is issued (`finding_change_refusal`): grade, statement,
    evidence, clauses or controls, site. A new grade recomputes the deadlines from the day it was raised; the
    grade of a finding the client has answered stays. The audit log keeps the finding before and after."""
    _require_changeable(actor, finding, "edit")
    clauses = clauses or []
    _validate(audit=finding.audit, grade=grade, statement=statement, clauses=clauses, site=site)
    if grade != finding.grade and finding.responses.exists():
        raise Conflict("The client has answered this finding; its grade can no longer change.", code="finding_answered")
    before = _snapshot(finding, list(finding.clauses.select_related("standard")))
    regrade = grade != finding.grade
    finding.grade = grade
    finding.statement = statement.strip()
    finding.evidence = evidence
    finding.site = site
    if regrade:
        _set_deadlines(finding)
    finding.save()
    finding.clauses.set(clauses)
    _log(actor, "finding.edit", finding, finding, before=before, after=_snapshot(finding, clauses))
    if regrade:
        notices.finding_raised(actor=actor, finding=finding)  # regraded into a finding the client must answer
    return finding


@transaction.atomic
def finding_withdraw(*, actor: Actor, finding: Finding, reason: str) -> Finding:
    """Withdraw a finding raised in error, before the audit report is issued (`finding_change_refusal`). It
    stays on the record (its reference is not reused) with the reason, and no longer counts anywhere: no
    response is expected, it blocks no decision and proposes no suspension."""
    _require_changeable(actor, finding, "withdraw")
    if not reason.strip():
        raise ValidationFailed("Say why the finding is withdrawn.", fields={"reason": ["Required."]})
    before = {"status": finding.status, "grade": finding.grade, "statement": finding.statement}
    finding.status = FindingStatus.WITHDRAWN
    finding.withdrawn_on = timezone.localdate()
    finding.withdrawal_reason = reason.strip()
    finding.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "updated_at"])
    _log(actor, "finding.withdraw", finding, finding, before=before, after={"status": finding.status, "reason": reason})
    return finding


@transaction.atomic
def finding_respond(
    *,
    actor: Actor,
    finding: Finding,
    correction: str,
    root_cause: str,
    corrective_action: str,
    planned_completion: date | None = None,
) -> FindingResponse:
    """The client answers a nonconformity: correction, root cause, corrective action, dates (17021-1 9.4.9).

    The improvement log links to this for CB findings."""
    organization_id = finding.audit.programme.organization_id
    if not has_org_role(actor, organization_id, *CLIENTS):
        raise PermissionDenied("Only the audited organization can respond to its findings.")
    if not finding.needs_response:
        raise Conflict(f"A {finding.get_grade_display().lower()} needs no response.", code="no_response_needed")
    if finding.status != FindingStatus.OPEN:
        raise Conflict(
            f"This finding is '{finding.get_status_display()}'; a response is not expected now.",
            code="response_not_expected",
        )
    missing = {
        name: ["Required."]
        for name, value in (
            ("correction", correction),
            ("root_cause", root_cause),
            ("corrective_action", corrective_action),
        )
        if not value.strip()
    }
    if missing:
        raise ValidationFailed("Give the correction, the root cause and the corrective action.", fields=missing)
    response = FindingResponse.objects.create(
        finding=finding,
        correction=correction.strip(),
        root_cause=root_cause.strip(),
        corrective_action=corrective_action.strip(),
        planned_completion=planned_completion,
        submitted_by=acting_user(actor),
    )
    finding.status = FindingStatus.RESPONDED
    finding.save(update_fields=["status", "updated_at"])
    _log(
        actor,
        "finding.respond",
        finding,
        finding,
        before={"status": FindingStatus.OPEN},
        after={"status": finding.status, "response": response.pk},
    )
    notices.response_submitted(actor=actor, response=response)
    return response


@transaction.atomic
def finding_response_review(
    *, actor: Actor, response: FindingResponse, accept: bool, comment: str = ""
) -> FindingResponse:
    """The auditor accepts the response (for a minor: the plan is accepted) or rejects it with a reason."""
    finding = response.finding
    _require_auditor(actor, finding.audit, "review responses")
    if response.status != ResponseStatus.SUBMITTED or finding.status != FindingStatus.RESPONDED:
        raise Conflict("This response has already been reviewed.", code="already_reviewed")
    if not accept and not comment.strip():
        raise ValidationFailed(
            "Say why the response is rejected; the client will see it.", fields={"comment": ["Required."]}
        )
    response.status = ResponseStatus.ACCEPTED if accept else ResponseStatus.REJECTED
    response.reviewed_by = acting_user(actor)
    response.reviewed_at = timezone.now()
    response.review_comment = comment.strip()
    response.save()
    finding.status = FindingStatus.RESPONSE_ACCEPTED if accept else FindingStatus.OPEN
    finding.save(update_fields=["status", "updated_at"])
    _log(
        actor,
        "finding.response_accept" if accept else "finding.response_reject",
        finding,
        finding,
        before={"status": FindingStatus.RESPONDED},
        after={"status": finding.status, "comment": comment},
    )
    return response


@transaction.atomic
def finding_verify(
    *,
    actor: Actor,
    finding: Finding,
    method: str,
    effective: bool,
    notes: str = "",
    verified_on: date | None = None,
) -> Verification:
    """Verify the effectiveness of the corrective action, on site or by documents (17021-1 9.4.10).
    Not effective: the finding goes back to the client."""
    _require_auditor(actor, finding.audit, "verify findings")
    if method not in VerificationMethod.values:
        raise ValidationFailed(f"Method must be one of: {', '.join(VerificationMethod.values)}.")
    if finding.status != FindingStatus.RESPONSE_ACCEPTED:
        raise Conflict("Accept the client's response before verifying its effectiveness.", code="response_not_accepted")
    verified_on = verified_on or timezone.localdate()
    verification = Verification.objects.create(
        finding=finding,
        verified_by=acting_user(actor),
        method=method,
        effective=effective,
        notes=notes,
        verified_on=verified_on,
    )
    finding.status = FindingStatus.VERIFIED if effective else FindingStatus.OPEN
    finding.verified_on = verified_on if effective else None
    finding.save(update_fields=["status", "verified_on", "updated_at"])
    _log(
        actor,
        "finding.verify",
        finding,
        finding,
        before={"status": FindingStatus.RESPONSE_ACCEPTED},
        after={"status": finding.status, "method": method, "effective": effective},
    )
    return verification


@transaction.atomic
def finding_attach(*, actor: Actor, finding: Finding, file: Any, name: str = "") -> FindingAttachment:
    """Attach a file: objective evidence (the audit team) or evidence of the client's action (the client).
    Size and type are limited (`attachment_limits`)."""
    audit = finding.audit
    organization_id = audit.programme.organization_id
    if not (
        on_team(actor, audit)
        or has_cb_role(actor, audit.programme.certification_body_id, *MANAGERS)
        or has_org_role(actor, organization_id, *CLIENTS)
    ):
        raise PermissionDenied("Only the audit team or the audited organization can attach files to this finding.")
    check_upload(file)
    attachment = FindingAttachment.objects.create(
        finding=finding,
        file=file,
        name=(name.strip() or PurePath(file.name).name)[:200],
        uploaded_by=acting_user(actor),
    )
    _log(actor, "finding.attach", finding, finding, after={"attachment": attachment.name})
    return attachment
