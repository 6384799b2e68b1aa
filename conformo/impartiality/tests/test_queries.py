"""The register, committee and related-body lists read in a number of queries that does not grow with their rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.conftest import login
from conformo.impartiality import services

pytestmark = pytest.mark.django_db


def _fill(cb, cb_admin, acme, n):
    body = services.related_body_create(
        actor=cb_admin, certification_body=cb, name=f"Body {n}", relationship="Owner", services="Training"
    )
    services.related_body_relationship_declare(
        actor=cb_admin, related_body=body, organization=acme, started_on=date(2020, 1, 1)
    )
    threat = services.threat_create(
        actor=cb_admin,
        certification_body=cb,
        kind="familiarity",
        source="related_body",
        title=f"Threat {n}",
        likelihood=2,
        severity=2,
        residual_level="low",
        related_body=body,
        owner=cb_admin,
    )
    member = services.committee_member_add(
        actor=cb_admin, certification_body=cb, name=f"Member {n}", interest="Clients", joined_on=date(2020, 1, 1)
    )
    services.meeting_record(
        actor=cb_admin,
        certification_body=cb,
        held_on=date(2025, 1, n + 1),
        attendees=[member],
        agenda="Register",
        minutes="Reviewed",
        reviewed=[threat],
        outcome="Fine",
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


URLS = [
    "/impartiality/",
    "/impartiality/related-bodies/",
    "/impartiality/committee/",
    "/retention/",
]


def test_page_and_api_lists_do_not_grow_with_their_rows(cb, cb_admin, acme):
    client = login(cb_admin)
    api = [
        f"/api/v1/certification-bodies/{cb.public_id}/impartiality/threats",
        f"/api/v1/certification-bodies/{cb.public_id}/related-bodies",
        f"/api/v1/certification-bodies/{cb.public_id}/impartiality/meetings",
        f"/api/v1/certification-bodies/{cb.public_id}/impartiality/committee",
    ]
    _fill(cb, cb_admin, acme, 0)
    before = {url: _count(client, url) for url in URLS + api}
    for n in range(1, 4):
        _fill(cb, cb_admin, acme, n)
    after = {url: _count(client, url) for url in URLS + api}
    assert after == before
