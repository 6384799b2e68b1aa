"""Overdue improvement items and documents due for review show on the main dashboard for client roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conformo.conftest import login
from conformo.improvement.services import corrective_action_set, nonconformity_raise
from conformo.readiness.services import (
    document_create,
    management_review_create,
    review_action_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(client_admin, acme, catalog):
    today = timezone.localdate()
    nc = nonconformity_raise(actor=client_admin, organization=acme, source="incident", grade="minor", title="Spill")
    corrective_action_set(
        actor=client_admin, nonconformity=nc, root_cause="Valve", action="Replace valves", due_date=today - timedelta(3)
    )
    review = management_review_create(actor=client_admin, organization=acme, title="MR", standards=[catalog["9001"]])
    review_action_add(actor=client_admin, review=review, description="Hire a trainer", due_date=today - timedelta(1))
    review_action_add(actor=client_admin, review=review, description="Later thing", due_date=today + timedelta(9))
    document_create(actor=client_admin, organization=acme, title="Old manual", review_due=today - timedelta(2))
    document_create(actor=client_admin, organization=acme, title="Soon procedure", review_due=today + timedelta(10))
    document_create(actor=client_admin, organization=acme, title="Far policy", review_due=today + timedelta(200))
    return nc


def test_client_roles_see_what_is_overdue_and_due_with_a_link_to_readiness(client_admin, client_member, acme, due):
    for user in (client_admin, client_member):
        body = login(user).get(reverse("home:dashboard")).content.decode()
        assert "Overdue improvement items" in body
        assert "NC-1 Spill — corrective action" in body
        assert reverse("improvement:detail", args=[due.public_id]) in body
        assert "Hire a trainer — management-review action" in body
        assert "Later thing" not in body
        assert "Old manual" in body
        assert "Soon procedure" in body
        assert "Far policy" not in body
        assert reverse("readiness:dashboard", args=[acme.public_id]) in body


def test_other_organizations_and_cb_users_do_not_see_them(other_client_admin, cb_admin, due):
    for user in (other_client_admin, cb_admin):
        body = login(user).get(reverse("home:dashboard")).content.decode()
        assert "Spill" not in body
        assert "Old manual" not in body
    assert "None overdue." in login(other_client_admin).get(reverse("home:dashboard")).content.decode()
