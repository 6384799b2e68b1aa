"""The audit report through the API and the pages: each action at its URL, the client reads issued revisions
only, other tenants answered 404, a PDF per revision, and a read that costs the same however many findings."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.audits import services
from conformo.audits.models import Audit, Finding
from conformo.audits.tests.conftest import issue_report
from conformo.conftest import login, token_client


def post(user: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    client, _ = token_client(user)
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def stage2(open_minor: Finding, programme_manager: Any) -> Audit:
    return services.audit_complete(actor=programme_manager, audit=open_minor.audit)


def base(audit: Audit) -> str:
    return f"/api/v1/audits/{audit.public_id}/reports"


def test_the_lead_auditor_drafts_edits_and_issues_the_report_through_the_api(stage2, lead_auditor, auditor):
    assert post(lead_auditor, f"{base(stage2)}/draft").status_code == 201
    assert post(auditor, f"{base(stage2)}/section", {"text": "Production"}).status_code == 200
    assert post(auditor, f"{base(stage2)}/issue").status_code == 403
    refused = post(lead_auditor, f"{base(stage2)}/issue")
    assert (refused.status_code, set(refused.json()["fields"])) == (
        422,
        {"conclusions", "recommendation", "objectives_met", "scope_appropriate"},
    )
    edited = post(
        lead_auditor,
        f"{base(stage2)}/edit",
        {"conclusions": "Effective", "recommendation": "grant", "objectives_met": True, "scope_appropriate": True},
    )
    assert edited.status_code == 200, edited.content
    issued = post(lead_auditor, f"{base(stage2)}/issue")
    assert (issued.status_code, issued.json()["status"]) == (200, "issued")
    assert issued.json()["sections"][0]["text"] == "Production"
    assert post(lead_auditor, f"{base(stage2)}/edit", {"conclusions": "Changed"}).status_code == 409
    revised = post(lead_auditor, f"{base(stage2)}/revise", {"reason": "Wrong site named"})
    assert (revised.status_code, revised.json()["revision"]) == (201, 2)


def test_a_recommendation_that_is_no_choice_is_a_422_not_a_server_error(stage2, lead_auditor):
    post(lead_auditor, f"{base(stage2)}/draft")
    assert post(lead_auditor, f"{base(stage2)}/edit", {"recommendation": "maybe"}).status_code == 422
    assert post(lead_auditor, f"{base(stage2)}/edit", {"scope_appropriate": "perhaps"}).status_code == 422


def test_the_client_reads_issued_revisions_only(stage2, ready, client_admin, client_member):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    client, _ = token_client(client_member)
    assert client.get(f"{base(stage2)}/current").status_code == 404
    assert client.get(f"{base(stage2)}/1").status_code == 404
    assert post(client_admin, f"{base(stage2)}/issue").status_code == 403
    services.report_update(
        actor=ready.lead.user,
        audit=stage2,
        conclusions="Effective",
        recommendation="grant",
        objectives_met=True,
        scope_appropriate=True,
    )
    services.report_issue(actor=ready.lead.user, audit=stage2)
    services.report_revise(actor=ready.lead.user, audit=stage2, reason="Typo")
    assert [r["revision"] for r in client.get(base(stage2)).json()["items"]] == [1]
    assert client.get(f"{base(stage2)}/current").json()["conclusions"] == "Effective"
    assert client.get(f"{base(stage2)}/2").status_code == 404


def test_other_tenants_get_404(stage2, ready, other_cb_admin, other_client_admin):
    issue_report(stage2, ready.lead.user)
    for stranger in (other_cb_admin, other_client_admin):
        client, _ = token_client(stranger)
        assert client.get(f"{base(stage2)}/current").status_code == 404
        assert post(stranger, f"{base(stage2)}/revise", {"reason": "x"}).status_code == 404
        assert login(stranger).get(reverse("audits:report-pdf", args=[stage2.public_id, 1])).status_code == 404


def test_the_report_due_read_gives_the_cbs_deadline(stage2, programme_manager, ready):
    client, _ = token_client(programme_manager)
    due = client.get(f"{base(stage2)}/due").json()
    assert (due["issued"], due["due_on"]) == (False, (stage2.completed_on + timedelta(days=30)).isoformat())
    issue_report(stage2, ready.lead.user)
    assert client.get(f"{base(stage2)}/due").json() == {"issued": True, "due_on": None, "overdue": False}


def test_the_report_read_does_not_grow_with_the_number_of_findings(stage2, ready, programme_manager):
    issue_report(stage2, ready.lead.user)
    client, _ = token_client(programme_manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{base(stage2)}/current").status_code == 200
        return len(queries)

    count()  # the first request of a client warms caches
    one = count()
    services.report_revise(actor=ready.lead.user, audit=stage2, reason="Findings added")
    Audit.objects.filter(pk=stage2.pk).update(status="in_progress")  # reopened only to raise more findings
    stage2.refresh_from_db()
    for n in range(5):
        services.finding_raise(actor=ready.lead.user, audit=stage2, grade="ofi", statement=f"Could improve {n}")
    Audit.objects.filter(pk=stage2.pk).update(status="completed")
    stage2.refresh_from_db()
    assert len(services.report_issue(actor=ready.lead.user, audit=stage2).facts["findings"]) == 6
    assert count() == one


def test_each_revision_is_a_pdf_and_the_client_gets_the_issued_one(stage2, ready, client_admin):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    lead = login(ready.lead.user)
    draft = lead.get(reverse("audits:report-pdf", args=[stage2.public_id, 1]))
    assert draft.content.startswith(b"%PDF")
    assert login(client_admin).get(reverse("audits:report-pdf", args=[stage2.public_id, 1])).status_code == 404
    services.report_update(
        actor=ready.lead.user,
        audit=stage2,
        conclusions="Effective",
        recommendation="grant",
        objectives_met=True,
        scope_appropriate=True,
    )
    services.report_issue(actor=ready.lead.user, audit=stage2)
    response = login(client_admin).get(reverse("audits:report-pdf", args=[stage2.public_id, 1]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")


def test_the_audit_page_shows_report_due_and_the_lead_drafts_and_issues_from_it(stage2, ready, auditor):
    page = login(ready.lead.user)
    text = page.get(reverse("audits:audit-detail", args=[stage2.public_id])).content.decode()
    assert "Report due" in text
    assert "Draft the report" in text
    assert page.post(reverse("audits:report-draft", args=[stage2.public_id])).status_code == 302
    refused = page.post(reverse("audits:report-issue", args=[stage2.public_id]))
    assert refused.status_code == 422
    section = login(auditor).post(reverse("audits:report-section", args=[stage2.public_id]), {"text": "Stores"})
    assert section.status_code == 302
    edit = {
        "objectives": "Conformity",
        "criteria": "ISO 9001",
        "scope": "Machining",
        "conclusions": "Effective",
        "recommendation": "grant",
        "objectives_met": "yes",
        "scope_appropriate": "yes",
    }
    assert page.post(reverse("audits:report-update", args=[stage2.public_id]), edit).status_code == 302
    assert page.post(reverse("audits:report-issue", args=[stage2.public_id])).status_code == 302
    text = page.get(reverse("audits:audit-detail", args=[stage2.public_id])).content.decode()
    assert "Report due" not in text
    assert "Revision 1, issued" in text
    current = services.report_current(stage2)
    assert current is not None
    assert current.sections[0]["text"] == "Stores"


def test_the_client_page_shows_the_issued_report_but_no_draft(stage2, ready, client_admin):
    services.report_draft(actor=ready.lead.user, audit=stage2)
    text = login(client_admin).get(reverse("audits:audit-detail", args=[stage2.public_id])).content.decode()
    assert "in draft" not in text
    assert "Draft the report" not in text


def test_the_programme_page_shows_which_completed_audits_have_a_report_due(stage2, ready, programme_manager):
    page = login(programme_manager)
    url = reverse("audits:programme-detail", args=[stage2.programme.public_id])
    due = (stage2.completed_on + timedelta(days=30)).strftime("%Y-%m-%d")
    text = page.get(url).content.decode()
    assert f"report due {due}" in text
    assert text.count("report due") == 2  # stage 1's too: completed, no report
    issue_report(stage2, ready.lead.user)
    text = page.get(url).content.decode()
    assert f"report due {due}" not in text
    assert text.count("report due") == 1
