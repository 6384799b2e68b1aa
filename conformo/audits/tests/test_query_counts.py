"""API lists run a number of queries that does not grow with the number of rows."""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of, team
from conformo.certification.services import application_accept
from conformo.conftest import token_client
from conformo.core.tests.factories import OrganizationFactory, SiteFactory
from conformo.organizations.models import ClientRelationship


def _client_with_findings(ready, programme_manager, name):
    org = OrganizationFactory(legal_name=name, sector_codes=[17])
    ClientRelationship.objects.create(certification_body=ready.cb, organization=org)
    sites: list[Any] = [SiteFactory(organization=org, is_headquarters=True, permanent_staff=30)]
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = services.application_submit(
            actor=programme_manager,
            certification_body=ready.cb,
            organization=org,
            standards=[ready.qms],
            scope="Parts",
            sites=sites,
            sector_codes=[17],
        )
        services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
    services.programme_record_combined_audit(
        actor=programme_manager, programme=programme, justification="Combined for the query test"
    )
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage2)
    for grade in ("major", "minor"):
        services.finding_raise(
            actor=ready.lead.user, audit=stage2, grade=grade, statement="x", clauses=list(ready.qms.clauses.all()[:2])
        )


@pytest.mark.parametrize(
    "path",
    [
        "/applications",
        "/programmes",
        "/audits",
        "/findings",
        "/certifications",
        "/auditors",
        "/schedule?start=2026-01-01&end=2030-01-01",
    ],
)
def test_the_list_query_count_does_not_grow_with_rows(path, ready, programme_manager):
    client, _ = token_client(programme_manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1" + path).status_code == 200
        return len(queries)

    _client_with_findings(ready, programme_manager, "One")
    count()  # warm-up: the first use of a token also records when it was last used
    first = count()
    _client_with_findings(ready, programme_manager, "Two")
    _client_with_findings(ready, programme_manager, "Three")
    assert count() == first


def test_a_page_of_programmes_leaves_no_garbage_that_grows_with_its_audits(ready, programme_manager):
    """The programmes' prefetched audits and teams point back at them (a reference cycle that only Python's
    cyclic collector frees, in pauses that grow with the garbage): the API releases them once written."""
    client, _ = token_client(programme_manager)

    def garbage() -> int:
        gc.collect()
        gc.disable()
        try:
            assert len(client.get("/api/v1/programmes").json()["items"]) > 0
            return gc.collect()
        finally:
            gc.enable()

    _client_with_findings(ready, programme_manager, "One")
    garbage()  # warm-up
    first = garbage()
    for name in ("Two", "Three", "Four"):
        _client_with_findings(ready, programme_manager, name)
    # Three more clients (their programmes, audits, teams): +505 cyclic objects while the rows were kept, +87 now.
    assert garbage() - first < 200
