"""Refusal pages on the organization side: a client member on an administrator's action, and the staff of the
client's CB on readiness work the client does not share, meet "You don't have access to this" (403); another
CB's staff and another client still get "Not found" (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.conftest import login
from conformo.readiness.services import assessment_create

pytestmark = pytest.mark.django_db

REFUSAL = b"You don't have access to this"


@pytest.fixture
def assessment(client_admin, acme, catalog):
    return assessment_create(actor=client_admin, organization=acme, standards=[catalog["27001"]])


def test_a_client_member_publishing_the_soa_is_refused(assessment, client_member):
    response = login(client_member).post(reverse("readiness:soa-publish", args=[assessment.public_id]), {"note": ""})
    assert response.status_code == 403
    assert REFUSAL in response.content
    assert not assessment.soa_versions.exists()


def test_the_clients_cb_staff_are_refused_work_the_client_does_not_share(assessment, acme, programme_manager):
    client = login(programme_manager)
    for url in (
        reverse("readiness:assessment-detail", args=[assessment.public_id]),
        reverse("readiness:dashboard", args=[acme.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert REFUSAL in response.content


def test_another_cb_and_another_client_are_told_nothing_exists(assessment, acme, other_cb_admin, other_client_admin):
    for user in (other_cb_admin, other_client_admin):
        client = login(user)
        for url in (
            reverse("readiness:assessment-detail", args=[assessment.public_id]),
            reverse("readiness:dashboard", args=[acme.public_id]),
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert REFUSAL not in response.content


def test_the_api_answers_404_for_work_the_client_does_not_share(assessment, programme_manager):
    response = login(programme_manager).get(f"/api/v1/assessments/{assessment.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
