"""The audit plan's pages: the CB drafts, edits and issues; the client accepts or objects; the CB resolves;
each version as a PDF; another organization or CB gets 404."""

import pytest
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import PlanStatus
from conformo.conftest import login


def url(name, audit, *args):
    return reverse(f"audits:{name}", args=[audit.public_id, *args])


def test_the_cb_drafts_edits_and_issues_the_plan_on_the_audit_page(stage1, programme_manager):
    client = login(programme_manager)
    assert client.post(url("plan-draft", stage1)).status_code == 302
    edited = client.post(
        url("plan-update", stage1),
        {
            "objectives": "Stage 1 readiness",
            "scope": "Machining",
            "criteria": "ISO 9001:2015 4-10",
            "language": "English",
            "remote_use": "",
            "timetable": "2026-02-02 09:00-10:00 | lead@northbridge.test | HQ | Opening meeting, 4.1-4.4",
        },
    )
    assert edited.status_code == 302
    assert client.post(url("plan-issue", stage1), {"change_note": ""}).status_code == 302
    plan = services.plan_current(stage1)
    assert plan is not None
    assert plan.timetable[0]["activity"] == "Opening meeting, 4.1-4.4"
    page = client.get(url("audit-detail", stage1))
    assert "Opening meeting, 4.1-4.4" in page.content.decode()


def test_a_malformed_timetable_line_comes_back_on_the_form(stage1, programme_manager):
    client = login(programme_manager)
    client.post(url("plan-draft", stage1))
    response = client.post(
        url("plan-update", stage1),
        {"objectives": "o", "scope": "s", "criteria": "c", "language": "English", "timetable": "tomorrow morning"},
    )
    assert response.status_code == 422
    assert "Line 1" in response.content.decode()


def test_the_client_accepts_the_issued_plan_on_the_audit_page(issued, stage1, client_admin):
    client = login(client_admin)
    page = client.get(url("audit-detail", stage1)).content.decode()
    assert "Accept version 1" in page
    assert client.post(url("plan-accept", stage1)).status_code == 302
    issued.refresh_from_db()
    assert issued.accepted_by == client_admin


def test_the_client_does_not_see_the_cbs_next_draft(issued, stage1, programme_manager, client_admin):
    services.plan_update(actor=programme_manager, audit=stage1, language="Klingon")
    client = login(client_admin)
    assert "Klingon" not in client.get(url("audit-detail", stage1)).content.decode()
    assert client.get(url("plan-pdf", stage1, 2)).status_code == 404


def test_an_objection_from_the_page_blocks_the_start_until_the_cb_resolves_it(
    issued, stage1, ready, client_admin, programme_manager
):
    client = login(client_admin)
    sent = client.post(url("plan-object", stage1), {"auditor": str(ready.auditor.public_id), "reason": "Competitor"})
    assert sent.status_code == 302
    cb = login(programme_manager)
    refused = cb.post(url("audit-start", stage1), {"confirm": "on"})
    assert refused.status_code == 409
    assert "objects to" in refused.content.decode()
    objection = issued.objections.get()
    resolve = reverse("audits:objection-resolve", args=[objection.public_id])
    assert cb.post(resolve, {"resolution": "kept", "note": ""}).status_code == 422
    assert cb.post(resolve, {"resolution": "kept", "note": "Checked: no link"}).status_code == 302
    assert cb.post(url("audit-start", stage1), {"confirm": "on"}).status_code == 302


def test_each_version_renders_as_a_pdf(issued, stage1, programme_manager, client_admin):
    for user in (programme_manager, client_admin):
        response = login(user).get(url("plan-pdf", stage1, 1))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["plan-draft", "plan-update", "plan-issue", "plan-accept", "plan-object"])
def test_every_plan_action_url_shows_its_page_on_get(issued, stage1, programme_manager, name):
    assert login(programme_manager).get(url(name, stage1)).status_code == 200


def test_another_organization_and_another_cb_reach_none_of_the_plan(
    issued, stage1, ready, client_admin, other_client_admin, other_cb_admin
):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    for user in (other_client_admin, other_cb_admin):
        client = login(user)
        assert client.get(url("plan-pdf", stage1, 1)).status_code == 404
        assert client.post(url("plan-accept", stage1)).status_code == 404
        assert client.post(url("plan-object", stage1), {"auditor": "x", "reason": "y"}).status_code == 404
        resolve = reverse("audits:objection-resolve", args=[objection.public_id])
        assert client.post(resolve, {"resolution": "kept", "note": "n"}).status_code == 404
    assert issued.status == PlanStatus.ISSUED


def test_the_lead_auditor_edits_the_plan_but_does_not_resolve_objections(
    issued, stage1, ready, client_admin, lead_auditor
):
    services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    page = login(lead_auditor).get(url("audit-detail", stage1)).content.decode()
    assert "Change the plan (opens version 2)" in page
    assert ">Resolve<" not in page


def test_the_cb_is_told_when_the_audit_changed_since_the_issued_version(issued, stage1, ready, programme_manager):
    client = login(programme_manager)
    assert "changed since version 1" not in client.get(url("audit-detail", stage1)).content.decode()
    services.audit_team_assign(
        actor=programme_manager, audit=stage1, members=[services.Member(ready.lead, "lead_auditor")]
    )
    assert "changed since version 1" in client.get(url("audit-detail", stage1)).content.decode()
