"""One certification of the scale demo, run through the services: application, review, agreement and
acceptance, stage 1, stage 2 with its issued report, the grant, the surveillance audits its age calls for and
the decisions that make it suspended or withdrawn (see `demo_scale_plan`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from conformo.accounts.models import User
from conformo.audits import services
from conformo.audits.choices import AuditKind, QualificationRole
from conformo.audits.models import Audit, Auditor, AuditProgramme
from conformo.certification.demo import _issue_report
from conformo.certification.services import application_accept, decision_take
from conformo.home.demo_scale_plan import AuditPlan, CertificationPlan
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Clause, Standard

NONCONFORMITIES = ("major", "minor")
SCOPES = {
    "iso-9001-2015": "Design, production and delivery of the organization's products and services",
    "iso-14001-2015": "Environmental management of the organization's operations at the listed sites",
    "iso-45001-2018": "Occupational health and safety management of the organization's operations",
    "iso-iec-27001-2022": "Information security management of the organization's IT services and data",
}


@dataclass
class ScaleCast:
    """Who acts in the scale demo: the CB's staff and what the loader looked up once."""

    cb: CertificationBody
    pm: User
    decision_makers: list[User]
    auditors: list[Auditor]
    standards: dict[str, Standard]
    clauses: dict[str, list[Clause]]
    agreement_version: int
    rng: random.Random


def _team(cast: ScaleCast) -> tuple[Auditor, list[services.Member]]:
    lead = cast.rng.choice(cast.auditors)
    return lead, [services.Member(lead, QualificationRole.LEAD_AUDITOR)]


def _hold(cast: ScaleCast, audit: Audit, plan: AuditPlan, today: date, client: User, standard: str) -> User:
    """Plan, staff and run the audit on its day, raise its findings and complete it. The client answers the
    nonconformities of a stage 2 (answers accepted, as a grant needs) and of some surveillance audits."""
    start = today - timedelta(days=plan.days_ago)
    end = start + timedelta(days=0 if plan.kind == AuditKind.STAGE_1 else 1)
    lead, team = _team(cast)
    services.audit_plan(actor=cast.pm, audit=audit, planned_start=start, planned_end=end)
    services.audit_team_assign(actor=cast.pm, audit=audit, members=team)
    services.audit_start(actor=lead.user, audit=audit, on=start)
    clauses = cast.clauses[standard]
    raised = []
    for grade, statement in plan.findings:
        raised.append(
            services.finding_raise(
                actor=lead.user,
                audit=audit,
                grade=grade,
                statement=statement,
                clauses=[cast.rng.choice(clauses)] if grade in NONCONFORMITIES else [],
                raised_on=start,
            )
        )
    services.audit_complete(actor=lead.user, audit=audit, on=end)
    answer_all = plan.kind == AuditKind.STAGE_2
    for finding in raised:
        if finding.grade not in NONCONFORMITIES or not (answer_all or cast.rng.random() < 0.7):
            continue
        response = services.finding_respond(
            actor=client,
            finding=finding,
            correction="Records completed and checked",
            root_cause="The step was missing from the procedure",
            corrective_action="Procedure updated; the people concerned briefed",
            planned_completion=end + timedelta(days=30),
        )
        services.finding_response_review(actor=lead.user, response=response, accept=True, comment="Plan accepted")
    return lead.user


def certification_run(
    cast: ScaleCast, org: Organization, client: User, plan: CertificationPlan, today: date
) -> AuditProgramme:
    """Run one planned certification of `org` through the services."""
    standard = cast.standards[plan.standard]
    applied = today - timedelta(days=plan.applied_days_ago)
    application = services.application_submit(
        actor=client,
        certification_body=cast.cb,
        organization=org,
        standards=[standard],
        scope=SCOPES[plan.standard],
        sites=list(org.sites.all()),
        sector_codes=list(org.sector_codes),
    )
    services.application_review(actor=cast.pm, application=application, on=applied)
    services.agreement_accept(actor=client, application=application, version=cast.agreement_version)
    programme = application_accept(actor=cast.pm, application=application, on=applied)
    decider = cast.rng.choice(cast.decision_makers)
    certification = None
    for plan_audit in plan.audits:
        audit = programme.audits.get(kind=plan_audit.kind)
        lead = _hold(cast, audit, plan_audit, today, client, plan.standard)
        if plan_audit.kind == AuditKind.STAGE_2:
            _issue_report(lead, audit)
            certification = programme.certification
            decision_take(
                actor=decider,
                certification=certification,
                kind="grant",
                decided_on=today - timedelta(days=plan.granted_days_ago),
            )
            programme.refresh_from_db()
    for kind, days_ago, reason in plan.decisions:
        assert certification is not None
        certification.refresh_from_db()
        decision_take(
            actor=decider,
            certification=certification,
            kind=kind,
            reason=reason,
            decided_on=today - timedelta(days=days_ago),
        )
    return programme
