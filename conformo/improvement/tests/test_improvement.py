from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.improvement.selectors import cb_findings, overdue_actions
from conformo.improvement.services import (
    corrective_action_complete,
    corrective_action_set,
    effectiveness_check_record,
    nonconformity_raise,
)
from conformo.organizations.models import ClientRelationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc(client_admin, acme):
    return nonconformity_raise(
        actor=client_admin,
        organization=acme,
        source="complaint",
        grade="minor",
        title="Late delivery",
        raised_on=date(2026, 1, 5),
    )


def test_nonconformities_are_numbered_per_organization(client_admin, other_client_admin, acme, bluewater, nc):
    second = nonconformity_raise(actor=client_admin, organization=acme, source="incident", grade="major", title="Spill")
    other = nonconformity_raise(
        actor=other_client_admin, organization=bluewater, source="incident", grade="minor", title="Slip"
    )
    assert (nc.reference, second.reference, other.reference) == ("NC-1", "NC-2", "NC-1")


def test_the_cb_finding_source_is_reserved_for_the_cb(client_admin, acme):
    with pytest.raises(ValidationFailed):
        nonconformity_raise(actor=client_admin, organization=acme, source="cb_finding", grade="minor", title="x")


def test_a_corrective_action_runs_to_an_audit_logged_effectiveness_check(client_admin, client_member, nc):
    with pytest.raises(Conflict):
        effectiveness_check_record(actor=client_admin, nonconformity=nc, effective=True)
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="No carrier SLA",
        action="Contract SLA with carriers",
        correction="Shipped by courier",
        owner=client_member,
        due_date=date(2026, 2, 1),
    )
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 1, 30))
    with pytest.raises(ValidationFailed, match="not effective"):
        effectiveness_check_record(actor=client_admin, nonconformity=nc, effective=False)
    effectiveness_check_record(actor=client_admin, nonconformity=nc, effective=False, notes="Still late in March")
    nc.refresh_from_db()
    assert nc.status == "open"
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="Carrier capacity",
        action="Second carrier",
        due_date=date(2026, 4, 1),
    )
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 3, 30))
    effectiveness_check_record(actor=client_admin, nonconformity=nc, effective=True, checked_on=date(2026, 6, 1))
    nc.refresh_from_db()
    assert (nc.status, nc.closed_on) == ("closed", date(2026, 6, 1))
    entries = AuditLogEntry.objects.filter(action="improvement.effectiveness.check", object_id=str(nc.pk))
    assert entries.count() == 2
    latest = entries.first()
    assert latest is not None
    assert latest.after == {"status": "closed", "effective": True, "notes": ""}
    assert latest.actor == client_admin


def test_members_read_the_log_but_only_admins_write(client_member, other_client_admin, cb_admin, outsider, acme, nc):
    with pytest.raises(PermissionDenied):
        corrective_action_set(
            actor=client_member, nonconformity=nc, root_cause="x", action="y", due_date=date(2026, 1, 1)
        )
    for user in (other_client_admin, cb_admin, outsider):
        with pytest.raises(NotFound):
            nonconformity_raise(actor=user, organization=acme, source="incident", grade="minor", title="x")
    url = reverse("improvement:detail", args=[nc.public_id])
    assert login(client_member).get(url).status_code == 200
    for user in (other_client_admin, cb_admin, outsider):
        assert login(user).get(url).status_code == 404
    ClientRelationship.objects.filter(organization=acme).update(shares_readiness=True)
    assert login(cb_admin).get(url).status_code == 200


def test_overdue_actions_surface(client_admin, acme, nc):
    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="x", action="y", due_date=date(2026, 2, 1))
    assert list(overdue_actions(user=client_admin, organization=acme, today=date(2026, 2, 2))) == [nc]
    assert list(overdue_actions(user=client_admin, organization=acme, today=date(2026, 1, 31))) == []


def test_cb_findings_are_read_only_when_the_audits_app_offers_them(client_admin, acme):
    import importlib.util

    findings = cb_findings(user=client_admin, organization=acme)
    if importlib.util.find_spec("conformo.audits.selectors") is None:
        assert findings == []
    else:
        assert isinstance(findings, list)


def test_the_log_page_and_api_list_have_bounded_query_counts(client_admin, acme, django_assert_max_num_queries):
    for i in range(5):
        nc = nonconformity_raise(
            actor=client_admin, organization=acme, source="incident", grade="minor", title=f"NC {i}"
        )
        corrective_action_set(
            actor=client_admin, nonconformity=nc, root_cause="x", action="y", due_date=date(2026, 1, 1)
        )
    page = login(client_admin)
    page.get("/")
    with django_assert_max_num_queries(14):  # 12, and the filter bar's owner and standard choices
        assert page.get(reverse("improvement:log", args=[acme.public_id])).status_code == 200
    client, _ = token_client(client_admin)
    with django_assert_max_num_queries(8):
        body = client.get(f"/api/v1/organizations/{acme.public_id}/nonconformities").json()
    assert body["count"] == 5
    assert body["items"][0]["corrective_action"]["root_cause"] == "x"


def test_the_api_runs_the_corrective_action_cycle(client_admin, other_client_admin, acme):
    client, _ = token_client(client_admin)
    nc = client.post(
        f"/api/v1/organizations/{acme.public_id}/nonconformities",
        {"source": "internal_audit", "grade": "major", "title": "No calibration"},
        content_type="application/json",
    ).json()
    url = f"/api/v1/nonconformities/{nc['id']}"
    assert (
        client.put(
            f"{url}/corrective-action",
            {"root_cause": "r", "action": "a", "due_date": "2026-05-01"},
            content_type="application/json",
        ).json()["status"]
        == "action_planned"
    )
    client.post(f"{url}/corrective-action/complete", {"completed_on": "2026-04-01"}, content_type="application/json")
    response = client.post(f"{url}/effectiveness-checks", {"effective": True}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "closed"
    other, _ = token_client(other_client_admin)
    assert other.get(url).status_code == 404
