"""The audit plan (17021-1 9.2.3): versions, the client's acceptance or objection, and the objection blocking
the audit's start until the CB resolves it."""

import pytest

from conformo.audits import services
from conformo.audits.choices import AuditKind, PlanStatus
from conformo.audits.tests.conftest import ROW, audit_of, team
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed


def test_a_draft_plan_starts_from_the_programmes_scope_and_standards(stage1, programme_manager):
    plan = services.plan_draft(actor=programme_manager, audit=stage1)
    assert plan.version == 1
    assert plan.status == PlanStatus.DRAFT
    assert plan.scope == "Machining of precision parts"
    assert "ISO 9001" in plan.criteria


def test_issuing_freezes_the_dates_days_sites_and_team_of_the_audit(issued):
    assert issued.status == PlanStatus.ISSUED
    assert issued.facts["dates"] == ["2026-02-02", "2026-02-02"]
    assert {m["role"] for m in issued.facts["team"]} == {"Lead auditor", "Auditor"}
    assert issued.timetable[0]["activity"] == "4.1-4.4"


def test_a_plan_cannot_be_issued_before_the_audit_has_a_team(programme, programme_manager):
    audit = audit_of(programme, AuditKind.STAGE_1)
    services.plan_draft(actor=programme_manager, audit=audit)
    with pytest.raises(Conflict) as refused:
        services.plan_issue(actor=programme_manager, audit=audit)
    assert refused.value.code == "plan_incomplete"


def test_a_change_after_issue_is_a_new_version_that_says_what_changed(issued, stage1, programme_manager):
    draft = services.plan_update(actor=programme_manager, audit=stage1, language="German")
    assert draft.version == 2
    assert services.plan_current(stage1) == issued
    with pytest.raises(ValidationFailed):
        services.plan_issue(actor=programme_manager, audit=stage1)
    second = services.plan_issue(actor=programme_manager, audit=stage1, change_note="The site manager speaks German")
    issued.refresh_from_db()
    assert issued.status == PlanStatus.SUPERSEDED
    assert second.changes == ["language"]
    assert services.plan_current(stage1) == second


def test_a_new_version_without_a_change_is_refused(issued, stage1, programme_manager):
    services.plan_update(actor=programme_manager, audit=stage1, language="English")
    with pytest.raises(Conflict) as refused:
        services.plan_issue(actor=programme_manager, audit=stage1, change_note="No reason")
    assert refused.value.code == "plan_unchanged"


def test_a_timetable_row_that_ends_before_it_starts_is_a_field_error(stage1, programme_manager):
    services.plan_draft(actor=programme_manager, audit=stage1)
    with pytest.raises(ValidationFailed) as refused:
        services.plan_update(
            actor=programme_manager, audit=stage1, timetable=[{**ROW, "start": "11:00", "end": "10:00"}]
        )
    assert "timetable" in refused.value.fields


def test_the_client_accepts_the_issued_version(issued, stage1, client_admin):
    plan = services.plan_accept(actor=client_admin, audit=stage1)
    assert plan.accepted_by == client_admin


def test_a_client_member_cannot_accept_for_the_client(issued, stage1, client_member):
    with pytest.raises(PermissionDenied):
        services.plan_accept(actor=client_member, audit=stage1)


def test_the_client_cannot_accept_a_plan_that_is_not_issued(stage1, programme_manager, client_admin):
    services.plan_draft(actor=programme_manager, audit=stage1)
    with pytest.raises(Conflict) as refused:
        services.plan_accept(actor=client_admin, audit=stage1)
    assert refused.value.code == "plan_not_issued"


def test_an_open_objection_blocks_the_audits_start(issued, stage1, ready, client_admin, programme_manager):
    services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Worked for our competitor")
    with pytest.raises(Conflict) as refused:
        services.audit_start(actor=programme_manager, audit=stage1)
    assert refused.value.code == "plan_objection_open"
    assert "9.2" in refused.value.message


def test_an_objection_kept_with_a_reason_lets_the_audit_start(issued, stage1, ready, client_admin, programme_manager):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    with pytest.raises(ValidationFailed):
        services.objection_resolve(actor=programme_manager, objection=objection, resolution="kept")
    services.objection_resolve(
        actor=programme_manager, objection=objection, resolution="kept", note="No relationship found on checking"
    )
    assert services.audit_start(actor=programme_manager, audit=stage1).status == "in_progress"


def test_a_replacement_is_recorded_only_once_the_member_has_left_the_team(
    issued, stage1, ready, client_admin, programme_manager
):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    with pytest.raises(Conflict) as refused:
        services.objection_resolve(actor=programme_manager, objection=objection, resolution="replaced")
    assert refused.value.code == "objection_member_still_on_team"
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready)[:1])
    resolved = services.objection_resolve(actor=programme_manager, objection=objection, resolution="replaced")
    assert resolved.resolved_by == programme_manager


def test_the_client_objects_only_to_a_member_of_the_issued_team(issued, stage1, client_admin, cb_admin):
    stranger = services.auditor_register(
        actor=cb_admin, certification_body=stage1.programme.certification_body, user=cb_admin
    )
    with pytest.raises(ValidationFailed):
        services.plan_object(actor=client_admin, audit=stage1, auditor=stranger, reason="Unknown")


def test_the_client_of_another_organization_cannot_object(issued, stage1, ready, other_client_admin):
    with pytest.raises(PermissionDenied):
        services.plan_object(actor=other_client_admin, audit=stage1, auditor=ready.auditor, reason="Not mine")


def test_only_the_cb_resolves_an_objection(issued, stage1, ready, client_admin):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    with pytest.raises(PermissionDenied):
        services.objection_resolve(actor=client_admin, objection=objection, resolution="kept", note="Ours")


def test_a_timetable_naming_someone_off_the_team_cannot_be_issued(stage1, programme_manager):
    services.plan_draft(actor=programme_manager, audit=stage1)
    services.plan_update(
        actor=programme_manager,
        audit=stage1,
        timetable=[ROW, {**ROW, "start": "11:00", "end": "12:00", "auditor": "Eve"}],
    )
    with pytest.raises(Conflict) as refused:
        services.plan_issue(actor=programme_manager, audit=stage1)
    assert refused.value.code == "timetable_auditor_not_on_team"
    assert "row(s) 2 " in refused.value.message
