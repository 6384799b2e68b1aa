"""Demo lifecycle: the three demo clients at different points of certification, made through the services.

* Cobalt Cloud Services — ISO/IEC 27001 application accepted, stage 1 planned in two weeks with the lead
  auditor and the ISMS technical expert, its audit plan issued and accepted by the client;
* Bluewater Logistics — stage 2 just done, its report issued with a major and a minor nonconformity awaiting
  the client's answer;
* Acme Precision Parts — certified ISO 9001 about ten months ago on the issued stage 1 and stage 2 reports
  (each audit with its issued and accepted plan; the stage 2 report recommends the grant), surveillance 1 due
  and planned, its audit plan issued and awaiting the client's acceptance.

The plans and reports are issued through the services, which stamp them with the time of the demo load (not
the past audit dates); that is the one place where the demo's dates are not backdated.

Three more clients, added after them, show a certificate in every other public status, each the result of
recorded decisions (`decision_take` with past `decided_on` dates — no clock tricks):

* Delta Logística S.A. — ISO 14001 granted a little over three years ago and never renewed: past its
  expiry date, so it reads *expired* (status at read time; no job has to run);
* Echo Engineering Ltd — ISO 45001 granted about sixteen months ago, *suspended* a month ago (surveillance 1
  not held in time);
* Foxtrot Metals Oy — ISO 9001 granted about two years ago, suspended, then *withdrawn*.

Cobalt's review determines its audit time with the ISO/IEC 27006-1 complexity and one justified adjustment; a
multi-site client is in `demo_multi_site`.

Dates are relative to today, so the demo always shows the same picture. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits import services
from conformo.audits.choices import AuditKind, QualificationRole
from conformo.audits.models import Application, Audit, Auditor, AuditProgramme
from conformo.audits.services.reports import is_isms
from conformo.certificates.models import Certificate, StatusChange
from conformo.certificates.services import ISSUING_KINDS, STATUS_KINDS, certificate_apply_decision
from conformo.certification.demo_agreements import accept_with_agreement
from conformo.certification.demo_data import ACME_SCOPE, STATUS_CLIENTS, demo_scope_set
from conformo.certification.models import Decision
from conformo.certification.services import decision_take
from conformo.competence.demo import demo_qualify
from conformo.competence.services import Grant
from conformo.core.actors import SYSTEM
from conformo.domain.audit_time import ISMS
from conformo.domain.determination import Adjustment, Choices, IsmsAssessment
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.services import organization_create, site_create
from conformo.standards.models import Standard

CODES = ("iso-9001-2015", "iso-14001-2015", "iso-45001-2018", "iso-iec-27001-2022")


def _standards() -> dict[str, Standard]:
    found = {s.code: s for s in Standard.objects.filter(code__in=CODES)}
    if len(found) < len(CODES):
        from conformo.standards.services import catalog_load_shipped

        catalog_load_shipped(actor=SYSTEM)
        found = {s.code: s for s in Standard.objects.filter(code__in=CODES)}
    return found


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _audit(programme: AuditProgramme, kind: str) -> Audit:
    return programme.audits.get(kind=kind)


def _run(
    audit: Audit,
    pm: User,
    lead: User,
    members: list[services.Member],
    start: date,
    end: date,
    plan_accepted_by: User | None = None,
) -> Audit:
    """Plan and start the audit; with `plan_accepted_by`, its audit plan is issued and that client accepts it."""
    services.audit_plan(actor=pm, audit=audit, planned_start=start, planned_end=end)
    services.audit_team_assign(actor=pm, audit=audit, members=members)
    if plan_accepted_by is not None:
        _plan_issued(pm, audit, plan_accepted_by)
    services.audit_start(actor=lead, audit=audit, on=start)
    return audit


def _plan_issued(pm: User, audit: Audit, client: User | None = None, **values: Any) -> None:
    """Draft and issue the audit's plan (17021-1 9.2.3), accepted by `client` when given."""
    services.plan_draft(actor=pm, audit=audit)
    if values:
        services.plan_update(actor=pm, audit=audit, **values)
    services.plan_issue(actor=pm, audit=audit)
    if client is not None:
        services.plan_accept(actor=client, audit=audit)


def _report_issued(lead: User, audit: Audit, **values: object) -> None:
    """Draft, complete and issue the report of a completed audit as its lead auditor (17021-1 9.4.8)."""
    services.report_draft(actor=lead, audit=audit)
    services.report_update(actor=lead, audit=audit, **values)
    services.report_issue(actor=lead, audit=audit)


def _issue_report(lead: User, audit: Audit, recommendation: str = "grant") -> None:
    """The lead auditor issues the audit report with the team's recommendation (a grant rests on it, 9.5.1)."""
    services.report_draft(actor=lead, audit=audit)
    isms = is_isms(audit)
    services.report_update(
        actor=lead,
        audit=audit,
        conclusions="The management system conforms and is effectively implemented.",
        recommendation=recommendation,
        objectives_met=True,
        scope_appropriate=True,
        **({"soa_version": "SoA v1"} if isms else {}),
    )
    services.report_issue(actor=lead, audit=audit)


def _apply(pm: User, cb: CertificationBody, org: Organization, standards: list[Standard], scope: str) -> Application:
    return services.application_submit(
        actor=pm,
        certification_body=cb,
        organization=org,
        standards=standards,
        scope=scope,
        sites=list(org.sites.all()),
        sector_codes=list(org.sector_codes),
    )


def demo_lifecycle(cb: CertificationBody, today: date | None = None) -> None:
    """Put the demo clients of `cb` at their points of the lifecycle (once)."""
    if not Application.objects.filter(certification_body=cb).exists():
        _demo_first_clients(cb, today)
    demo_certificate_statuses(cb, today)


def _demo_first_clients(cb: CertificationBody, today: date | None = None) -> None:
    """Acme, Bluewater and Cobalt (see the module docstring)."""
    today = today or timezone.localdate()
    std = _standards()
    if len(std) < len(CODES):
        return  # no catalogs to certify against; the rest of the demo still works
    qms, ems, ohs, isms = (std[c] for c in CODES)
    admin, pm = _user("admin@northbridge.example"), _user("programme@northbridge.example")
    lena, omar = _user("lead.auditor@northbridge.example"), _user("auditor@northbridge.example")
    tess, dana = _user("expert@northbridge.example"), _user("decision@northbridge.example")
    since = today - timedelta(days=4 * 365)
    services.accreditation_create(
        actor=admin,
        certification_body=cb,
        accreditation_body="UKAS",
        reference="0000",
        standards=[qms, ems, ohs, isms],
        sector_codes=[17, 18, 31, 33],
        valid_from=since,
        valid_until=today + timedelta(days=3 * 365),
    )
    lead = services.auditor_register(actor=admin, certification_body=cb, user=lena)
    auditor = services.auditor_register(actor=admin, certification_body=cb, user=omar)
    expert = services.auditor_register(actor=admin, certification_body=cb, user=tess)
    # qualifications come only from evaluations (conformo.competence): an examination four years ago, re-evaluated
    # since; the technical expert joined a year ago
    codes = [17, 18, 31, 33]
    demo_qualify(
        admin=admin,
        auditor=lead,
        grants=[Grant(s, codes, QualificationRole.LEAD_AUDITOR) for s in (qms, ems, ohs, isms)],
        since=since,
        today=today,
    )
    demo_qualify(
        admin=admin, auditor=auditor, grants=[Grant(s, [17, 18, 31]) for s in (qms, ems)], since=since, today=today
    )
    demo_qualify(
        admin=admin,
        auditor=expert,
        grants=[Grant(isms, [33], QualificationRole.TECHNICAL_EXPERT)],
        since=today - timedelta(days=400),
        today=today,
    )
    orgs = {o.country: o for o in Organization.objects.filter(client_relationships__certification_body=cb)}
    acme, bluewater, cobalt = orgs["DE"], orgs["NL"], orgs["GB"]
    services.conflict_declare(
        actor=admin,
        auditor=auditor,
        organization=bluewater,
        kind="consultancy",
        description="Helped write Bluewater's EMS procedures",
        started_on=today - timedelta(days=700),
        ended_on=today - timedelta(days=300),
    )
    team = [services.Member(lead, QualificationRole.LEAD_AUDITOR), services.Member(auditor, QualificationRole.AUDITOR)]

    # Acme: certified about ten months ago, surveillance 1 planned.
    application = _apply(pm, cb, acme, [qms], "Design and machining of precision metal parts")
    demo_scope_set(pm, application, ACME_SCOPE)
    services.application_review(actor=pm, application=application, on=today - timedelta(days=420))
    programme = accept_with_agreement(pm, application, today - timedelta(days=420))
    quality = _user("quality@acme.example")
    stage1 = _run(
        _audit(programme, AuditKind.STAGE_1),
        pm,
        lena,
        team,
        today - timedelta(days=380),
        today - timedelta(days=380),
        plan_accepted_by=quality,
    )
    services.audit_complete(actor=lena, audit=stage1, on=today - timedelta(days=380))
    _report_issued(
        lena,
        stage1,
        representative="Jonas Weber, quality manager",
        conclusions="The QMS documentation and the internal audit and management review are in place.",
        stage2_ready=True,
        stage2_focus="Final inspection and release of machined parts; control of nonconforming outputs.",
    )
    stage2 = _run(
        _audit(programme, AuditKind.STAGE_2),
        pm,
        lena,
        team,
        today - timedelta(days=330),
        today - timedelta(days=328),
        plan_accepted_by=quality,
    )
    minor = services.finding_raise(
        actor=lena,
        audit=stage2,
        grade="minor",
        statement="Two work orders closed without final inspection sign-off",
        evidence="WO-4471, WO-4490",
        clauses=list(qms.clauses.filter(ref="8.6")[:1]),
        raised_on=today - timedelta(days=329),
    )
    services.audit_complete(actor=lena, audit=stage2, on=today - timedelta(days=328))
    response = services.finding_respond(
        actor=quality,
        finding=minor,
        correction="Both orders inspected and signed",
        root_cause="Sign-off step missing from the router template",
        corrective_action="Router template updated; supervisors briefed",
        planned_completion=today - timedelta(days=300),
    )
    services.finding_response_review(actor=lena, response=response, accept=True, comment="Plan accepted")
    # The report behind the decision (17021-1 9.5.1.1): issued, with the team's recommendation.
    _report_issued(
        lena,
        stage2,
        representative="Jonas Weber, quality manager",
        conclusions="The QMS is effectively implemented; one minor nonconformity, its correction plan accepted.",
        objectives_met=True,
        scope_appropriate=True,
        recommendation="grant",
    )
    decision_take(
        actor=dana, certification=programme.certification, kind="grant", decided_on=today - timedelta(days=310)
    )
    surveillance = _audit(programme, AuditKind.SURVEILLANCE_1)
    start = min(today + timedelta(days=30), (surveillance.due_by or today) - timedelta(days=2))
    services.audit_plan(actor=pm, audit=surveillance, planned_start=start, planned_end=start + timedelta(days=1))
    services.audit_team_assign(actor=pm, audit=surveillance, members=team)
    # Its audit plan (17021-1 9.2.3) is issued and awaits the client's acceptance.
    services.plan_draft(actor=pm, audit=surveillance)
    services.plan_update(
        actor=pm, audit=surveillance, remote_use="Records of the night shift reviewed by video call on day 2."
    )
    services.plan_issue(actor=pm, audit=surveillance)

    # Bluewater: stage 2 done, a major and a minor awaiting the client's answer.
    application = _apply(pm, cb, bluewater, [ems], "Warehousing and road transport of palletised goods")
    services.application_review(actor=pm, application=application, on=today - timedelta(days=120))
    programme = accept_with_agreement(pm, application, today - timedelta(days=120))
    only_lead = [services.Member(lead, QualificationRole.LEAD_AUDITOR)]
    stage1 = _run(
        _audit(programme, AuditKind.STAGE_1),
        pm,
        lena,
        only_lead,
        today - timedelta(days=90),
        today - timedelta(days=90),
    )
    services.finding_raise(
        actor=lena,
        audit=stage1,
        grade="area_of_concern",
        statement="Legal register not reviewed since 2022",
        raised_on=today - timedelta(days=90),
    )
    services.audit_complete(actor=lena, audit=stage1, on=today - timedelta(days=90))
    stage2 = _run(
        _audit(programme, AuditKind.STAGE_2),
        pm,
        lena,
        only_lead,
        today - timedelta(days=20),
        today - timedelta(days=18),
    )
    services.finding_raise(
        actor=lena,
        audit=stage2,
        grade="major",
        statement="No evaluation of compliance with legal requirements",
        evidence="No records for 2024 or 2025",
        clauses=list(ems.clauses.filter(ref="9.1.2")[:1]),
        site=bluewater.sites.filter(is_headquarters=True).first(),
        raised_on=today - timedelta(days=19),
    )
    services.finding_raise(
        actor=lena,
        audit=stage2,
        grade="minor",
        statement="Spill kit at the Antwerp hub incomplete",
        clauses=list(ems.clauses.filter(ref="8.2")[:1]),
        raised_on=today - timedelta(days=18),
    )
    services.audit_complete(actor=lena, audit=stage2, on=today - timedelta(days=18))
    # Its report is issued with the two nonconformities open (17021-1 9.4.8): the decision waits for them.
    _report_issued(
        lena,
        stage2,
        conclusions="The EMS is implemented except the evaluation of compliance; a major and a minor "
        "nonconformity need corrections and corrective actions before a decision.",
        objectives_met=True,
        scope_appropriate=True,
        recommendation="grant",
        conditions="On acceptance of the corrections and corrective actions for both nonconformities and "
        "verification of the major one (9.4.9).",
    )

    # Cobalt: application accepted, stage 1 planned, its plan accepted by the client.
    application = services.application_submit(
        actor=_user("ciso@cobalt.example"),
        certification_body=cb,
        organization=cobalt,
        standards=[isms],
        scope="Operation of managed cloud hosting services",
        sites=list(cobalt.sites.all()),
        sector_codes=[33],
        consultancy_used="None",
    )
    # Its review determines the audit time with the ISO/IEC 27006-1 complexity and one justified adjustment.
    services.application_determine(
        actor=pm,
        application=application,
        choices=Choices(
            isms=IsmsAssessment(
                business=(2, 2, 2),
                it=(3, 2, 2),
                percent=Decimal(10),
                justification="Hosting platform spread over two data centres and a public-cloud region, run for "
                "some 40 client tenants: IT complexity high, business medium.",
            ),
            adjustments=(
                Adjustment(
                    ISMS,
                    "single_activity",
                    Decimal(-5),
                    "One service line only: managed cloud hosting, no software products sold.",
                ),
            ),
        ),
        on=today - timedelta(days=7),
    )
    programme = accept_with_agreement(pm, application, today - timedelta(days=5))
    stage1 = _audit(programme, AuditKind.STAGE_1)
    start = today + timedelta(days=14)
    services.audit_plan(actor=pm, audit=stage1, planned_start=start, planned_end=start)
    # The ISMS technical expert joins the lead auditor for the cloud platform.
    services.audit_team_assign(
        actor=pm,
        audit=stage1,
        members=[
            services.Member(lead, QualificationRole.LEAD_AUDITOR),
            services.Member(expert, QualificationRole.TECHNICAL_EXPERT),
        ],
    )
    _plan_issued(
        pm,
        stage1,
        _user("ciso@cobalt.example"),
        remote_use="Document review (ISMS scope, risk assessment, Statement of Applicability) by video call.",
    )


# --- certificates in every status -------------------------------------------------------------------


def demo_certificate_statuses(cb: CertificationBody, today: date | None = None) -> None:
    """Add the Delta, Echo and Foxtrot clients of `cb` with their certification histories (once each)."""
    today = today or timezone.localdate()
    names = [str(c["legal_name"]) for c in STATUS_CLIENTS]
    present = set(
        Organization.objects.filter(client_relationships__certification_body=cb, legal_name__in=names).values_list(
            "legal_name", flat=True
        )
    )
    todo = [c for c in STATUS_CLIENTS if c["legal_name"] not in present]
    if not todo:
        return
    std = _standards()
    if len(std) < len(CODES):
        return
    lead = Auditor.objects.filter(certification_body=cb, user__email="lead.auditor@northbridge.example").first()
    if lead is None:
        return  # the first part of the demo did not run (no auditors): nothing to audit with
    admin, pm = _user("admin@northbridge.example"), _user("programme@northbridge.example")
    lena, dana = _user("lead.auditor@northbridge.example"), _user("decision@northbridge.example")
    team = [services.Member(lead, QualificationRole.LEAD_AUDITOR)]
    for client in todo:
        org = organization_create(
            actor=admin,
            legal_name=str(client["legal_name"]),
            country=str(client["country"]),
            registration_number=str(client["registration_number"]),
            sector_codes=list(client["sector_codes"]),  # type: ignore[call-overload]
            certification_body=cb,
        )
        for site in client["sites"]:  # type: ignore[attr-defined]
            site_create(actor=admin, organization=org, **site)
        granted = today - timedelta(days=int(client["granted_days_ago"]))  # type: ignore[call-overload]
        applied = granted - timedelta(days=120)
        application = _apply(pm, cb, org, [std[str(client["standard"])]], str(client["scope"]))
        demo_scope_set(pm, application, client.get("scope_lines", []))  # type: ignore[arg-type]
        services.application_review(actor=pm, application=application, on=applied)
        programme = accept_with_agreement(pm, application, applied)
        stage1_on = applied + timedelta(days=30)
        stage1 = _run(_audit(programme, AuditKind.STAGE_1), pm, lena, team, stage1_on, stage1_on)
        services.audit_complete(actor=lena, audit=stage1, on=stage1_on)
        stage2_on = granted - timedelta(days=30)
        stage2 = _run(_audit(programme, AuditKind.STAGE_2), pm, lena, team, stage2_on, stage2_on + timedelta(days=1))
        services.audit_complete(actor=lena, audit=stage2, on=stage2_on + timedelta(days=1))
        _issue_report(lena, stage2)
        certification = programme.certification
        decision_take(actor=dana, certification=certification, kind="grant", decided_on=granted)
        for kind, days_ago, reason in client["then"]:  # type: ignore[attr-defined]
            certification.refresh_from_db()
            decision_take(
                actor=dana,
                certification=certification,
                kind=kind,
                reason=reason,
                decided_on=today - timedelta(days=days_ago),
            )


@transaction.atomic
def certificates_demo_load() -> int:
    """Every recorded decision of the demo has its certificate (idempotent catch-up): apply each decision that
    has not reached its certificate yet (e.g. decisions loaded before the certificates app existed), oldest
    first. Returns how many; a second run changes nothing."""
    applied = 0
    issued = set(Certificate.objects.exclude(decision=None).values_list("decision_id", flat=True))
    moved = set(StatusChange.objects.exclude(decision=None).values_list("decision_id", flat=True))
    decisions = Decision.objects.select_related("certification", "decided_by").order_by("decided_on", "created_at")
    for decision in decisions:
        if decision.kind in ISSUING_KINDS and decision.pk in issued:
            continue
        if decision.kind in STATUS_KINDS and decision.pk in moved:
            continue
        if decision.kind not in ISSUING_KINDS and decision.kind not in STATUS_KINDS:
            continue
        if certificate_apply_decision(decision=decision, actor=SYSTEM) is not None:
            applied += 1
    return applied


__all__ = ["certificates_demo_load", "demo_certificate_statuses", "demo_lifecycle"]
