"""The API's lists read a page's rows with only the columns they write and their relations as lists or values
(`audits.api.findings`, `audits.api.programmes`): each item must still be the row's own answer."""

from __future__ import annotations

from conformo.audits import services
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
