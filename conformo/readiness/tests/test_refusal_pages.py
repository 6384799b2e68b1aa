"""Refusal pages on the organization side: a client member on an administrator's action meets "You don't have
access to this" (403). The readiness work is the client's own tenant: the staff of any CB it does not share it
with, and other clients, are told "Not found" (404), never that it exists."""

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
    assert reverse("home:dashboard").encode() in response.content
    assert not assessment.soa_versions.exists()


def test_cb_staff_and_other_clients_are_told_unshared_work_does_not_exist(
    assessment, acme, programme_manager, other_cb_admin, other_client_admin
):
    for user in (programme_manager, other_cb_admin, other_client_admin):
        client = login(user)
        for url in (
            reverse("readiness:assessment-detail", args=[assessment.public_id]),
            reverse("readiness:dashboard", args=[acme.public_id]),
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert REFUSAL not in response.content
