"""A CB nonconformity waiting for the client's answer shows on the client's dashboards and counts as due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from conformo.audits.services import finding_respond
from conformo.audits.tests.conftest import acme_sites, open_minor, programme, ready, stage1_done
from conformo.conftest import login, token_client
from conformo.readiness.selectors import attention_for

__all__ = ["acme_sites", "open_minor", "programme", "ready", "stage1_done"]

pytestmark = pytest.mark.django_db


def test_a_finding_to_answer_shows_on_the_main_dashboard_and_counts_as_due(open_minor, client_admin, client_member):
    respond = reverse("audits:finding-respond", args=[open_minor.public_id])
    for user in (client_admin, client_member):
        body = login(user).get(reverse("home:dashboard")).content.decode()
        assert "CB findings to answer" in body
        assert "Missing sign-off — CB finding to answer" in body
        assert f'href="{respond}"' in body
        assert "<strong>1</strong> item due" in body


def test_a_finding_to_answer_shows_on_the_readiness_dashboard(open_minor, client_member, acme):
    body = login(client_member).get(reverse("readiness:dashboard", args=[acme.public_id])).content.decode()
    assert "CB findings to answer" in body
    assert reverse("audits:finding-respond", args=[open_minor.public_id]) in body


def test_an_answered_finding_is_no_longer_due(open_minor, client_admin, acme):
    assert attention_for(user=client_admin, organization=acme).due_count == 1
    finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="No checklist", corrective_action="Add"
    )
    attention = attention_for(user=client_admin, organization=acme)
    assert attention.answers_due == []
    assert attention.due_count == 0
    assert "None waiting for your answer." in login(client_admin).get(reverse("home:dashboard")).content.decode()


def test_a_finding_past_its_answer_date_is_marked_overdue(open_minor, client_admin, acme):
    assert open_minor.response_due is not None
    on_time = attention_for(user=client_admin, organization=acme, today=open_minor.response_due).answers_due
    assert [overdue for *_, overdue in on_time] == [False]
    later = open_minor.response_due + timedelta(days=1)
    [(_, _, due, overdue)] = attention_for(user=client_admin, organization=acme, today=later).answers_due
    assert due == open_minor.response_due
    assert overdue is True


def test_the_api_lists_the_findings_awaiting_the_answer(open_minor, client_admin, other_client_admin, acme):
    client, _ = token_client(client_admin)
    url = f"/api/v1/organizations/{acme.public_id}/cb-findings?awaiting_answer=true"
    assert [f["id"] for f in client.get(url).json()] == [str(open_minor.public_id)]
    finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="No checklist", corrective_action="Add"
    )
    assert client.get(url).json() == []
    assert len(client.get(f"/api/v1/organizations/{acme.public_id}/cb-findings").json()) == 1
    other, _ = token_client(other_client_admin)
    assert other.get(url).status_code == 404


def test_another_organization_does_not_see_the_finding_on_its_dashboard(open_minor, other_client_admin):
    body = login(other_client_admin).get(reverse("home:dashboard")).content.decode()
    assert "Missing sign-off" not in body
    assert "<strong>0</strong> items due" in body
