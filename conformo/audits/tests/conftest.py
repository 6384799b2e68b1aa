from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import AuditProgramme
from conformo.audits.tests.factories import Ready, agreement_accepted, ready_cb, sites_for
from conformo.certification.services import application_accept


@pytest.fixture
def ready(cb: Any, cb_admin: Any, lead_auditor: Any, auditor: Any) -> Ready:
    return ready_cb(cb, cb_admin, lead_auditor, auditor)


@pytest.fixture
def acme_sites(acme: Any) -> list[Any]:
    return sites_for(acme)


def reviewed_application(ready: Any, acme: Any, acme_sites: list[Any], programme_manager: Any) -> Any:
    """Acme's ISO 9001 application (sector 17, its sites), submitted and reviewed by the programme manager."""
    application = services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Machining of precision parts",
        sites=acme_sites,
        sector_codes=[17],
    )
    services.application_review(actor=programme_manager, application=application)
    return application


@pytest.fixture
def programme(ready: Ready, acme: Any, acme_sites: list[Any], programme_manager: Any) -> AuditProgramme:
    """Acme's accepted ISO 9001 application (sector 17): a fresh 3-year programme, accepted on 2026-01-05."""
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = reviewed_application(ready, acme, acme_sites, programme_manager)
        agreement_accepted(application)
        return application_accept(actor=programme_manager, application=application)


def audit_of(programme: AuditProgramme, kind: str) -> Any:
    return programme.audits.get(kind=kind)


def team(ready: Ready) -> list[services.Member]:
    return [services.Member(ready.lead, "lead_auditor"), services.Member(ready.auditor, "auditor")]


@pytest.fixture
def stage1_done(programme: AuditProgramme, ready: Ready, programme_manager: Any) -> AuditProgramme:
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 2)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage1)
        services.audit_complete(actor=programme_manager, audit=stage1)
    return programme


@pytest.fixture
def open_minor(stage1_done: AuditProgramme, ready: Ready, programme_manager: Any) -> Any:
    """A minor nonconformity awaiting Acme's response, raised by the lead auditor at stage 2."""
    services.programme_record_combined_audit(
        actor=programme_manager, programme=stage1_done, justification="Combined on purpose here"
    )
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage2)
    return services.finding_raise(
        actor=ready.lead.user,
        audit=stage2,
        grade="minor",
        statement="Missing sign-off",
        clauses=[ready.qms.clauses.get(ref="8.5.1")],
    )


ROW = {
    "day": "2026-02-02",
    "start": "09:00",
    "end": "10:30",
    "auditor": "lead@northbridge.test",
    "site": "HQ",
    "activity": "4.1-4.4",
}


@pytest.fixture
def stage1(programme: AuditProgramme, ready: Ready, programme_manager: Any) -> Any:
    """Acme's stage 1, planned for 2026-02-02 with the lead auditor and the auditor on its team."""
    audit = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager, audit=audit, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 2)
    )
    services.audit_team_assign(actor=programme_manager, audit=audit, members=team(ready))
    return audit


@pytest.fixture
def issued(stage1: Any, programme_manager: Any) -> Any:
    """Version 1 of stage 1's audit plan, issued (one timetable row)."""
    services.plan_draft(actor=programme_manager, audit=stage1)
    services.plan_update(actor=programme_manager, audit=stage1, language="English", timetable=[ROW])
    return services.plan_issue(actor=programme_manager, audit=stage1)


def issue_report(audit: Any, lead: Any, **values: Any) -> Any:
    """Draft, complete and issue the report of a completed audit as its lead auditor (a stage 2's
    recommendation: grant)."""
    services.report_draft(actor=lead, audit=audit)
    stage1 = audit.kind == AuditKind.STAGE_1
    defaults: dict[str, Any] = (
        {"conclusions": "Ready", "stage2_ready": True, "stage2_focus": "Operations at the plant"}
        if stage1
        else {"conclusions": "Effective", "recommendation": "grant", "objectives_met": True, "scope_appropriate": True}
    )
    services.report_update(actor=lead, audit=audit, **{**defaults, **values})
    return services.report_issue(actor=lead, audit=audit)


@pytest.fixture
def unsigned(ready: Any, acme: Any, acme_sites: list[Any], programme_manager: Any) -> Any:
    """Acme's accepted application and programme, stage 1 planned with an eligible team, no agreement accepted."""
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = reviewed_application(ready, acme, acme_sites, programme_manager)
        programme = application_accept(actor=programme_manager, application=application)
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 2)
    )
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    return application


def stage1_of(application: Any) -> Any:
    return audit_of(application.programme.get(), AuditKind.STAGE_1)
