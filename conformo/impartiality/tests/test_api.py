"""The impartiality API: the register, reviews, related bodies, the committee; 422 on bad input, 404 to others."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from conformo.conftest import login
from conformo.impartiality.models import Threat, ThreatReview

pytestmark = pytest.mark.django_db

THREAT = {
    "kind": "self_review",
    "source": "activity",
    "title": "Training courses for clients",
    "likelihood": 2,
    "severity": 3,
    "residual_level": "low",
    "controls": "Public courses only; no client-specific solutions.",
}


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_cb_administrator_keeps_the_register_through_the_api(cb, cb_admin):
    client = login(cb_admin)
    base = f"/api/v1/certification-bodies/{cb.public_id}/impartiality"
    assert client.get(f"{base}/settings").json() == {"set": False, "review_months": 12}
    assert _send(client, "put", f"{base}/settings", {"review_months": 6}).json()["review_months"] == 6
    with time_machine.travel(date(2026, 1, 10), tick=False):
        created = _send(client, "post", f"{base}/threats", THREAT)
        assert created.status_code == 201, created.content
        body = created.json()
        assert (body["level"], body["review_due_on"], body["reviews"]) == ("high", "2026-07-10", [])
        reviewed = _send(
            client,
            "post",
            f"/api/v1/impartiality/threats/{body['id']}/reviews",
            {"reviewed_on": "2026-01-10", "outcome": "Fine.", "residual_level": "low"},
        )
    assert reviewed.status_code == 201
    assert client.get(f"{base}/threats").json()["items"][0]["last_reviewed_on"] == "2026-01-10"


def test_bad_input_is_a_422_by_field_and_nothing_changes(cb, cb_admin):
    client = login(cb_admin)
    base = f"/api/v1/certification-bodies/{cb.public_id}/impartiality"
    response = _send(client, "post", f"{base}/threats", {**THREAT, "likelihood": 5, "kind": "greed"})
    assert response.status_code == 422
    assert {"likelihood", "kind"} <= set(response.json()["fields"])
    assert _send(client, "put", f"{base}/settings", {"review_months": 0}).status_code == 422
    assert not Threat.objects.exists()


def test_a_meeting_with_a_stranger_threat_is_refused_and_records_nothing(cb, cb_admin, other_cb, other_cb_admin):
    other = login(other_cb_admin)
    foreign = _send(
        other, "post", f"/api/v1/certification-bodies/{other_cb.public_id}/impartiality/threats", THREAT
    ).json()
    client = login(cb_admin)
    base = f"/api/v1/certification-bodies/{cb.public_id}/impartiality"
    member = _send(
        client, "post", f"{base}/committee", {"name": "Ana", "interest": "Clients", "joined_on": "2025-01-01"}
    ).json()
    body = {
        "held_on": "2026-01-05",
        "attendee_ids": [member["id"]],
        "agenda": "Register",
        "minutes": "Done",
        "reviewed_threat_ids": [foreign["id"]],
        "outcome": "ok",
    }
    response = _send(client, "post", f"{base}/meetings", body)
    assert response.status_code == 422
    assert "reviewed_threat_ids" in response.json()["fields"]
    assert not ThreatReview.objects.exists()
    good = _send(client, "post", f"{base}/meetings", {**body, "reviewed_threat_ids": []})
    assert good.status_code == 201
    assert client.get(f"{base}/meetings").json()["items"][0]["attendees"] == ["Ana"]


def test_related_bodies_and_their_relationships(cb, cb_admin, acme):
    client = login(cb_admin)
    url = f"/api/v1/certification-bodies/{cb.public_id}/related-bodies"
    body = _send(client, "post", url, {"name": "QP Ltd", "relationship": "Same owner", "services": "Consultancy"})
    assert body.status_code == 201
    declared = _send(
        client,
        "post",
        f"/api/v1/related-bodies/{body.json()['id']}/relationships",
        {"organization_id": str(acme.public_id), "kind": "consultancy", "started_on": "2025-01-01"},
    )
    assert declared.status_code == 201
    assert client.get(url).json()["items"][0]["relationships"][0]["organization"] == "Acme Precision Parts"


def test_auditors_clients_and_other_cbs_get_404_and_a_programme_manager_reads_only(
    cb, cb_admin, auditor, client_admin, other_cb_admin, programme_manager
):
    base = f"/api/v1/certification-bodies/{cb.public_id}/impartiality"
    threat = _send(login(cb_admin), "post", f"{base}/threats", THREAT).json()
    for user in (auditor, client_admin, other_cb_admin):
        client = login(user)
        assert client.get(f"{base}/threats").status_code == 404
        assert client.get(f"/api/v1/impartiality/threats/{threat['id']}").status_code == 404
    manager = login(programme_manager)
    assert manager.get(f"{base}/threats").status_code == 200
    assert _send(manager, "post", f"{base}/threats", THREAT).status_code == 403


def test_the_client_named_in_a_related_bodys_relationship_does_not_read_it_in_its_audit_log(
    cb, cb_admin, acme, client_admin
):
    client = login(cb_admin)
    body = _send(
        client,
        "post",
        f"/api/v1/certification-bodies/{cb.public_id}/related-bodies",
        {"name": "QP Ltd", "relationship": "Same owner"},
    ).json()
    _send(
        client,
        "post",
        f"/api/v1/related-bodies/{body['id']}/relationships",
        {"organization_id": str(acme.public_id), "started_on": "2025-01-01"},
    )
    actions = [e["action"] for e in login(client_admin).get("/api/v1/audit-log").json()["items"]]
    assert not [a for a in actions if a.startswith(("related_body", "threat", "committee"))]
    assert "related_body.relationship" in [e["action"] for e in client.get("/api/v1/audit-log").json()["items"]]


def test_the_assessment_is_changed_through_the_api_and_bad_input_is_a_422(cb, cb_admin):
    client = login(cb_admin)
    threat = _send(client, "post", f"/api/v1/certification-bodies/{cb.public_id}/impartiality/threats", THREAT).json()
    url = f"/api/v1/impartiality/threats/{threat['id']}/assessment"
    changed = _send(client, "put", url, {"likelihood": 1, "severity": 1, "controls": "Gone"})
    assert changed.status_code == 200
    assert (changed.json()["level"], changed.json()["controls"]) == ("low", "Gone")
    assert _send(client, "put", url, {"likelihood": 7, "severity": 1}).status_code == 422
