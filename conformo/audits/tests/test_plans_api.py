"""The audit plan through the API: each action at its URL, the client's view, other tenants answered 404."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conformo.audits import services
from conformo.audits.tests.conftest import ROW
from conformo.conftest import token_client


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_cb_drafts_edits_and_issues_a_plan_through_the_api(stage1, programme_manager):
    client, _ = token_client(programme_manager)
    base = f"/api/v1/audits/{stage1.public_id}/plans"
    assert post(client, f"{base}/draft").status_code == 201
    edited = post(client, f"{base}/edit", {"language": "French", "remote_use": "Records by video", "timetable": [ROW]})
    assert edited.status_code == 200, edited.content
    assert edited.json()["timetable"][0]["start"] == "09:00"
    issued_ = post(client, f"{base}/issue")
    assert issued_.json()["status"] == "issued"
    assert client.get(f"{base}/current").json()["language"] == "French"


def test_a_bad_timetable_row_is_a_422_not_a_server_error(stage1, programme_manager):
    client, _ = token_client(programme_manager)
    base = f"/api/v1/audits/{stage1.public_id}/plans"
    post(client, f"{base}/draft")
    response = post(client, f"{base}/edit", {"timetable": [{**ROW, "start": "25:99"}]})
    assert response.status_code == 422
    response = post(client, f"{base}/edit", {"timetable": [{**ROW, "end": "08:00"}]})
    assert response.status_code == 422


def test_the_client_sees_the_issued_version_but_not_the_next_draft(issued, stage1, programme_manager, client_admin):
    services.plan_update(actor=programme_manager, audit=stage1, language="German")
    client, _ = token_client(client_admin)
    base = f"/api/v1/audits/{stage1.public_id}/plans"
    assert [v["version"] for v in client.get(base).json()["items"]] == [1]
    assert client.get(f"{base}/2").status_code == 404
    assert client.get(f"{base}/current").json()["version"] == 1


def test_the_client_objects_and_the_cb_resolves_through_the_api(
    issued,
    stage1,
    ready,
    client_admin,
    programme_manager,
):
    client, _ = token_client(client_admin)
    objected = post(
        client,
        f"/api/v1/audits/{stage1.public_id}/plans/objections",
        {"auditor_id": str(ready.auditor.public_id), "reason": "Worked for our competitor"},
    )
    assert objected.status_code == 201
    started = post(token_client(programme_manager)[0], f"/api/v1/audits/{stage1.public_id}/start")
    assert started.status_code == 409
    assert started.json()["code"] == "plan_objection_open"
    cb_client, _ = token_client(programme_manager)
    resolved = post(
        cb_client,
        f"/api/v1/plan-objections/{objected.json()['id']}/resolve",
        {"resolution": "kept", "note": "Checked: no relationship"},
    )
    assert resolved.json()["status"] == "resolved"
    assert post(client, f"/api/v1/audits/{stage1.public_id}/plans/accept").json()["accepted_by"]


def test_another_organization_and_another_cb_get_404(
    issued,
    stage1,
    ready,
    client_admin,
    other_client_admin,
    other_cb_admin,
):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    for user in (other_client_admin, other_cb_admin):
        client, _ = token_client(user)
        assert client.get(f"/api/v1/audits/{stage1.public_id}/plans/current").status_code == 404
        assert post(client, f"/api/v1/audits/{stage1.public_id}/plans/accept").status_code == 404
        resolve = post(client, f"/api/v1/plan-objections/{objection.public_id}/resolve", {"resolution": "kept"})
        assert resolve.status_code == 404


def test_the_versions_list_takes_the_same_queries_for_more_versions(issued, stage1, programme_manager):
    client, _ = token_client(programme_manager)
    url = f"/api/v1/audits/{stage1.public_id}/plans"
    client.get(url)  # the first request also records the token's use
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for language in ("German", "French", "Dutch"):
        services.plan_update(actor=programme_manager, audit=stage1, language=language)
        services.plan_issue(actor=programme_manager, audit=stage1, change_note=f"Now in {language}")
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(url).json()["items"]) == 4
    assert len(four) == len(one)


@pytest.mark.parametrize("body", [{"resolution": "ignored"}, {"resolution": 3}, {}])
def test_a_bad_resolution_is_refused_without_a_server_error(
    issued, stage1, ready, client_admin, programme_manager, body
):
    objection = services.plan_object(actor=client_admin, audit=stage1, auditor=ready.auditor, reason="Competitor")
    client, _ = token_client(programme_manager)
    response = post(client, f"/api/v1/plan-objections/{objection.public_id}/resolve", body)
    assert response.status_code == 422


def test_the_versions_of_an_audit_another_client_cannot_see_answer_404(issued, stage1, other_client_admin):
    client, _ = token_client(other_client_admin)
    assert client.get(f"/api/v1/audits/{stage1.public_id}/plans").status_code == 404
