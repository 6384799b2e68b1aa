"""The certifications list and the decision makers' queue: search, filters (state as read today, standard,
country, IAF code, expiry window; decision), sort and pages, on the page (htmx partial) and in the API with the
same parameter names; a fixed number of queries whatever the list's size."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit, AuditProgramme, Finding
from conformo.audits.tests.factories import StandardFactory
from conformo.certification.models import Certification, Decision
from conformo.certification.selectors import PROPOSALS_SHOWN, RECENT_DECISIONS
from conformo.conftest import login, token_client
from conformo.core.tests.factories import OrganizationFactory
from conformo.organizations.models import ClientRelationship

pytestmark = pytest.mark.django_db
TODAY = "2026-06-01"


def certify(cb: Any, name: str, *, country: str = "GB", standard: Any = None, **values: Any) -> Certification:
    org = OrganizationFactory.create(legal_name=name, country=country)
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    values.setdefault("state", "active")
    values.setdefault("expires_on", date(2028, 1, 1))
    certification = Certification.objects.create(
        certification_body=cb, organization=org, scope=f"Work of {name}", **values
    )
    if standard is not None:
        certification.standards.set([standard])
    return certification


@pytest.fixture
def register(cb: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    ems = StandardFactory.create(code="iso-14001-2015", designation="ISO 14001:2015")
    for n in range(1, 53):
        certify(cb, f"Client {n:03d}", standard=qms)
    certify(cb, "Zephyr Plastics", country="DE", standard=qms)
    certify(cb, "Suspended Ltd", standard=ems, state="suspended")
    certify(cb, "Lapsed Ltd", standard=qms, expires_on=date(2026, 5, 20))  # active on paper, expired when read
    certify(cb, "Soon Ltd", standard=qms, expires_on=date(2026, 6, 20), sector_codes=[28, 29])


@time_machine.travel(TODAY, tick=False)
def test_the_page_searches_filters_sorts_and_pages(register: None, cb_admin: Any) -> None:
    client = login(cb_admin)
    page = client.get("/certification/")
    assert page.status_code == 200
    assert b"56 certifications" in page.content
    assert b"Page 1 of 2" in page.content
    found = client.get("/certification/", {"q": "zephyr"})
    assert b"1 certification matches" in found.content
    assert b"Client 001" not in found.content
    assert b"Lapsed Ltd" in client.get("/certification/", {"state": "expired"}).content
    assert b"No certification matches" in client.get("/certification/", {"state": "active", "q": "lapsed"}).content
    suspended = client.get("/certification/", {"standard": "iso-14001-2015", "state": "suspended"})
    assert b"1 certification matches" in suspended.content
    assert b"Suspended Ltd" in suspended.content
    assert b"Zephyr" in client.get("/certification/", {"country": "de"}).content
    assert b"Soon Ltd" in client.get("/certification/", {"iaf_code": "28"}).content
    due = client.get("/certification/", {"expires": "30"})
    assert b"1 certification matches" in due.content
    assert b"Soon Ltd" in due.content
    last = client.get("/certification/", {"sort": "-organization"})
    assert last.content.index(b"Zephyr") < last.content.index(b"Suspended Ltd")
    partial = client.get("/certification/", {"q": "zephyr"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in partial.content
    assert b"Zephyr" in partial.content
    bad = client.get("/certification/", {"state": "nonsense", "iaf_code": "99", "page": "x"})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 2


@time_machine.travel(TODAY, tick=False)
def test_the_api_takes_the_same_filters_and_refuses_a_bad_one_by_name(register: None, cb_admin: Any) -> None:
    client, _ = token_client(cb_admin)
    body = client.get("/api/v1/certifications", {"state": "expired"}).json()
    assert [c["organization"] for c in body["items"]] == ["Lapsed Ltd"]
    assert body["items"][0]["effective_state"] == "expired"
    body = client.get("/api/v1/certifications", {"q": "client 05", "sort": "-organization"}).json()
    assert [c["organization"] for c in body["items"]] == ["Client 052", "Client 051", "Client 050", "Client 005"]
    assert client.get("/api/v1/certifications", {"expires": "overdue"}).json()["count"] == 1
    bad = client.get("/api/v1/certifications", {"state": "nonsense"})
    assert bad.status_code == 422
    unknown = client.get("/api/v1/certifications", {"standard": "iso-0-0"})
    assert unknown.status_code == 422
    assert "standard" in unknown.json()["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_list(cb: Any, cb_admin: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    client = login(cb_admin)
    api, _ = token_client(cb_admin)
    api.get("/api/v1/certifications")  # the token's first use records when it was used
    counts = []
    for first, last in ((1, 3), (3, 40)):
        for n in range(first, last):
            certify(cb, f"Client {n:03d}", standard=qms)
        with CaptureQueriesContext(connection) as page:
            assert client.get("/certification/", {"state": "active", "q": "client"}).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert api.get("/api/v1/certifications", {"standard": "iso-9001-2015"}).status_code == 200
        with CaptureQueriesContext(connection) as queue:
            assert client.get("/certification/awaiting-decision/", {"decision": "grant"}).status_code == 200
        counts.append((len(page), len(listed), len(queue)))
    assert counts[0] == counts[1]


def overdue(certification: Certification) -> None:
    """A decision on `certification`, an overdue surveillance and an overdue major nonconformity: a suspension
    proposal with two reasons, and a row of the recent decisions."""
    Decision.objects.create(
        certification=certification,
        kind="grant",
        decided_on=date(2026, 1, 5),
        state_before="pending",
        state_after="active",
    )
    programme = AuditProgramme.objects.create(
        certification_body=certification.certification_body,
        organization=certification.organization,
        certification=certification,
        scope=certification.scope,
    )
    audit = Audit.objects.create(programme=programme, kind=AuditKind.SURVEILLANCE_1, due_by=date(2026, 5, 1))
    Finding.objects.create(
        audit=audit,
        reference="NC-1",
        grade="major",
        statement="No calibration",
        raised_on=date(2026, 3, 1),
        verification_due=date(2026, 5, 15),
    )


@time_machine.travel(TODAY, tick=False)
def test_the_proposals_and_decisions_beside_the_list_cost_the_same_queries_for_many(cb: Any, cb_admin: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    client = login(cb_admin)
    counts = []
    for first, last in ((1, 3), (3, 60)):
        for n in range(first, last):
            overdue(certify(cb, f"Client {n:03d}", standard=qms))
        with CaptureQueriesContext(connection) as page:
            response = client.get("/certification/")
        with CaptureQueriesContext(connection) as panel:
            proposals = client.get("/certification/suspension-proposals/", headers={"HX-Request": "true"})
        assert response.status_code == proposals.status_code == 200
        assert f"Suspension proposed ({last - 1})".encode() in proposals.content
        counts.append((len(page), len(panel)))
    assert counts[0] == counts[1]
    assert proposals.content.count(b"was due by 2026-05-01 and has not taken place.") == PROPOSALS_SHOWN
    assert (
        proposals.content.count(b"Major nonconformity NC-1 was due for verification by 2026-05-15.") == PROPOSALS_SHOWN
    )
    assert b"All 59 certifications proposed for suspension" in proposals.content
    assert response.content.split(b"<h2>Recent decisions</h2>")[1].count(b"<td>2026-01-05</td>") == RECENT_DECISIONS


@time_machine.travel(TODAY, tick=False)
def test_the_page_asks_for_its_suspension_proposals_once_drawn(cb: Any, cb_admin: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    overdue(certify(cb, "Client 001", standard=qms))
    client = login(cb_admin)
    with CaptureQueriesContext(connection) as drawn:
        page = client.get("/certification/")
    # The placeholder (a link to the proposals, without JavaScript) and no read of the audits or findings.
    assert b'hx-get="/certification/suspension-proposals/" hx-trigger="load"' in page.content
    assert b'href="/certification/?suspension=proposed"' in page.content
    assert not [q["sql"] for q in drawn if "audits_finding" in q["sql"]]
    panel = client.get("/certification/suspension-proposals/", headers={"HX-Request": "true"})
    assert b"Suspension proposed (1)" in panel.content
    assert b"<html" not in panel.content
    assert "no-cache" in panel["Cache-Control"]
    with time_machine.travel("2026-04-01", tick=False):  # nothing overdue yet: nothing to propose, nothing shown
        assert client.get("/certification/suspension-proposals/").content.strip() == b""
    client.logout()  # a session that ended while the page was open: no sign-in page inside the list's page
    signed_out = client.get("/certification/suspension-proposals/", headers={"HX-Request": "true"})
    assert (signed_out.status_code, signed_out.content.strip()) == (200, b"")


@time_machine.travel(TODAY, tick=False)
def test_the_filters_answer_reads_neither_the_proposals_nor_the_decisions(cb: Any, cb_admin: Any) -> None:
    qms = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    overdue(certify(cb, "Client 001", standard=qms))
    client = login(cb_admin)
    with CaptureQueriesContext(connection) as partial:
        answer = client.get("/certification/", {"q": "client"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"Client 001" in answer.content
    assert b"suspension-proposals" not in answer.content
    assert not [q["sql"] for q in partial if "certification_decision" in q["sql"] or "audits_finding" in q["sql"]]
    assert b"Recent decisions" in client.get("/certification/", {"q": "client"}).content
