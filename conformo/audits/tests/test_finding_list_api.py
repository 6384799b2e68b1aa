"""The findings list reads a page's findings with only the columns it writes and their clauses, responses and
verifications prefetched as lists (`audits.api.findings`): each item must still be the finding's own answer."""

from __future__ import annotations

from conformo.audits import services
from conformo.conftest import token_client

API = "/api/v1"


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
        assert items[str(finding.public_id)] == client.get(f"{API}/findings/{finding.public_id}").json()
    listed = items[str(second.public_id)]
    assert sorted(ref["ref"] for ref in listed["references"]) == ["7.5", "9.2"]
    assert len(listed["clauses"]) == 2
    assert [r["corrective_action"] for r in listed["responses"]] == ["Plan"]
    assert [v["effective"] for v in listed["verifications"]] == [True]
    assert listed["organization"] == str(open_minor.audit.programme.organization)
