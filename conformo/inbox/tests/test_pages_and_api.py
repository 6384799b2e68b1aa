"""The My work page, its API and the count in the navigation; their query counts do not grow with the items."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit
from conformo.audits.tests.test_query_counts import _client_with_findings
from conformo.conftest import login, token_client
from conformo.core.tenancy import reach
from conformo.improvement.services import corrective_action_set, nonconformity_raise
from conformo.inbox.choices import ItemKind
from conformo.inbox.selectors import inbox_count, inbox_items
from conformo.readiness.services import document_create

pytestmark = pytest.mark.django_db


def _documents(organization, admin, n, owner=None):
    today = timezone.localdate()
    for i in range(n):
        document_create(
            actor=admin, organization=organization, title=f"Procedure {i}", review_due=today + timedelta(days=i - 2)
        )


def _corrective_actions(organization, admin, n, owner=None):
    today = timezone.localdate()
    for i in range(n):
        nc = nonconformity_raise(
            actor=admin, organization=organization, source="incident", grade="minor", title=f"Spill {i}"
        )
        if i % 2:
            corrective_action_set(
                actor=admin,
                nonconformity=nc,
                root_cause="r",
                action="a",
                due_date=today + timedelta(days=i),
                owner=owner,
            )


def test_my_work_lists_the_items_overdue_first_with_their_links(acme, client_admin):
    _documents(acme, client_admin, 3)
    response = login(client_admin).get("/inbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 items waiting for you, <strong>2 overdue</strong>" in html
    assert html.index("Procedure 0") < html.index("Procedure 1") < html.index("Procedure 2")
    item = response.context["items"][0]
    assert f'href="{item.url}"' in html
    assert 'My work <span class="count">(3)</span>' in html


def test_my_work_says_so_when_nothing_waits(outsider, client_admin):
    for user in (outsider, client_admin):
        html = login(user).get("/inbox/").content.decode()
        assert "Nothing waits for you." in html


def test_my_work_asks_a_visitor_to_sign_in(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_my_work_is_a_read(client_admin):
    assert login(client_admin).post("/inbox/").status_code == 405


PLACEHOLDER = 'My work <span hx-get="/inbox/count/" hx-trigger="load" hx-swap="outerHTML"></span></a>'


def test_the_navigation_asks_for_the_count_after_the_page_and_shows_none_when_there_is_none(acme, client_admin):
    client = login(client_admin)
    assert PLACEHOLDER in client.get("/dashboard/").content.decode()
    assert client.get("/inbox/count/").content.decode() == ""
    _documents(acme, client_admin, 2)
    response = client.get("/inbox/count/")
    assert response.content.decode() == '<span class="count">(2)</span>'
    assert "no-cache" in response["Cache-Control"]


def test_drawing_a_page_does_not_count_my_work(acme, client_admin):
    client = login(client_admin)
    _documents(acme, client_admin, 2)
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/")
    assert not any("COUNT(DISTINCT" in query["sql"] for query in queries.captured_queries)


def test_my_work_writes_its_count_at_once(acme, client_admin):
    _documents(acme, client_admin, 2)
    html = login(client_admin).get("/inbox/").content.decode()
    assert 'My work <span class="count">(2)</span></a>' in html
    assert "/inbox/count/" not in html


def test_the_count_of_a_visitor_is_empty_and_only_read(client, client_admin):
    response = client.get("/inbox/count/")
    assert (response.status_code, response.content) == (200, b"")
    assert login(client_admin).post("/inbox/count/").status_code == 405


def test_the_navigation_count_costs_one_query_once_the_memberships_are_read(acme, client_admin):
    _documents(acme, client_admin, 4)
    _corrective_actions(acme, client_admin, 4)
    reach(client_admin)
    with CaptureQueriesContext(connection) as queries:
        assert inbox_count(user=client_admin) == 8
    assert len(queries) == 1


def test_the_api_lists_the_items_with_their_count(acme, client_admin):
    _documents(acme, client_admin, 3)
    client, _ = token_client(client_admin)
    body = client.get("/api/v1/inbox").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["kind"] == ItemKind.DOCUMENT_REVIEW_DUE
    assert first["overdue"] is True
    assert first["title"] == "Review “Procedure 0”"
    assert first["role"] == "client_admin"
    assert first["role_label"] == "Client administrator"
    assert first["organization"] == acme.legal_name
    assert first["organization_id"] == str(acme.public_id)
    assert first["audit"] == ""
    assert first["audit_id"] is None
    assert first["url"].startswith("/readiness/documents/")
    assert first["due"] == (timezone.localdate() - timedelta(days=2)).isoformat()
    assert client.get("/api/v1/inbox?page_size=2&page=2").json()["items"][0]["title"] == "Review “Procedure 2”"


def test_the_api_refuses_an_anonymous_caller(client):
    response = client.get("/api/v1/inbox")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_api_operation_is_documented():
    from conformo.api import api

    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/inbox"]["get"]
    assert operation["operationId"] == "inbox_list"
    assert operation["tags"] == ["inbox"]
    assert "InboxItemOut" in schema["components"]["schemas"]


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/inbox/", "/api/v1/inbox"])
def test_a_clients_queries_do_not_grow_with_its_items(path, acme, client_admin, client_member, open_minor):
    client = login(client_admin) if path == "/inbox/" else token_client(client_admin)[0]
    _queries(client, path)  # warm-up (a token's first use records it)
    one = _queries(client, path)
    _documents(acme, client_admin, 6)
    _corrective_actions(acme, client_admin, 6, owner=client_member)
    assert inbox_count(user=client_admin) > 10
    assert _queries(client, path) == one


@pytest.mark.parametrize("path", ["/inbox/", "/api/v1/inbox"])
def test_the_cbs_queries_do_not_grow_with_its_items(path, ready, programme_manager):
    _client_with_findings(ready, programme_manager, "One")
    client = login(programme_manager) if path == "/inbox/" else token_client(programme_manager)[0]
    _queries(client, path)
    one = _queries(client, path)
    today = timezone.localdate()
    before = inbox_count(user=programme_manager, today=today)
    _client_with_findings(ready, programme_manager, "Two")
    _client_with_findings(ready, programme_manager, "Three")
    assert inbox_count(user=programme_manager, today=today) > before
    assert _queries(client, path) == one


def _completed_stage2(ready, programme_manager, name):
    _client_with_findings(ready, programme_manager, name)
    stage2 = Audit.objects.get(programme__organization__legal_name=name, kind=AuditKind.STAGE_2)
    services.audit_complete(actor=programme_manager, audit=stage2)


def test_an_auditors_queries_do_not_grow_with_its_items(ready, programme_manager):
    lead = ready.lead.user
    _completed_stage2(ready, programme_manager, "One")
    client = login(lead)
    _queries(client, "/inbox/")
    one = _queries(client, "/inbox/")
    _completed_stage2(ready, programme_manager, "Two")
    _completed_stage2(ready, programme_manager, "Three")
    assert [item.kind for item in inbox_items(user=lead)] == [ItemKind.REPORT_DUE] * 3
    assert _queries(client, "/inbox/") == one


def test_the_count_adds_no_query_to_a_page(acme, client_admin):
    _documents(acme, client_admin, 3)
    templates: Any = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    templates[0]["OPTIONS"]["context_processors"] = [p for p in processors if not p.startswith("conformo.inbox")]
    client = login(client_admin)
    with_count = _queries(client, "/standards/")
    with override_settings(TEMPLATES=templates):
        without = _queries(client, "/standards/")
    assert with_count == without
