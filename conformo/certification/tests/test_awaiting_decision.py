"""The decision makers' queue: a grant or renewal whose report is issued with the team's recommendation and
not yet decided on (ISO/IEC 17021-1 9.5.1), as a page and through the API."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.certification.selectors import awaiting_decision
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import issue_report, team
from conformo.conftest import login, token_client


def _stage2_completed(stage1_done, ready, programme_manager):
    stage2 = stage1_done.audits.get(kind=AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
    return stage2


def test_a_certification_enters_the_queue_when_its_stage_2_report_is_issued_and_leaves_it_when_granted(
    stage1_done, ready, programme_manager, decision_maker
):
    stage2 = _stage2_completed(stage1_done, ready, programme_manager)
    services.report_draft(actor=ready.lead.user, audit=stage2)
    assert awaiting_decision(user=decision_maker) == []
    services.report_update(
        actor=ready.lead.user,
        audit=stage2,
        conclusions="Effective",
        recommendation="grant",
        objectives_met=True,
        scope_appropriate=True,
    )
    report = services.report_issue(actor=ready.lead.user, audit=stage2)
    [item] = awaiting_decision(user=decision_maker)
    assert (item["certification"], item["report"], item["decision"]) == (stage1_done.certification, report, "grant")
    with time_machine.travel(date(2026, 4, 10), tick=False):
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    assert awaiting_decision(user=decision_maker) == []


def test_the_queue_page_lists_the_certification_with_its_report_and_recommendation(
    stage1_done, ready, programme_manager, decision_maker
):
    issue_report(_stage2_completed(stage1_done, ready, programme_manager), ready.lead.user)
    page = login(decision_maker).get(reverse("certification:awaiting"))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("certification:detail", args=[stage1_done.certification.public_id]) in html
    assert "Stage 2 report rev. 1" in html
    assert "Grant certification" in html


def test_the_queue_through_the_api_not_for_another_certification_body_nor_the_client(
    stage1_done, ready, programme_manager, decision_maker, other_cb_admin, client_admin
):
    issue_report(_stage2_completed(stage1_done, ready, programme_manager), ready.lead.user)
    client, _ = token_client(decision_maker)
    [item] = client.get("/api/v1/awaiting-decisions").json()["items"]
    assert item["certification_id"] == str(stage1_done.certification.public_id)
    assert (item["decision"], item["audit_kind"], item["report_revision"]) == ("grant", "stage2", 1)
    assert item["recommendation"] == "grant"
    other, _ = token_client(other_cb_admin)
    assert other.get("/api/v1/awaiting-decisions").json()["items"] == []
    own, _ = token_client(client_admin)
    assert own.get("/api/v1/awaiting-decisions").json()["items"] == []  # the client's own certification: staff only


def test_the_queue_finds_by_organization_and_decision_on_the_page_and_in_the_api(
    stage1_done, ready, programme_manager, decision_maker
):
    issue_report(_stage2_completed(stage1_done, ready, programme_manager), ready.lead.user)
    organization = stage1_done.certification.organization
    page = login(decision_maker).get(reverse("certification:awaiting"), {"q": organization.legal_name[:5]})
    assert "1 report matches" in page.content.decode()
    renewals = login(decision_maker).get(reverse("certification:awaiting"), {"decision": "renew"})
    assert "No report matches" in renewals.content.decode()
    client, _ = token_client(decision_maker)
    assert client.get("/api/v1/awaiting-decisions", {"decision": "grant"}).json()["count"] == 1
    assert client.get("/api/v1/awaiting-decisions", {"q": "nobody-like-this"}).json()["count"] == 0
    bad = client.get("/api/v1/awaiting-decisions", {"decision": "refuse"})
    assert bad.status_code == 422
    assert "decision" in bad.json()["fields"]
