"""A signed-in user who asks for an object of their own tenants that their role may not use meets a refusal page
(403, "You don't have access to this", a link to their dashboard), not "Not found"; an object of another tenant
stays a 404, and the API keeps its 404 for every object the caller may not see (docs/api.md#errors)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of
from conformo.conftest import login

pytestmark = pytest.mark.django_db

REFUSAL = b"You don't have access to this"


def assert_refused(response: Any) -> None:
    assert response.status_code == 403
    assert REFUSAL in response.content
    assert reverse("home:dashboard").encode() in response.content
    assert b"Not found" not in response.content


def test_an_auditor_opening_an_audit_he_is_not_on_is_refused_not_told_it_does_not_exist(programme, stage1, auditor):
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    client = login(auditor)
    assert client.get(reverse("audits:audit-detail", args=[stage1.public_id])).status_code == 200
    assert_refused(client.get(reverse("audits:audit-detail", args=[stage2.public_id])))


def test_the_api_keeps_its_404_for_an_audit_the_auditor_is_not_on(programme, stage1, auditor):
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    response = login(auditor).get(f"/api/v1/audits/{stage2.public_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such audit.", "code": "not_found"}


def test_a_client_trying_to_start_an_audit_is_refused(stage1, client_admin):
    url = reverse("audits:audit-start", args=[stage1.public_id])
    assert_refused(login(client_admin).post(url, {"confirm": "on"}))
    stage1.refresh_from_db()
    assert stage1.status != "in_progress"


def test_a_client_on_a_cb_page_is_refused(client_admin, client_member):
    assert_refused(login(client_admin).get(reverse("audits:cb-settings")))
    assert_refused(login(client_member).get(reverse("audits:accreditations")))


def test_another_clients_audit_and_another_cbs_audit_stay_not_found(stage1, other_client_admin, other_cb_admin):
    url = reverse("audits:audit-detail", args=[stage1.public_id])
    for user in (other_client_admin, other_cb_admin):
        response = login(user).get(url)
        assert response.status_code == 404
        assert REFUSAL not in response.content


def test_a_decision_maker_sees_what_a_cb_wide_role_sees(stage1, decision_maker):
    assert login(decision_maker).get(reverse("audits:audit-detail", args=[stage1.public_id])).status_code == 200


def test_the_cb_accepting_the_clients_audit_plan_is_refused(issued, programme_manager, stage1):
    assert_refused(login(programme_manager).post(reverse("audits:plan-accept", args=[stage1.public_id])))
    issued.refresh_from_db()
    assert issued.accepted_at is None


def test_a_decision_maker_starting_an_audit_is_refused(stage1, decision_maker):
    url = reverse("audits:audit-start", args=[stage1.public_id])
    assert_refused(login(decision_maker).post(url, {"confirm": "on"}))
