"""The decision page and API show the certification file (17021-1 9.5.1): application review with its audit time
trace, plans, reports with the recommendation, findings with status and verification, team with its eligibility
check, previous decisions - in a fixed number of queries however many findings and reports there are."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.certification.tests.conftest import issue_report, team
from conformo.conftest import login, token_client


def _surveillance_with_findings(granted, ready, programme_manager, count, kind=AuditKind.SURVEILLANCE_1, year=2027):
    """A surveillance held with `count` minor findings, its plan and report issued."""
    audit = granted.programmes.get(active=True).audits.get(kind=kind)
    lead = ready.lead.user
    with time_machine.travel(date(year, 3, 1), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=audit, planned_start=date(year, 3, 1), planned_end=date(year, 3, 2)
        )
        services.audit_team_assign(actor=programme_manager, audit=audit, members=team(ready))
        services.plan_draft(actor=programme_manager, audit=audit)
        services.plan_issue(actor=programme_manager, audit=audit)
        services.audit_start(actor=programme_manager, audit=audit)
        clause = list(ready.qms.clauses.filter(ref="9.2"))
        for n in range(count):
            services.finding_raise(actor=lead, audit=audit, grade="minor", statement=f"Gap {n}", clauses=clause)
        services.audit_complete(actor=programme_manager, audit=audit, on=date(year, 3, 2))
        issue_report(audit, lead, recommendation="continue", surveillance_review="Complaints and changes reviewed")
    return audit


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_decision_page_shows_the_file(granted, ready, programme_manager, decision_maker):
    _surveillance_with_findings(granted, ready, programme_manager, 2)
    html = login(decision_maker).get(reverse("certification:detail", args=[granted.public_id])).content.decode()
    assert "The certification file" in html
    assert "How the audit time was computed" in html
    assert "recommends: <strong>Grant certification</strong>" in html
    assert "recommends: <strong>Continue certification</strong>" in html
    assert "Gap 1" in html
    assert "eligibility check" in html
    assert "Stage 2 rev. 1" in html  # the grant's report revision, in the previous decisions


def test_the_client_sees_no_file_on_the_page_and_is_refused_it_through_the_api(granted, client_admin):
    page = login(client_admin).get(reverse("certification:detail", args=[granted.public_id]))
    assert page.context["file"] is None
    client, _ = token_client(client_admin)
    assert client.get(f"/api/v1/certifications/{granted.public_id}/decision-file").status_code == 403


def test_the_page_and_the_api_read_the_file_in_a_fixed_number_of_queries(
    granted, ready, programme_manager, decision_maker
):
    page_url = reverse("certification:detail", args=[granted.public_id])
    api_url = f"/api/v1/certifications/{granted.public_id}/decision-file"
    page = login(decision_maker)
    api, _ = token_client(decision_maker)
    _surveillance_with_findings(granted, ready, programme_manager, 1)
    api.get(api_url)  # the token's first use is recorded once
    before = (_count(page, page_url), _count(api, api_url))
    _surveillance_with_findings(granted, ready, programme_manager, 5, AuditKind.SURVEILLANCE_2, 2028)
    for _ in range(2):
        services.special_audit_create(
            actor=programme_manager,
            programme=granted.programmes.get(active=True),
            purpose="short_notice",
            due_by=None,
            days=Decimal(1),
        )
    after = (_count(page, page_url), _count(api, api_url))
    assert after == before
    body = json.loads(api.get(api_url).content)
    assert sum(len(a["findings"]) for a in body["audits"]) == 6
    assert len(body["audits"]) == 7
    assert [len(a["reports"]) for a in body["audits"] if a["kind"].startswith("surveillance")] == [1, 1]
