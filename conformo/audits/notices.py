"""What the CB workflow tells people, and when: the notices of the audit plan, the team, findings, responses,
reports and the decision makers' queue.

Each function is called by the service that made the event, inside its transaction (`notify_all` writes the
notices with the change; their e-mails go when it commits). The key names the event, so calling one twice tells
nobody twice. The people come from `conformo.audits.recipients`; the link is the page where each recipient does
the work, one they may open (the CB workflow's audit and finding pages serve the client too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse

from conformo.audits.choices import NONCONFORMITY_GRADES, AuditKind, FindingGrade
from conformo.audits.models import Audit, AuditPlan, AuditReport, Finding, FindingResponse, TeamMember
from conformo.audits.recipients import Tenanted, client_people, independent_decision_makers, lead_auditors, team_people
from conformo.audits.selectors import awaiting_decision_q
from conformo.core.actors import Actor
from conformo.notifications.kinds import Kind
from conformo.notifications.services import notify_all

TOLD_GRADES = frozenset({*NONCONFORMITY_GRADES, FindingGrade.AREA_OF_CONCERN})
"""The findings that ask something of the client at once: a nonconformity (a response by its due date) and a
stage 1 area of concern (to address before stage 2). Opportunities for improvement and positive findings reach
the client with the report."""


def tell(
    *,
    people: Iterable[Any],
    of: Tenanted,
    kind: str,
    key: str,
    subject: str,
    lines: Sequence[str],
    link: str,
    action: str,
) -> None:
    """Tell `people` of one event of a client's certification by a CB (`of`: the programme, the certification,
    the certificate). The notice names both, so that the CB administrator sees it among the CB's deliveries."""
    notify_all(
        recipients=people,
        kind=kind,
        key=key,
        subject=subject,
        lines=lines,
        link=link,
        action=action,
        certification_body_id=of.certification_body_id,
        organization_id=of.organization_id,
    )


def audit_title(audit: Audit) -> str:
    """`Stage 2 audit of Acme Precision Parts` — how a notice names an audit."""
    return f"{audit.get_kind_display()} of {audit.programme.organization}"


def _dates(audit: Audit) -> str:
    if audit.planned_start is None:
        return "Its dates are not planned yet."
    if audit.planned_end is None or audit.planned_end == audit.planned_start:
        return f"It takes place on {audit.planned_start.isoformat()}."
    return f"It takes place from {audit.planned_start.isoformat()} to {audit.planned_end.isoformat()}."


def _audit_link(audit: Audit) -> str:
    return reverse("audits:audit-detail", args=[audit.public_id])


def _finding_link(finding: Finding) -> str:
    return reverse("audits:finding-detail", args=[finding.public_id])


def plan_issued(*, actor: Actor, plan: AuditPlan) -> None:
    """The client (to accept it or object to a team member) and the team (their timetable): a version of the
    audit plan is issued. Each version is its own event."""
    audit = plan.audit
    programme = audit.programme
    if plan.version == 1:
        subject = f"Audit plan issued: {audit_title(audit)}"
        facts = [_dates(audit)]
    else:
        subject = f"Audit plan changed (version {plan.version}): {audit_title(audit)}"
        facts = [_dates(audit), f"What changed: {', '.join(plan.changes)}.", f"Why: {plan.change_note}"]
    key = f"plan:{audit.pk}:v{plan.version}"
    link = _audit_link(audit)
    tell(
        people=client_people(programme, exclude=actor),
        of=programme,
        kind=Kind.PLAN_ISSUED,
        key=key,
        subject=subject,
        lines=[*facts, "Read the plan, then accept it or object to a member of the audit team."],
        link=link,
        action="Review the audit plan",
    )
    tell(
        people=team_people(audit, exclude=actor),
        of=programme,
        kind=Kind.PLAN_ISSUED,
        key=key,
        subject=subject,
        lines=[*facts, "The plan, with its timetable, is on the audit's page."],
        link=link,
        action="Open the audit",
    )


def team_assigned(*, actor: Actor, audit: Audit, joined: Sequence[TeamMember]) -> None:
    """Each auditor who joins the audit's team (an assignment that keeps someone on it tells them nothing; one
    who left and comes back is told again: each membership is its own event)."""
    programme = audit.programme
    for member in joined:
        tell(
            people=[member.auditor.user],
            of=programme,
            kind=Kind.TEAM_ASSIGNED,
            key=f"team-member:{member.pk}",
            subject=f"You are on the audit team: {audit_title(audit)}",
            lines=[f"Your role: {member.get_role_display().lower()}.", _dates(audit)],
            link=_audit_link(audit),
            action="Open the audit",
        )


def finding_raised(*, actor: Actor, finding: Finding) -> None:
    """The client, of a finding that asks something of it (`TOLD_GRADES`). Also called when a finding is
    regraded into one of them: the key keeps it to one notice per finding."""
    if finding.grade not in TOLD_GRADES:
        return
    audit = finding.audit
    programme = audit.programme
    if finding.grade in NONCONFORMITY_GRADES:
        ask = "Answer with the correction, its root cause and the corrective action"
        ask += f" by {finding.response_due.isoformat()}." if finding.response_due else "."
    else:
        ask = "Address it before stage 2: it may be graded a nonconformity there."
    tell(
        people=client_people(programme, exclude=actor),
        of=programme,
        kind=Kind.FINDING_RAISED,
        key=f"finding:{finding.pk}:raised",
        subject=f"{finding.get_grade_display()} {finding.reference}: {audit_title(audit)}",
        lines=[f"“{finding.statement[:300]}”", ask],
        link=_finding_link(finding),
        action="Answer the finding" if finding.grade in NONCONFORMITY_GRADES else "Open the finding",
    )


def response_submitted(*, actor: Actor, response: FindingResponse) -> None:
    """The audit's lead auditor (who reviews it): the client answered a nonconformity."""
    finding = response.finding
    audit = finding.audit
    programme = audit.programme
    tell(
        people=lead_auditors(audit, exclude=actor),
        of=programme,
        kind=Kind.RESPONSE_SUBMITTED,
        key=f"response:{response.pk}:submitted",
        subject=f"Response to {finding.reference} submitted: {programme.organization}",
        lines=[
            f"{programme.organization} answered {finding.get_grade_display().lower()} {finding.reference} "
            "with its correction, root cause and corrective action.",
            "Review it: accept the response, or reject it with the reason.",
        ],
        link=_finding_link(finding),
        action="Review the response",
    )


def report_issued(*, actor: Actor, report: AuditReport) -> None:
    """The client: a revision of the audit report (or the stage 1 report) is issued."""
    audit = report.audit
    programme = audit.programme
    what = f"{audit.get_kind_display().lower()} report"
    if report.revision == 1:
        subject = f"{report.get_kind_display()} issued: {audit_title(audit)}"
        lines = [f"The {what} is issued."]
    else:
        subject = f"{report.get_kind_display()} revised (revision {report.revision}): {audit_title(audit)}"
        lines = [f"Revision {report.revision} of the {what} is issued.", f"Why: {report.revision_reason}"]
    if report.recommendation:
        lines.append(f"The audit team recommends: {report.get_recommendation_display().lower()}.")
    elif report.stage2_ready is not None:
        lines.append("Ready for stage 2." if report.stage2_ready else "Not yet ready for stage 2.")
    tell(
        people=client_people(programme, exclude=actor),
        of=programme,
        kind=Kind.REPORT_ISSUED,
        key=f"report:{report.pk}:issued",
        subject=subject,
        lines=lines,
        link=_audit_link(audit),
        action="Read the report",
    )


def decision_awaiting(*, actor: Actor, certification_id: int) -> None:
    """The CB's decision makers who were on none of the cycle's audit teams (only they may decide): the
    certification's file has entered their queue (`awaiting_decision_q`: its grant or renewal report is issued
    and not yet decided on). Called wherever a file can enter the queue: a report issued, a decision taken.
    Each report revision in the queue is its own event."""
    reports = (
        AuditReport.objects.filter(audit__programme__certification_id=certification_id)
        .filter(awaiting_decision_q())
        .select_related("audit__programme__organization", "audit__programme__certification")
    )
    for report in reports:
        audit = report.audit
        programme = audit.programme
        renewal = audit.kind == AuditKind.RECERTIFICATION
        tell(
            people=independent_decision_makers(programme, exclude=actor),
            of=programme,
            kind=Kind.DECISION_AWAITING,
            key=f"report:{report.pk}:awaiting-decision",
            subject=f"Awaiting your decision: {'renewal' if renewal else 'grant'} for {programme.organization}",
            lines=[
                f"The {audit.get_kind_display().lower()} report (revision {report.revision}) is issued; the audit "
                f"team recommends: {report.get_recommendation_display().lower()}.",
                "Read the certification file and take the decision.",
            ],
            link=reverse("certification:detail", args=[programme.certification.public_id]),
            action="Decide",
        )
