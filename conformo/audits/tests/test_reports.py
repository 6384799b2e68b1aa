"""The audit report (17021-1 9.4.8) and the stage 1 report (9.3.1.2): drafted by the lead auditor with the
team's sections, issued once the audit is completed and immutable from then on, corrected by a revision with
its reason; "report due" after the CB's deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conformo.audits import services
from conformo.audits.choices import AuditKind, ReportKind, ReportStatus
from conformo.audits.models import Finding
from conformo.audits.tests.conftest import audit_of, issue_report, team
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.standards.models import Standard

AUDIT_REPORT = {
    "conclusions": "Effective",
    "recommendation": "grant",
    "objectives_met": True,
    "scope_appropriate": True,
}


@pytest.fixture
def stage2(open_minor: Finding, programme_manager: Any) -> Any:
    """Acme's stage 2, completed, with its open minor nonconformity."""
    return services.audit_complete(actor=programme_manager, audit=open_minor.audit)


@pytest.fixture
def stage1(stage1_done: Any) -> Any:
    return audit_of(stage1_done, AuditKind.STAGE_1)


def test_the_report_of_a_stage_1_is_a_stage_1_report_and_of_a_stage_2_an_audit_report(stage1, stage2, ready):
    assert services.report_draft(actor=ready.lead.user, audit=stage1).kind == ReportKind.STAGE_1
    report = services.report_draft(actor=ready.lead.user, audit=stage2)
    assert (report.kind, report.revision, report.status) == (ReportKind.AUDIT, 1, ReportStatus.DRAFT)
    assert report.scope == "Machining of precision parts"


def test_only_the_lead_auditor_drafts_edits_and_issues_the_report(stage2, ready, programme_manager):
    for someone in (ready.auditor.user, programme_manager):
        with pytest.raises(PermissionDenied):
            services.report_draft(actor=someone, audit=stage2)
    services.report_draft(actor=ready.lead.user, audit=stage2)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=ready.auditor.user, audit=stage2, conclusions="Mine")
    services.report_update(actor=ready.lead.user, audit=stage2, **AUDIT_REPORT)
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=ready.auditor.user, audit=stage2)


def test_team_members_write_their_own_sections_and_outsiders_cannot(stage2, ready, cb_admin):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    services.report_section_write(actor=ready.auditor.user, audit=stage2, text="Production: well controlled")
    report = services.report_section_write(actor=ready.auditor.user, audit=stage2, text="Production: controlled")
    assert [(s["name"], s["text"]) for s in report.sections] == [(str(ready.auditor), "Production: controlled")]
    with pytest.raises(PermissionDenied):
        services.report_section_write(actor=cb_admin, audit=stage2, text="Not on the team")


def test_the_report_is_issued_only_once_the_audit_is_completed(open_minor, ready):
    services.report_draft(actor=ready.lead.user, audit=open_minor.audit)
    services.report_update(actor=ready.lead.user, audit=open_minor.audit, **AUDIT_REPORT)
    with pytest.raises(Conflict) as refused:
        services.report_issue(actor=ready.lead.user, audit=open_minor.audit)
    assert refused.value.code == "audit_not_completed"


def test_an_audit_report_needs_conclusions_and_the_teams_recommendation(stage2, ready):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    with pytest.raises(ValidationFailed) as refused:
        services.report_issue(actor=ready.lead.user, audit=stage2)
    assert {"conclusions", "recommendation", "objectives_met", "scope_appropriate"} <= set(refused.value.fields)


def test_a_stage_2_report_cannot_recommend_suspending_a_certification(stage2, ready):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    with pytest.raises(ValidationFailed) as refused:
        services.report_update(actor=ready.lead.user, audit=stage2, recommendation="suspend")
    assert "recommendation" in refused.value.fields


def test_a_stage_1_report_says_whether_the_client_is_ready_and_what_stage_2_covers(stage1, ready):
    services.report_draft(actor=ready.lead.user, audit=stage1)
    services.report_update(actor=ready.lead.user, audit=stage1, conclusions="Documentation in place")
    with pytest.raises(ValidationFailed) as refused:
        services.report_issue(actor=ready.lead.user, audit=stage1)
    assert set(refused.value.fields) == {"stage2_ready", "stage2_focus"}
    services.report_update(actor=ready.lead.user, audit=stage1, stage2_ready=True, stage2_focus="The plant")
    assert services.report_issue(actor=ready.lead.user, audit=stage1).stage2_ready is True


def test_an_isms_report_states_the_statement_of_applicability_version_reviewed(stage2, ready):
    isms = Standard.objects.create(code="iso-iec-27001-2022", designation="ISO/IEC 27001:2022", title="ISMS")
    stage2.programme.standards.add(isms)
    services.report_draft(actor=ready.lead.user, audit=stage2)
    services.report_update(actor=ready.lead.user, audit=stage2, **AUDIT_REPORT)
    with pytest.raises(ValidationFailed) as refused:
        services.report_issue(actor=ready.lead.user, audit=stage2)
    assert set(refused.value.fields) == {"soa_version"}
    services.report_update(actor=ready.lead.user, audit=stage2, soa_version="SoA v4, 2026-01-10")
    assert services.report_issue(actor=ready.lead.user, audit=stage2).soa_version == "SoA v4, 2026-01-10"


def test_issuing_freezes_the_findings_with_their_clauses_and_evidence(stage2, open_minor, ready):
    report = issue_report(stage2, ready.lead.user)
    assert report.status == ReportStatus.ISSUED
    [finding] = report.facts["findings"]
    assert (finding["grade"], finding["statement"]) == ("Minor nonconformity", "Missing sign-off")
    assert finding["clauses"] == ["ISO 9001:2015 8.5.1"]
    assert report.facts["client"] == stage2.programme.organization.legal_name
    assert AuditLogEntry.objects.filter(action="audit_report.issue", object_id=str(report.pk)).exists()


def test_an_issued_report_can_no_longer_change(stage2, ready):
    issue_report(stage2, ready.lead.user)
    with pytest.raises(Conflict) as refused:
        services.report_update(actor=ready.lead.user, audit=stage2, conclusions="Second thoughts")
    assert refused.value.code == "report_issued"
    with pytest.raises(Conflict):
        services.report_section_write(actor=ready.auditor.user, audit=stage2, text="Late")
    with pytest.raises(Conflict):
        services.report_issue(actor=ready.lead.user, audit=stage2)


def test_a_correction_is_a_new_revision_with_its_reason_and_the_issued_one_is_kept(stage2, ready):
    first = issue_report(stage2, ready.lead.user)
    with pytest.raises(ValidationFailed):
        services.report_revise(actor=ready.lead.user, audit=stage2, reason=" ")
    draft = services.report_revise(actor=ready.lead.user, audit=stage2, reason="Typo in the conclusions")
    assert (draft.revision, draft.status, draft.recommendation) == (2, ReportStatus.DRAFT, "grant")
    assert services.report_current(stage2) == first
    services.report_update(actor=ready.lead.user, audit=stage2, conclusions="Effective and conforming")
    second = services.report_issue(actor=ready.lead.user, audit=stage2)
    first.refresh_from_db()
    assert (first.status, first.conclusions) == (ReportStatus.SUPERSEDED, "Effective")
    assert (second.revision, second.revision_reason) == (2, "Typo in the conclusions")


def test_a_completed_audit_without_an_issued_report_is_due_after_the_cbs_deadline(stage2, ready):
    assert services.report_due_on(stage2) == stage2.completed_on + timedelta(days=30)
    settings = services.cb_settings_get(ready.cb)
    settings.report_due_days = 10
    settings.save()
    assert services.report_due_on(stage2) == stage2.completed_on + timedelta(days=10)
    issue_report(stage2, ready.lead.user)
    assert services.report_due_on(stage2) is None


def test_an_audit_in_progress_has_no_report_due(open_minor):
    assert services.report_due_on(open_minor.audit) is None


def test_the_stage_1_report_carries_the_areas_of_concern_that_could_become_nonconformities(
    programme, ready, programme_manager
):
    audit = audit_of(programme, AuditKind.STAGE_1)
    services.audit_team_assign(actor=programme_manager, audit=audit, members=team(ready))
    services.audit_start(actor=programme_manager, audit=audit)
    services.finding_raise(
        actor=ready.lead.user, audit=audit, grade="area_of_concern", statement="Internal audits not yet planned"
    )
    services.audit_complete(actor=programme_manager, audit=audit)
    report = issue_report(audit, ready.lead.user)
    assert report.kind == ReportKind.STAGE_1
    assert [(f["grade"], f["statement"]) for f in report.facts["findings"]] == [
        ("Area of concern (stage 1)", "Internal audits not yet planned")
    ]
