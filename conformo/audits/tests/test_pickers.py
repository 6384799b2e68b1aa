"""The team picker shows each auditor's eligibility for the audit from the rule the assignment enforces, with
the current team selected; irreversible page actions (accept an application, start or complete an audit; the
certification decision is tested in conformo/certification/tests/test_decision_page.py) need a ticked
confirmation, checked by the server."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.tests.conftest import audit_of, reviewed_application, team
from conformo.conftest import login
from conformo.standards.models import Clause


def _team_page(user: Any, audit: Any) -> Any:
    return login(user).get(reverse("audits:audit-detail", args=[audit.public_id]))


def _planned_stage1(programme: Any, programme_manager: Any) -> Any:
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 3)
    )
    return stage1


def test_an_auditor_lacking_the_scopes_iaf_code_is_shown_not_eligible_with_the_reason(
    programme, ready, programme_manager
):
    stage1 = _planned_stage1(programme, programme_manager)
    page = _team_page(programme_manager, stage1)
    form = page.context["team_form"]
    other = form.fields[f"role-{ready.auditor.public_id}"].help_text
    lead = form.fields[f"role-{ready.lead.public_id}"].help_text
    assert other.startswith("Not eligible:")
    assert "in IAF sector code 17" in other
    assert "Not qualified as lead auditor" in other
    assert lead == "Eligible. Qualified as lead auditor."
    assert "in IAF sector code 17" in page.content.decode()


def test_the_pickers_reason_is_the_message_the_team_check_gives_for_a_conflict(
    programme, ready, programme_manager, acme
):
    stage1 = _planned_stage1(programme, programme_manager)
    services.conflict_declare(
        actor=programme_manager, auditor=ready.lead, organization=acme, started_on=date(2025, 1, 1)
    )
    check = services.audit_team_check(stage1, team(ready))
    conflict = next(r for r in check["reasons"] if r["code"] == "auditor_in_cooling_off")
    entry = services.auditor_eligibility(stage1, [ready.lead])[ready.lead.pk]
    assert not entry.eligible
    assert not entry.can_lead
    assert conflict in entry.reasons


def test_an_auditor_unavailable_on_the_audits_dates_is_not_eligible(programme, ready, programme_manager):
    stage1 = _planned_stage1(programme, programme_manager)
    services.unavailability_add(
        actor=programme_manager, auditor=ready.lead, starts_on=date(2026, 2, 3), ends_on=date(2026, 2, 10)
    )
    entry = services.auditor_eligibility(stage1, [ready.lead])[ready.lead.pk]
    assert [r["code"] for r in entry.reasons] == ["auditor_unavailable"]
    help_text = _team_page(programme_manager, stage1).context["team_form"].fields[f"role-{ready.lead.public_id}"]
    assert "is unavailable from 2026-02-03 to 2026-02-10" in help_text.help_text


def test_the_current_team_is_preselected_in_the_picker(programme, ready, programme_manager):
    stage1 = _planned_stage1(programme, programme_manager)
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    html = _team_page(programme_manager, stage1).content.decode()
    assert '<option value="lead_auditor" selected>' in html
    assert '<option value="auditor" selected>' in html


def test_starting_an_audit_without_the_confirmation_is_a_form_error_and_changes_nothing(
    programme, ready, programme_manager
):
    stage1 = _planned_stage1(programme, programme_manager)
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    url = reverse("audits:audit-start", args=[stage1.public_id])
    page = login(programme_manager).post(url, {})
    assert page.status_code == 422
    assert page.context["start_form"].errors["confirm"] == ["Tick the box to confirm."]
    stage1.refresh_from_db()
    assert stage1.status == AuditStatus.PLANNED
    with time_machine.travel(date(2026, 2, 2), tick=False):
        assert login(programme_manager).post(url, {"confirm": "on"}).status_code == 302
    stage1.refresh_from_db()
    assert stage1.status == AuditStatus.IN_PROGRESS


def test_completing_an_audit_without_the_confirmation_is_a_form_error_and_changes_nothing(
    programme, ready, programme_manager
):
    stage1 = _planned_stage1(programme, programme_manager)
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage1)
    url = reverse("audits:audit-complete", args=[stage1.public_id])
    page = login(programme_manager).post(url, {"summary": "Kept summary"})
    assert page.status_code == 422
    assert page.context["complete_form"].errors["confirm"]
    assert "Kept summary" in page.content.decode()
    stage1.refresh_from_db()
    assert stage1.status == AuditStatus.IN_PROGRESS


def test_accepting_an_application_without_the_confirmation_is_a_form_error_and_opens_no_programme(
    ready, acme, acme_sites, programme_manager
):
    application = reviewed_application(ready, acme, acme_sites, programme_manager)
    url = reverse("certification:application-accept", args=[application.public_id])
    shown = login(programme_manager).get(reverse("audits:application-detail", args=[application.public_id]))
    assert "I confirm the acceptance" in shown.content.decode()
    page = login(programme_manager).post(url, {})
    assert page.status_code == 422
    assert page.context["application_accept_form"].errors["confirm"]
    assert "Tick the box to confirm." in page.content.decode()
    assert not application.programme.exists()
    done = login(programme_manager).post(url, {"confirm": "on"})
    assert done.status_code == 302
    assert application.programme.exists()


def _picker(user: Any, audit: Any, **query: Any) -> Any:
    return login(user).get(reverse("audits:clause-picker", args=[audit.public_id]), query)


def test_the_finding_forms_clause_picker_has_a_search_box_asking_the_audits_clause_search(
    programme, ready, programme_manager
):
    stage1 = _planned_stage1(programme, programme_manager)
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage1)
    html = _team_page(programme_manager, stage1).content.decode()
    assert f'hx-get="{reverse("audits:clause-picker", args=[stage1.public_id])}"' in html
    assert 'hx-target="#finding_clauses"' in html


def test_the_clause_search_matches_by_number_and_keeps_the_chosen_clauses_selected(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    internal = ready_clause(programme, "9.2")
    page = _picker(
        programme_manager, stage1, clause_q="8.5", clauses=[str(internal.public_id)], widget_id="edit_clauses"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="edit_clauses"' in html
    assert "clause 8.5.1 Control of production" in html
    assert f'value="{internal.public_id}" selected' in html
    assert "7.5 Documented information" not in html


def test_the_clause_search_matches_by_title(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    html = _picker(programme_manager, stage1, clause_q="internal AUDIT", widget_id="finding_clauses").content.decode()
    assert "clause 9.2 Internal audit" in html
    assert "8.5.1" not in html


def test_a_malformed_clause_search_is_a_400_not_an_error(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    assert _picker(programme_manager, stage1, clause_q="9", widget_id='x" onclick="a').status_code == 400
    assert _picker(programme_manager, stage1, clause_q="x" * 101, widget_id="finding_clauses").status_code == 400


def test_another_cbs_user_cannot_search_the_audits_clauses(programme, other_cb_admin):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    assert _picker(other_cb_admin, stage1, clause_q="9", widget_id="finding_clauses").status_code == 404


def ready_clause(programme: Any, ref: str) -> Any:
    return Clause.objects.get(standard__in=programme.standards.all(), ref=ref)
