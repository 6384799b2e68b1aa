"""The certification body's work: programme managers and administrators (applications, audits to plan, windows
at risk, objections), the auditors on an audit's team (audits coming up, responses to review, corrective actions
to verify), the lead auditor (the audit plan, the report) and the decision makers (files awaiting a decision)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from conformo.audits.choices import PlanStatus, QualificationRole
from conformo.audits.models import (
    Application,
    Audit,
    Auditor,
    AuditPlan,
    AuditProgramme,
    Finding,
    PlanObjection,
    TeamMember,
)
from conformo.audits.services import clients_in_transition, report_due_days_by_cb
from conformo.certification.selectors import awaiting_decision_reports
from conformo.competence.selectors import monitoring_due_auditors, with_witnessing, witness_due_of
from conformo.core.roles import Role
from conformo.domain.cycle import planning_horizon
from conformo.impartiality.models import Threat
from conformo.inbox.choices import LEAD_AUDITOR, ItemKind
from conformo.inbox.items import Context, InboxItem, Source

MANAGERS = (Role.PROGRAMME_MANAGER.value, Role.CB_ADMIN.value)
AUDITOR = Role.AUDITOR.value
DECISION_MAKER = Role.DECISION_MAKER.value

PREPARE_DAYS = 30
"""An audit is "coming up" for its team this many days before it starts (and overdue once its start has passed
without it being started)."""


def audit_label(audit: Audit) -> str:
    return audit.get_purpose_display() if audit.purpose else audit.get_kind_display()


def _audit_url(audit: Audit, anchor: str = "") -> str:
    return reverse("audits:audit-detail", args=[audit.public_id]) + (f"#{anchor}" if anchor else "")


def _audit_item(ctx: Context, audit: Audit, kind: ItemKind, title: str, role: str, **extra: Any) -> InboxItem:
    organization = audit.programme.organization
    due = extra.pop("due", audit.due_by)
    return InboxItem(
        kind=kind,
        title=title,
        role=role,
        url=extra.pop("url", _audit_url(audit)),
        organization=organization.legal_name,
        organization_id=organization.public_id,
        due=due,
        overdue=ctx.is_overdue(due),
        audit=audit_label(audit),
        audit_id=audit.public_id,
    )


# --- programme managers and CB administrators ------------------------------------------------------------


def _managed_audits(ctx: Context) -> Any:
    cbs = ctx.cbs(*MANAGERS)
    return Audit.objects.visible_to(ctx.user).filter(programme__certification_body_id__in=cbs) if cbs else None


def audits_to_plan_rows(ctx: Context) -> QuerySet[Audit] | None:
    audits = _managed_audits(ctx)
    return None if audits is None else audits.to_plan(ctx.today, planning_horizon(ctx.today))


def audits_to_plan_items(rows: QuerySet[Audit], ctx: Context) -> Iterable[InboxItem]:
    lead = TeamMember.objects.filter(audit=OuterRef("pk"), role=QualificationRole.LEAD_AUDITOR)
    for audit in rows.select_related("programme__organization").annotate(has_lead=Exists(lead)):
        missing = [
            part for part, gap in (("dates", audit.planned_start is None), ("lead auditor", not audit.has_lead)) if gap
        ]
        role = ctx.cb_role(audit.programme.certification_body_id, MANAGERS)
        yield _audit_item(ctx, audit, ItemKind.AUDIT_TO_PLAN, f"Plan the {' and '.join(missing)}", role)


def windows_at_risk_rows(ctx: Context) -> QuerySet[Audit] | None:
    audits = _managed_audits(ctx)
    return None if audits is None else audits.window_at_risk(ctx.today)


def windows_at_risk_items(rows: QuerySet[Audit], ctx: Context) -> Iterable[InboxItem]:
    for audit in rows.select_related("programme__organization"):
        if audit.due_by is not None and audit.planned_end is not None and audit.planned_end > audit.due_by:
            title = f"Planned to end {audit.planned_end:%Y-%m-%d}, after its due date: move it into its window"
        else:
            title = "Its due date has passed and it has not started: hold it or replan it"
        role = ctx.cb_role(audit.programme.certification_body_id, MANAGERS)
        yield _audit_item(ctx, audit, ItemKind.AUDIT_WINDOW_AT_RISK, title, role)


def transitions_at_risk_rows(ctx: Context) -> QuerySet[AuditProgramme] | None:
    """Programmes of a client still on an edition being replaced and at risk of missing the window
    (`conformo.audits.services.transitions.clients_in_transition`: no transition audit planned, planned after the
    end, or the end within the CB's `transition_risk_days`)."""
    cbs = ctx.cbs(*MANAGERS)
    if not cbs:
        return None
    at_risk = [row.programme.pk for row in clients_in_transition(list(cbs), ctx.today) if row.risk]
    return AuditProgramme.objects.visible_to(ctx.user).filter(pk__in=at_risk)


def transitions_at_risk_items(rows: QuerySet[AuditProgramme], ctx: Context) -> Iterable[InboxItem]:
    programmes = list(rows.select_related("organization"))
    cb_ids = sorted({p.certification_body_id for p in programmes})
    by_programme: dict[int, list[Any]] = {}
    for row in clients_in_transition(cb_ids, ctx.today, programme_ids=[p.pk for p in programmes]):
        if row.risk:
            by_programme.setdefault(row.programme.pk, []).append(row)
    for programme in programmes:
        found = by_programme.get(programme.pk, [])
        if not found:
            continue
        first = min(found, key=lambda r: r.ends_on)
        title = "; ".join(
            f"{r.transition.old_standard.designation} → {r.transition.new_standard.designation}: {r.risk}"
            for r in found
        )
        yield InboxItem(
            kind=ItemKind.TRANSITION_AT_RISK,
            title=title[:1].upper() + title[1:],
            role=ctx.cb_role(programme.certification_body_id, MANAGERS),
            url=reverse("audits:programme-detail", args=[programme.public_id]) + "#transition",
            organization=programme.organization.legal_name,
            organization_id=programme.organization.public_id,
            due=first.ends_on,
            overdue=ctx.is_overdue(first.ends_on),
        )


def _managed_applications(ctx: Context) -> Any:
    cbs = ctx.cbs(*MANAGERS)
    return Application.objects.visible_to(ctx.user).filter(certification_body_id__in=cbs) if cbs else None


def _application_items(rows: QuerySet[Application], ctx: Context, kind: ItemKind, title: str) -> Iterable[InboxItem]:
    for application in rows.select_related("organization"):
        yield InboxItem(
            kind=kind,
            title=title,
            role=ctx.cb_role(application.certification_body_id, MANAGERS),
            url=reverse("audits:application-detail", args=[application.public_id]),
            organization=application.organization.legal_name,
            organization_id=application.organization.public_id,
        )


def applications_to_review_rows(ctx: Context) -> QuerySet[Application] | None:
    applications = _managed_applications(ctx)
    return None if applications is None else applications.to_review()


def applications_to_review_items(rows: QuerySet[Application], ctx: Context) -> Iterable[InboxItem]:
    return _application_items(rows, ctx, ItemKind.APPLICATION_TO_REVIEW, "Review the application for certification")


def applications_to_accept_rows(ctx: Context) -> QuerySet[Application] | None:
    applications = _managed_applications(ctx)
    return None if applications is None else applications.to_accept()


def applications_to_accept_items(rows: QuerySet[Application], ctx: Context) -> Iterable[InboxItem]:
    return _application_items(rows, ctx, ItemKind.APPLICATION_TO_ACCEPT, "Accept or decline the reviewed application")


def objections_rows(ctx: Context) -> QuerySet[PlanObjection] | None:
    cbs = ctx.cbs(*MANAGERS)
    if not cbs:
        return None
    plans = AuditPlan.objects.visible_to(ctx.user).filter(audit__programme__certification_body_id__in=cbs)
    return PlanObjection.objects.open().filter(plan__in=plans)


def objections_items(rows: QuerySet[PlanObjection], ctx: Context) -> Iterable[InboxItem]:
    for objection in rows.select_related("plan__audit__programme__organization", "auditor__user"):
        audit = objection.plan.audit
        role = ctx.cb_role(audit.programme.certification_body_id, MANAGERS)
        title = f"The client objects to {objection.auditor}: replace the member or keep them with the reason"
        yield _audit_item(
            ctx,
            audit,
            ItemKind.OBJECTION_TO_RESOLVE,
            title,
            role,
            due=audit.planned_start,
            url=_audit_url(audit, "audit-plan"),
        )


# --- the CB administrator (its quality manager) ---------------------------------------------------------------


def impartiality_reviews_rows(ctx: Context) -> QuerySet[Threat] | None:
    """Open threats of the CB's impartiality register whose review is overdue (17021-1 5.2)."""
    cbs = ctx.cbs(Role.CB_ADMIN.value)
    if not cbs:
        return None
    return Threat.objects.visible_to(ctx.user).filter(certification_body_id__in=cbs).review_overdue(ctx.today)


def impartiality_reviews_items(rows: QuerySet[Threat], ctx: Context) -> Iterable[InboxItem]:
    for threat in rows.select_related("certification_body"):
        cb = threat.certification_body
        yield InboxItem(
            kind=ItemKind.IMPARTIALITY_REVIEW_DUE,
            title=f"Review “{threat.title}”",
            role=Role.CB_ADMIN.value,
            url=reverse("impartiality:threat-detail", args=[threat.public_id]),
            organization=cb.name,
            organization_id=cb.public_id,
            due=threat.review_due_on,
            overdue=ctx.is_overdue(threat.review_due_on),
        )


def monitoring_due_rows(ctx: Context) -> QuerySet[Auditor] | None:
    """Auditors whose on-site witnessing is overdue or due within the CB's notice (ISO/IEC 17021-1 7.2)."""
    cbs = ctx.cbs(*MANAGERS)
    return monitoring_due_auditors(cbs, ctx.today) if cbs else None


def monitoring_due_items(rows: QuerySet[Auditor], ctx: Context) -> Iterable[InboxItem]:
    known: dict[int, tuple[int, int]] = {}
    for auditor in with_witnessing(rows).select_related("user", "certification_body"):
        cb = auditor.certification_body
        due = witness_due_of(auditor, ctx.today, known)
        witnessed = getattr(auditor, "last_witnessed", None)  # an annotation of `with_witnessing`
        last = f"last witnessed {witnessed:%Y-%m-%d}" if witnessed else "never witnessed yet"
        yield InboxItem(
            kind=ItemKind.MONITORING_DUE,
            title=f"Witness {auditor} on an audit ({last})",
            role=ctx.cb_role(cb.pk, MANAGERS),
            url=f"{reverse('competence:monitoring')}?cb={cb.public_id}",
            organization=cb.name,
            organization_id=cb.public_id,
            due=due.due_on,
            overdue=ctx.is_overdue(due.due_on),
        )


# --- auditors on the team, the lead auditor ------------------------------------------------------------------


def _team_audits(ctx: Context, *, lead: bool) -> Any:
    cbs = ctx.cbs(AUDITOR)
    if not cbs:
        return None
    audits = Audit.objects.visible_to(ctx.user).filter(programme__certification_body_id__in=cbs)
    if lead:
        return audits.filter(team__auditor__user=ctx.user, team__role=QualificationRole.LEAD_AUDITOR)
    return audits.filter(team__auditor__user=ctx.user)


def plans_to_prepare_rows(ctx: Context) -> QuerySet[Audit] | None:
    audits = _team_audits(ctx, lead=True)
    return None if audits is None else audits.plan_to_prepare(ctx.today)


def plans_to_prepare_items(rows: QuerySet[Audit], ctx: Context) -> Iterable[InboxItem]:
    issued = AuditPlan.objects.filter(audit=OuterRef("pk"), status=PlanStatus.ISSUED)
    for audit in rows.select_related("programme__organization").annotate(has_issued=Exists(issued)):
        title = (
            "Issue the new version of the audit plan to the client"
            if audit.has_issued
            else "Prepare the audit plan and issue it to the client"
        )
        yield _audit_item(
            ctx,
            audit,
            ItemKind.PLAN_TO_PREPARE,
            title,
            LEAD_AUDITOR,
            due=audit.planned_start,
            url=_audit_url(audit, "audit-plan"),
        )


def reports_due_rows(ctx: Context) -> QuerySet[Audit] | None:
    audits = _team_audits(ctx, lead=True)
    return None if audits is None else audits.report_due(ctx.today)


def reports_due_items(rows: QuerySet[Audit], ctx: Context) -> Iterable[InboxItem]:
    audits = list(rows.select_related("programme__organization"))
    days = report_due_days_by_cb({a.programme.certification_body_id for a in audits})
    for audit in audits:
        due = (
            audit.completed_on + timedelta(days=days[audit.programme.certification_body_id])
            if audit.completed_on
            else None
        )
        what = "stage 1 report" if audit.kind == "stage1" else "audit report"
        yield _audit_item(
            ctx,
            audit,
            ItemKind.REPORT_DUE,
            f"Write and issue the {what}",
            LEAD_AUDITOR,
            due=due,
            url=_audit_url(audit, "audit-report"),
        )


def audits_coming_up_rows(ctx: Context) -> QuerySet[Audit] | None:
    audits = _team_audits(ctx, lead=False)
    return None if audits is None else audits.starting_by(ctx.today, ctx.today + timedelta(days=PREPARE_DAYS))


def audits_coming_up_items(rows: QuerySet[Audit], ctx: Context) -> Iterable[InboxItem]:
    for audit in rows.select_related("programme__organization"):
        start = audit.planned_start
        title = (
            f"Prepare for the audit: it starts {start:%Y-%m-%d}"
            if start is not None and start >= ctx.today
            else "Start the audit: its planned start has passed"
        )
        yield _audit_item(ctx, audit, ItemKind.AUDIT_TO_PREPARE, title, AUDITOR, due=start)


def _team_findings(ctx: Context) -> Any:
    cbs = ctx.cbs(AUDITOR)
    if not cbs:
        return None
    return Finding.objects.visible_to(ctx.user).filter(
        audit__programme__certification_body_id__in=cbs, audit__team__auditor__user=ctx.user
    )


def _finding_items(rows: QuerySet[Finding], ctx: Context, kind: ItemKind, verb: str) -> Iterable[InboxItem]:
    for finding in rows.select_related("audit__programme__organization"):
        yield _audit_item(
            ctx,
            finding.audit,
            kind,
            f"{verb} {finding.reference or 'finding'} ({finding.get_grade_display().lower()})",
            AUDITOR,
            due=finding.verification_due,
            url=reverse("audits:finding-detail", args=[finding.public_id]),
        )


def responses_to_review_rows(ctx: Context) -> QuerySet[Finding] | None:
    findings = _team_findings(ctx)
    return None if findings is None else findings.response_to_review(ctx.today)


def responses_to_review_items(rows: QuerySet[Finding], ctx: Context) -> Iterable[InboxItem]:
    return _finding_items(rows, ctx, ItemKind.RESPONSE_TO_REVIEW, "Accept or reject the client's response to")


def verifications_rows(ctx: Context) -> QuerySet[Finding] | None:
    findings = _team_findings(ctx)
    return None if findings is None else findings.to_verify(ctx.today)


def verifications_items(rows: QuerySet[Finding], ctx: Context) -> Iterable[InboxItem]:
    return _finding_items(rows, ctx, ItemKind.VERIFICATION_DUE, "Verify the corrective action of")


# --- decision makers --------------------------------------------------------------------------------------


def decisions_rows(ctx: Context) -> QuerySet[Any] | None:
    cbs = ctx.cbs(DECISION_MAKER)
    if not cbs:
        return None
    return awaiting_decision_reports(user=ctx.user, decidable_by=ctx.user).filter(
        audit__programme__certification_body_id__in=cbs
    )


def decisions_items(rows: QuerySet[Any], ctx: Context) -> Iterable[InboxItem]:
    for report in rows.select_related("audit__programme__certification__organization"):
        audit = report.audit
        certification = audit.programme.certification
        renewal = audit.kind == "recertification"
        title = (
            f"Decide the {'renewal' if renewal else 'grant'} on the {audit_label(audit).lower()} report "
            f"(rev. {report.revision}, recommending: {report.get_recommendation_display().lower()})"
        )
        yield _audit_item(
            ctx,
            audit,
            ItemKind.DECISION_AWAITING,
            title,
            DECISION_MAKER,
            # A renewal is decided before the certificate expires (17021-1 9.6.3.2.3); a grant has no deadline.
            due=certification.expires_on if renewal else None,
            url=reverse("certification:detail", args=[certification.public_id]),
        )


SOURCES = [
    Source(ItemKind.APPLICATION_TO_REVIEW, applications_to_review_rows, applications_to_review_items),
    Source(ItemKind.APPLICATION_TO_ACCEPT, applications_to_accept_rows, applications_to_accept_items),
    Source(ItemKind.AUDIT_TO_PLAN, audits_to_plan_rows, audits_to_plan_items),
    Source(ItemKind.AUDIT_WINDOW_AT_RISK, windows_at_risk_rows, windows_at_risk_items),
    Source(ItemKind.TRANSITION_AT_RISK, transitions_at_risk_rows, transitions_at_risk_items),
    Source(ItemKind.OBJECTION_TO_RESOLVE, objections_rows, objections_items),
    Source(ItemKind.IMPARTIALITY_REVIEW_DUE, impartiality_reviews_rows, impartiality_reviews_items),
    Source(ItemKind.MONITORING_DUE, monitoring_due_rows, monitoring_due_items),
    Source(ItemKind.PLAN_TO_PREPARE, plans_to_prepare_rows, plans_to_prepare_items),
    Source(ItemKind.REPORT_DUE, reports_due_rows, reports_due_items),
    Source(ItemKind.AUDIT_TO_PREPARE, audits_coming_up_rows, audits_coming_up_items),
    Source(ItemKind.RESPONSE_TO_REVIEW, responses_to_review_rows, responses_to_review_items),
    Source(ItemKind.VERIFICATION_DUE, verifications_rows, verifications_items),
    Source(ItemKind.DECISION_AWAITING, decisions_rows, decisions_items),
]
