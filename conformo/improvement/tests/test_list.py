"""The improvement log: search, filters (status, grade, source, action owner, corrective action due window), sort
and pages, on the page (htmx partial) and in the API with the same parameter names; the overdue badge and the
`due=overdue` filter agree; a fixed number of queries whatever the log's size."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.conftest import login, token_client
from conformo.improvement.services import corrective_action_complete, corrective_action_set, nonconformity_raise

pytestmark = pytest.mark.django_db
TODAY = "2026-06-01"


def raise_many(org: Any, actor: Any, first: int, last: int) -> None:
    for n in range(first, last):
        nonconformity_raise(
            actor=actor,
            organization=org,
            source="incident",
            grade="minor",
            title=f"Spill {n:03d}",
            raised_on=date(2026, 1, 1),
        )


@pytest.fixture
def log(acme: Any, client_admin: Any) -> None:
    raise_many(acme, client_admin, 1, 53)
    late = nonconformity_raise(
        actor=client_admin,
        organization=acme,
        source="internal_audit",
        grade="major",
        title="Calibration lapsed",
        raised_on=date(2026, 2, 1),
    )
    corrective_action_set(
        actor=client_admin,
        nonconformity=late,
        root_cause="No plan",
        action="Plan it",
        due_date=date(2026, 5, 1),
        owner=client_admin,
    )
    done = nonconformity_raise(
        actor=client_admin,
        organization=acme,
        source="complaint",
        grade="minor",
        title="Late delivery",
        raised_on=date(2026, 3, 1),
    )
    corrective_action_set(
        actor=client_admin,
        nonconformity=done,
        root_cause="Carrier",
        action="Change carrier",
        due_date=date(2026, 5, 1),
    )
    corrective_action_complete(actor=client_admin, nonconformity=done, completed_on=date(2026, 4, 20))
    soon = nonconformity_raise(
        actor=client_admin,
        organization=acme,
        source="incident",
        grade="minor",
        title="Guard missing",
        raised_on=date(2026, 4, 1),
    )
    corrective_action_set(
        actor=client_admin, nonconformity=soon, root_cause="Removed", action="Refit", due_date=date(2026, 6, 10)
    )


@time_machine.travel(TODAY, tick=False)
def test_the_log_searches_filters_sorts_and_pages(log: None, acme: Any, client_admin: Any) -> None:
    client = login(client_admin)
    url = f"/improvement/o/{acme.public_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"55 nonconformities" in page.content
    assert b"Page 1 of 2" in page.content
    overdue = client.get(url, {"due": "overdue"})
    assert b"1 nonconformity matches" in overdue.content
    assert b"Calibration lapsed" in overdue.content
    assert overdue.content.count(b"overdue</span>") == 1
    assert b"Late delivery" not in overdue.content  # its action is completed: no longer due
    assert b"Guard missing" in client.get(url, {"due": "30"}).content
    assert b"1 nonconformity matches" in client.get(url, {"grade": "major"}).content
    assert b"Late delivery" in client.get(url, {"source": "complaint"}).content
    assert b"Calibration lapsed" in client.get(url, {"owner": client_admin.email}).content
    assert b"1 nonconformity matches" in client.get(url, {"q": "carrier"}).content
    assert b"Spill" not in client.get(url, {"status": "action_planned"}).content
    oldest = client.get(url, {"sort": "raised"})
    assert b"Spill 001" in oldest.content
    assert b"Guard missing" not in oldest.content
    partial = client.get(url, {"q": "guard"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in partial.content
    assert b"Guard missing" in partial.content
    bad = client.get(url, {"grade": "nonsense", "due": "5", "page": "x"})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 2


@time_machine.travel(TODAY, tick=False)
def test_the_api_takes_the_same_filters_and_refuses_a_bad_one_by_name(log: None, acme: Any, client_admin: Any) -> None:
    client, _ = token_client(client_admin)
    url = f"/api/v1/organizations/{acme.public_id}/nonconformities"
    body = client.get(url, {"due": "overdue"}).json()
    assert [nc["title"] for nc in body["items"]] == ["Calibration lapsed"]
    assert client.get(url, {"q": "spill 05", "sort": "-number"}).json()["count"] == 4
    assert client.get(url, {"source": "incident", "open_only": "true"}).json()["count"] == 53
    bad = client.get(url, {"due": "soon"})
    assert bad.status_code == 422
    assert "due" in bad.json()["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_log(acme: Any, client_admin: Any) -> None:
    client = login(client_admin)
    api, _ = token_client(client_admin)
    url = f"/api/v1/organizations/{acme.public_id}/nonconformities"
    api.get(url)  # the token's first use records when it was used
    counts = []
    for first, last in ((1, 3), (3, 40)):
        raise_many(acme, client_admin, first, last)
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/improvement/o/{acme.public_id}/", {"q": "spill", "grade": "minor"}).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert api.get(url, {"status": "open"}).status_code == 200
        counts.append((len(page), len(listed)))
    assert counts[0] == counts[1]
