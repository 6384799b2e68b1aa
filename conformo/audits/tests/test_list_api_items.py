"""The API's lists read a page's rows with only the columns they write and their relations as lists or values
(`audits.api.findings`, `audits.api.programmes`, `audits.selectors.with_qualifications`): each item must still be
the row's own answer, and the register page must still write what the auditor has."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import QualificationRole
from conformo.audits.tests.factories import qualify
from conformo.conftest import token_client

API = "/api/v1"


def cited_in_any_order(finding: dict) -> dict:
    """A finding's answer with its clauses sorted: the test catalog's clauses share one position, and clauses in the
    same place of the catalog (`Clause.Meta.ordering`) come in no set order."""
    references = sorted(finding["references"], key=lambda r: (r["standard"], r["kind"], r["ref"]))
    return {**finding, "clauses": sorted(finding["clauses"]), "references": references}


def test_each_listed_finding_is_the_findings_own_answer(open_minor, ready, client_admin, programme_manager):
    lead = ready.lead.user
    second = services.finding_raise(
        actor=lead,
        audit=open_minor.audit,
        grade="minor",
        statement="No internal audit of purchasing",
        clauses=[ready.qms.clauses.get(ref="9.2"), ready.qms.clauses.get(ref="7.5")],
    )
    response = services.finding_respond(
        actor=client_admin, finding=second, correction="Audit booked", root_cause="No plan", corrective_action="Plan"
    )
    services.finding_response_review(actor=lead, response=response, accept=True)
    second.refresh_from_db()
    services.finding_verify(actor=lead, finding=second, method="documents", effective=True)

    client, _ = token_client(programme_manager)
    items = {item["id"]: item for item in client.get(f"{API}/findings").json()["items"]}

    for finding in (open_minor, second):
        answer = client.get(f"{API}/findings/{finding.public_id}").json()
        assert cited_in_any_order(items[str(finding.public_id)]) == cited_in_any_order(answer)
    listed = items[str(second.public_id)]
    assert sorted(ref["ref"] for ref in listed["references"]) == ["7.5", "9.2"]
    assert len(listed["clauses"]) == 2
    assert [r["corrective_action"] for r in listed["responses"]] == ["Plan"]
    assert [v["effective"] for v in listed["verifications"]] == [True]
    assert listed["organization"] == str(open_minor.audit.programme.organization)


def test_each_listed_audit_is_the_audits_own_answer(open_minor, ready, programme_manager):
    stage2 = open_minor.audit
    client, _ = token_client(programme_manager)
    items = {item["id"]: item for item in client.get(f"{API}/audits?page_size=200").json()["items"]}

    for audit in stage2.programme.audits.all():
        assert items[str(audit.public_id)] == client.get(f"{API}/audits/{audit.public_id}").json()
    listed = items[str(stage2.public_id)]
    assert {m["auditor_id"] for m in listed["team"]} == {str(m.auditor.public_id) for m in stage2.team.all()}
    assert len(listed["team"]) == stage2.team.count() > 0
    assert listed["sites"] == [site.name for site in stage2.sites.all()] != []
    assert listed["programme_id"] == str(stage2.programme.public_id)


def renewed(ready, cb_admin):
    """The lead auditor's ISO 9001 qualification renewed (two of one standard, the latest listed first)."""
    return qualify(cb_admin, ready.lead, ready.qms, [17, 18], QualificationRole.LEAD_AUDITOR, on=date(2023, 1, 1))


def test_each_listed_auditor_is_the_auditors_own_answer(ready, cb_admin):
    latest = renewed(ready, cb_admin)
    client, _ = token_client(cb_admin)
    items = {item["id"]: item for item in client.get(f"{API}/auditors").json()["items"]}

    for auditor in (ready.lead, ready.auditor):
        assert items[str(auditor.public_id)] == client.get(f"{API}/auditors/{auditor.public_id}").json()
    listed = items[str(ready.lead.public_id)]["qualifications"]
    assert [(q["standard"], q["valid_from"]) for q in listed] == [
        ("iso-14001-2015", "2020-01-01"),
        ("iso-9001-2015", "2023-01-01"),
        ("iso-9001-2015", "2020-01-01"),
    ]
    assert listed[1]["id"] == str(latest.public_id)
    assert listed[1]["evaluation_id"] == str(latest.evaluation.public_id)
    assert listed[1]["sector_codes"] == [17, 18]


def test_the_register_writes_each_qualification_and_conflict_as_the_auditor_has_it(ready, cb_admin, acme):
    renewed(ready, cb_admin)
    services.conflict_declare(actor=cb_admin, auditor=ready.lead, organization=acme, started_on=date(2024, 5, 1))
    client = Client()
    client.force_login(cb_admin)
    page = client.get(reverse("audits:auditors")).content.decode()
    lines = [q.line for q in ready.lead.qualifications.all()]
    assert lines == [
        "ISO 14001:2015 · Lead auditor · IAF 17 · from 2020-01-01 to 2029-12-31",
        "ISO 9001:2015 · Lead auditor · IAF 17, 18 · from 2023-01-01 to 2032-12-31",
        "ISO 9001:2015 · Lead auditor · IAF 17 · from 2020-01-01 to 2029-12-31",
    ]
    assert "".join(f"<li>{line}</li>" for line in lines) in page
    assert f"Consultancy for the client for {acme} (2024-05-01–ongoing)" in page
