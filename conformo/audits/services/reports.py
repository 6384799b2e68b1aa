"""The audit report (ISO/IEC 17021-1 9.4.8; ISO/IEC 27006-1 for an ISMS) and the stage 1 report (9.3.1.2),
one document with a kind.

The lead auditor drafts and issues it; each team member writes their own section of the draft. Issuing
freezes the report with what it states of the audit (the CB, the client, dates, sites, team, the findings with
their clauses and evidence): from then on the report is immutable and the audit's findings are locked
(`finding_change_refusal`). A correction is a new revision with its reason (`report_revise`), issued in turn.
A completed audit without an issued report is "report due" `CBSettings.report_due_days` after its completion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits import notices
from conformo.audits.choices import AuditKind, AuditStatus, FindingStatus, ReportKind, ReportStatus
from conformo.audits.models import Audit, AuditReport, CBSettings
from conformo.audits.services.common import SURVEILLANCE_KINDS, is_lead, log_programme, on_team
from conformo.core.actors import Actor, acting_user
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed

TEXT_FIELDS = (
    "representative",
    "objectives",
    "criteria",
    "scope",
    "places",
    "deviations",
    "significant_issues",
    "conclusions",
    "surveillance_review",
    "conditions",
    "soa_version",
    "stage2_focus",
)
CHOICE_FIELDS = ("recommendation", "scope_appropriate", "objectives_met", "stage2_ready")
FIELDS = (*TEXT_FIELDS, *CHOICE_FIELDS)
RECOMMENDATIONS: dict[str, set[str]] = {
    AuditKind.STAGE_2: {"grant", "refuse"},
    AuditKind.SURVEILLANCE_1: {"continue", "suspend"},
    AuditKind.SURVEILLANCE_2: {"continue", "suspend"},
    AuditKind.RECERTIFICATION: {"renew", "refuse"},
    AuditKind.TRANSFER_REVIEW: {"grant", "refuse"},
    AuditKind.SPECIAL: {"grant", "continue", "renew", "suspend", "refuse"},
    AuditKind.TRANSITION: {"transition", "continue", "suspend"},
}
TRANSITION_RECOMMENDATION = "transition"
"""A surveillance or recertification audit combined with a transition may also recommend the move to the new
edition (conformo.domain.transitions)."""


def report_kind_for(audit: Audit) -> str:
    return ReportKind.STAGE_1 if audit.kind == AuditKind.STAGE_1 else ReportKind.AUDIT


def is_isms(audit: Audit) -> bool:
    return bool(audit.programme.standards.filter(code__contains="27001").exists())


def report_current(audit: Audit) -> AuditReport | None:
    """The issued revision (None before the first issue)."""
    return audit.reports.filter(status=ReportStatus.ISSUED).first()


def report_draft_of(audit: Audit) -> AuditReport | None:
    return audit.reports.filter(status=ReportStatus.DRAFT).first()


def report_is_issued(audit: Audit) -> bool:
    return bool(audit.reports.exclude(status=ReportStatus.DRAFT).exists())


def report_due_days_by_cb(certification_body_ids: Iterable[int]) -> dict[int, int]:
    """Each CB's `report_due_days` (the default for a CB without settings), in one query, read without creating
    the settings (a read stays a read)."""
    ids = set(certification_body_ids)
    default = int(CBSettings._meta.get_field("report_due_days").get_default())
    found = dict(
        CBSettings.objects.filter(certification_body_id__in=ids).values_list("certification_body_id", "report_due_days")
    )
    return {cb_id: int(found.get(cb_id, default)) for cb_id in ids}


def _report_due_days(certification_body_id: int) -> int:
    return report_due_days_by_cb([certification_body_id])[certification_body_id]


def report_due_on(audit: Audit) -> date | None:
    """When the report of a completed audit is due (`CBSettings.report_due_days` after completion), or None
    when no report is due: the audit is not completed, or its report is issued."""
    if audit.status != AuditStatus.COMPLETED or audit.completed_on is None or report_is_issued(audit):
        return None
    days = _report_due_days(audit.programme.certification_body_id)
    return audit.completed_on + timedelta(days=days)


def report_due_dates(audits: list[Audit], certification_body: Any) -> dict[int, date]:
    """`report_due_on` for a list of one CB's audits in two queries: audit pk → the date its report is due."""
    completed = [a for a in audits if a.status == AuditStatus.COMPLETED and a.completed_on is not None]
    if not completed:
        return {}
    issued = set(
        AuditReport.objects.filter(audit__in=completed)
        .exclude(status=ReportStatus.DRAFT)
        .values_list("audit_id", flat=True)
    )
    days = _report_due_days(certification_body.pk)
    return {a.pk: a.completed_on + timedelta(days=days) for a in completed if a.pk not in issued and a.completed_on}


def _require_lead(actor: Actor, audit: Audit, action: str) -> None:
    if not is_lead(actor, audit):
        raise PermissionDenied(f"Only the audit's lead auditor can {action}.")


def _draft(audit: Audit) -> AuditReport:
    report = report_draft_of(audit)
    if report is None:
        if report_current(audit) is not None:
            raise Conflict(
                "The report is issued and can no longer change; revise it with the reason for the correction.",
                code="report_issued",
            )
        raise Conflict("Draft the audit report first.", code="report_missing")
    return report


@transaction.atomic
def report_draft(*, actor: Actor, audit: Audit) -> AuditReport:
    """Open the report of a started or completed audit as a draft, filled from the issued audit plan (or the
    programme): objectives, criteria, scope."""
    _require_lead(actor, audit, "draft the audit report")
    if audit.status not in (AuditStatus.IN_PROGRESS, AuditStatus.COMPLETED):
        raise Conflict("The report is drafted once the audit has started.", code="audit_not_started")
    if audit.reports.exists():
        raise Conflict("This audit already has a report.", code="report_exists")
    plan = audit.plans.filter(status="issued").first()
    programme = audit.programme
    standards = ", ".join(s.designation for s in programme.standards.order_by("code"))
    report = AuditReport.objects.create(
        audit=audit,
        kind=report_kind_for(audit),
        revision=1,
        objectives=plan.objectives if plan else f"Determine the conformity of the management system with {standards}.",
        criteria=plan.criteria if plan else standards,
        scope=plan.scope if plan else programme.scope,
    )
    log_programme(actor, "audit_report.draft", report, programme, after={"revision": 1, "kind": report.kind})
    return report


def _clean(report: AuditReport, values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown report fields: {', '.join(sorted(unknown))}.")
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in TEXT_FIELDS:
            cleaned[name] = str(value or "").strip()
        elif name == "recommendation":
            value = str(value or "")
            allowed = set(RECOMMENDATIONS.get(report.audit.kind, set()))
            if report.audit.transition_id is not None:
                allowed.add(TRANSITION_RECOMMENDATION)
            if value and value not in allowed:
                raise ValidationFailed(
                    f"A {report.audit.get_kind_display().lower()} report recommends one of: "
                    f"{', '.join(sorted(allowed)) or 'nothing'}.",
                    fields={"recommendation": ["Not for this audit."]},
                )
            cleaned[name] = value
        else:
            cleaned[name] = None if value is None or value == "" else bool(value)
    for name in ("objectives", "criteria", "scope"):
        if name in cleaned and not cleaned[name]:
            raise ValidationFailed(f"The report needs its {name}.", fields={name: ["Required."]})
    return cleaned


@transaction.atomic
def report_update(*, actor: Actor, audit: Audit, **values: Any) -> AuditReport:
    """The lead auditor edits the draft (an issued report never changes: `report_revise`)."""
    _require_lead(actor, audit, "edit the audit report")
    report = _draft(audit)
    cleaned = _clean(report, values)
    before = {name: getattr(report, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(report, name, value)
    report.save()
    log_programme(
        actor,
        "audit_report.update",
        report,
        audit.programme,
        before=before,
        after={"revision": report.revision, **cleaned},
    )
    return report


@transaction.atomic
def report_section_write(*, actor: Actor, audit: Audit, text: str) -> AuditReport:
    """A team member writes (or rewrites) their own section of the draft; an empty text removes it."""
    user = acting_user(actor)
    member = audit.team.select_related("auditor__user").filter(auditor__user=user).first() if user else None
    if member is None or not on_team(actor, audit):
        raise PermissionDenied("Only a member of the audit team can write a section of its report.")
    report = _draft(audit)
    key = str(member.auditor.public_id)
    sections = [s for s in report.sections if s["auditor_id"] != key]
    if text.strip():
        sections.append({"auditor_id": key, "name": str(member.auditor), "text": text.strip()})
    report.sections = sorted(sections, key=lambda s: s["name"])
    report.save(update_fields=["sections", "updated_at"])
    log_programme(
        actor, "audit_report.section", report, audit.programme, after={"revision": report.revision, "text": text}
    )
    return report


def report_facts(audit: Audit) -> dict[str, Any]:
    """What the report states of the audit itself, frozen at issue: the CB, the client, the audit's type,
    dates, sites and team, and its findings (withdrawn ones left out) with clauses and evidence."""
    programme = audit.programme
    findings = (
        audit.findings.exclude(status=FindingStatus.WITHDRAWN)
        .prefetch_related("clauses__standard")
        .order_by("reference", "created_at")
    )
    return {
        "certification_body": programme.certification_body.name,
        "client": programme.organization.legal_name,
        "audit": audit.get_kind_display(),
        "standards": [s.designation for s in programme.standards.order_by("code")],
        "dates": [
            (audit.started_on or audit.planned_start or audit.completed_on or timezone.localdate()).isoformat(),
            (audit.completed_on or audit.planned_end or timezone.localdate()).isoformat(),
        ],
        "sites": sorted(s.name for s in audit.sites.all()),
        "team": [
            {"name": str(m.auditor), "role": m.get_role_display()} for m in audit.team.select_related("auditor__user")
        ],
        "findings": [
            {
                "reference": f.reference,
                "grade": f.get_grade_display(),
                "statement": f.statement,
                "evidence": f.evidence,
                "clauses": [c.reference for c in f.clauses.all()],
            }
            for f in findings
        ],
    }


def _require_complete(report: AuditReport, audit: Audit) -> None:
    missing: dict[str, list[str]] = {}
    if not report.conclusions:
        missing["conclusions"] = ["Required."]
    if report.kind == ReportKind.STAGE_1:
        if report.stage2_ready is None:
            missing["stage2_ready"] = ["Say whether the client is ready for stage 2 (9.3.1.2)."]
        if not report.stage2_focus:
            missing["stage2_focus"] = ["Say what stage 2 must cover."]
    else:
        if not report.recommendation:
            missing["recommendation"] = ["Required (9.4.8)."]
        if report.objectives_met is None:
            missing["objectives_met"] = ["Required."]
        if report.scope_appropriate is None:
            missing["scope_appropriate"] = ["Required."]
        if audit.kind in SURVEILLANCE_KINDS and not report.surveillance_review:
            missing["surveillance_review"] = ["Required for a surveillance or recertification audit."]
    if is_isms(audit) and not report.soa_version:
        missing["soa_version"] = ["Required for an ISMS audit (ISO/IEC 27006-1)."]
    if missing:
        raise ValidationFailed(
            "The report is not complete: " + ", ".join(name.replace("_", " ") for name in missing) + ".",
            fields=missing,
        )


@transaction.atomic
def report_issue(*, actor: Actor, audit: Audit) -> AuditReport:
    """The lead auditor issues the draft once the audit is completed; it is immutable from then on (a later
    revision supersedes it) and the audit's findings are locked."""
    _require_lead(actor, audit, "issue the audit report")
    if audit.status != AuditStatus.COMPLETED:
        raise Conflict("The report is issued once the audit is completed.", code="audit_not_completed")
    report = _draft(audit)
    _require_complete(report, audit)
    previous = report_current(audit)
    if previous is not None:
        previous.status = ReportStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    report.facts = report_facts(audit)
    report.status = ReportStatus.ISSUED
    report.issued_at = timezone.now()
    report.issued_by = acting_user(actor)
    report.save()
    log_programme(
        actor,
        "audit_report.issue",
        report,
        audit.programme,
        after={"revision": report.revision, "kind": report.kind, "recommendation": report.recommendation},
    )
    notices.report_issued(actor=actor, report=report)
    notices.decision_awaiting(actor=actor, certification_id=audit.programme.certification_id)
    return report


@transaction.atomic
def report_revise(*, actor: Actor, audit: Audit, reason: str) -> AuditReport:
    """Open the next revision of the issued report as a draft, copied from it, with the reason for the
    correction; the issued revision stays the client's until the new one is issued."""
    _require_lead(actor, audit, "revise the audit report")
    if not reason.strip():
        raise ValidationFailed("Say why the issued report is corrected.", fields={"reason": ["Required."]})
    if report_draft_of(audit) is not None:
        raise Conflict("A revision of the report is already in draft.", code="report_draft_open")
    issued = report_current(audit)
    if issued is None:
        raise Conflict("There is no issued report to revise.", code="report_not_issued")
    report = AuditReport.objects.create(
        audit=audit,
        kind=issued.kind,
        revision=issued.revision + 1,
        sections=issued.sections,
        revision_reason=reason.strip(),
        **{name: getattr(issued, name) for name in FIELDS},
    )
    log_programme(
        actor, "audit_report.revise", report, audit.programme, after={"revision": report.revision, "reason": reason}
    )
    return report
