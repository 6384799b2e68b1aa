from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.models import AuditLogEntry
from conformo.improvement.models import CorrectiveAction, CorrectiveActionRevision
from conformo.improvement.services import (
    corrective_action_complete,
    corrective_action_set,
    effectiveness_check_record,
    nonconformity_raise,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc(client_admin, acme):
    return nonconformity_raise(
        actor=client_admin, organization=acme, source="complaint", grade="minor", title="Late delivery"
    )


def _replanned(client_admin, nc):
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="No buffer stock",
        action="Keep stock",
        due_date=date(2026, 2, 1),
    )
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 1, 20))
    effectiveness_check_record(actor=client_admin, nonconformity=nc, effective=False, notes="Late again")
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="Supplier lead time",
        action="Second supplier",
        due_date=date(2026, 4, 1),
        correction="Expedited the order",
    )


def test_a_revised_corrective_action_keeps_the_first_root_cause_and_action(client_admin, nc):
    _replanned(client_admin, nc)
    history = list(nc.corrective_action_revisions.values_list("number", "root_cause", "action", "recorded_by"))
    assert history == [
        (2, "Supplier lead time", "Second supplier", client_admin.pk),
        (1, "No buffer stock", "Keep stock", client_admin.pk),
    ]
    assert CorrectiveAction.objects.get(nonconformity=nc).root_cause == "Supplier lead time"
    entries = AuditLogEntry.objects.filter(action="improvement.corrective_action.set").order_by("id")
    assert [(e.after or {})["revision"] for e in entries] == [1, 2]
    assert (entries[1].before or {})["root_cause"] == "No buffer stock"


def test_a_refused_revision_adds_nothing_to_the_history(client_admin, client_member, nc):
    from conformo.core.errors import PermissionDenied, ValidationFailed

    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="r", action="a", due_date=date(2026, 2, 1))
    due = date(2026, 2, 1)
    with pytest.raises(ValidationFailed):
        corrective_action_set(actor=client_admin, nonconformity=nc, root_cause=" ", action="a", due_date=due)
    with pytest.raises(PermissionDenied):
        corrective_action_set(actor=client_member, nonconformity=nc, root_cause="x", action="y", due_date=due)
    assert nc.corrective_action_revisions.count() == 1


def test_the_page_shows_the_history_once_the_action_was_revised(client_admin, client_member, nc):
    _replanned(client_admin, nc)
    body = login(client_member).get(reverse("improvement:detail", args=[nc.public_id])).content.decode()
    assert "History of the corrective action" in body
    assert "No buffer stock" in body
    assert "Supplier lead time" in body


def test_the_revision_form_on_the_page_appends_to_the_history(client_admin, nc):
    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="r1", action="a1", due_date=date(2026, 2, 1))
    response = login(client_admin).post(
        reverse("improvement:action-plan", args=[nc.public_id]),
        {"root_cause": "r2", "corrective_action": "a2", "due_date": "2026-03-01", "correction": ""},
    )
    assert response.status_code == 302
    assert list(nc.corrective_action_revisions.values_list("root_cause", flat=True)) == ["r2", "r1"]


def test_the_api_answers_the_history_on_the_detail_and_in_the_list(client_admin, other_client_admin, acme, nc):
    _replanned(client_admin, nc)
    client, _ = token_client(client_admin)
    detail = client.get(f"/api/v1/nonconformities/{nc.public_id}").json()
    assert [r["root_cause"] for r in detail["corrective_action_history"]] == ["Supplier lead time", "No buffer stock"]
    assert detail["corrective_action_history"][0]["correction"] == "Expedited the order"
    assert detail["corrective_action_history"][1]["recorded_by"] == client_admin.email
    listed = client.get(f"/api/v1/organizations/{acme.public_id}/nonconformities").json()
    assert [r["number"] for r in listed["items"][0]["corrective_action_history"]] == [2, 1]
    other, _ = token_client(other_client_admin)
    assert other.get(f"/api/v1/nonconformities/{nc.public_id}").status_code == 404


def test_the_data_migration_makes_each_existing_action_its_first_revision(client_admin, nc):
    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="r", action="a", due_date=date(2026, 2, 1))
    CorrectiveActionRevision.objects.all().delete()
    migration = importlib.import_module("conformo.improvement.migrations.0003_corrective_action_first_revision")
    migration.first_revisions(apps, None)
    migration.first_revisions(apps, None)  # a second run adds nothing
    assert list(CorrectiveActionRevision.objects.values_list("nonconformity", "number", "root_cause", "action")) == [
        (nc.pk, 1, "r", "a")
    ]
