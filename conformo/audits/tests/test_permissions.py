"""Auditors, decision makers, clients and other tenants see and do exactly what their role allows."""

from __future__ import annotations

import importlib
import json
from datetime import date

import pytest
import time_machine
from django.apps import apps as django_apps

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Finding
from conformo.audits.selectors import findings_for_organization
from conformo.audits.tests.conftest import audit_of, team
from conformo.conftest import token_client

LISTS = [
    "/applications",
    "/programmes",
    "/audits",
    "/findings",
    "/certifications",
    "/decisions",
    "/complaints",
    "/appeals",
    "/auditors",
    "/accreditations",
]


def _count(user, path):
    client, _ = token_client(user)
    response = client.get("/api/v1" + path)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def _post(user, path, body=None):
    client, _ = token_client(user)
    return client.post("/api/v1" + path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def with_finding(stage1_done, ready, programme_manager):
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    services.programme_record_combined_audit(
        actor=programme_manager, programme=stage1_done, justification="not needed but harmless"
    )
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=[team(ready)[0]])
    services.audit_start(actor=programme_manager, audit=stage2)
    return services.finding_raise(
        actor=ready.lead.user, audit=stage2, grade="minor", statement="Gap", clauses=[ready.qms.clauses.get(ref="9.2")]
    )


@pytest.mark.parametrize("path", LISTS)
def test_another_cb_sees_nothing(path, with_finding, other_cb_admin):
    assert _count(other_cb_admin, path) == 0


@pytest.mark.parametrize("path", LISTS)
def test_an_outsider_sees_nothing(path, with_finding, outsider):
    assert _count(outsider, path) == 0


@pytest.mark.parametrize("path", ["/applications", "/programmes", "/audits", "/findings", "/certifications"])
def test_the_programme_manager_and_decision_maker_see_the_cbs_work(
    path, with_finding, programme_manager, decision_maker
):
    assert _count(programme_manager, path) > 0
    assert _count(decision_maker, path) > 0


@pytest.mark.parametrize("path", ["/applications", "/programmes", "/audits", "/findings", "/certifications"])
def test_the_client_sees_its_own_and_another_client_nothing(path, with_finding, client_admin, other_client_admin):
    assert _count(client_admin, path) > 0
    assert _count(other_client_admin, path) == 0


def test_an_auditor_sees_only_the_audits_they_are_on(with_finding, auditor, lead_auditor):
    # The lead is on stage 1 and stage 2; the other auditor was on stage 1 only.
    assert _count(lead_auditor, "/audits") == 2
    assert _count(auditor, "/audits") == 1
    assert _count(auditor, "/findings") == 0
    assert _count(lead_auditor, "/findings") == 1
    assert _count(auditor, "/auditors") == 1


def test_an_unassigned_auditor_sees_no_client(programme, auditor):
    assert _count(auditor, "/audits") == 0
    assert _count(auditor, "/programmes") == 0
    client, _ = token_client(auditor)
    assert client.get(f"/api/v1/programmes/{programme.public_id}").status_code == 404


def test_anonymous_requests_are_refused(db):
    from django.test import Client

    response = Client().get("/api/v1/audits")
    assert response.status_code == 401


def test_another_client_can_neither_read_nor_answer_a_finding(with_finding, other_client_admin):
    client, _ = token_client(other_client_admin)
    assert client.get(f"/api/v1/findings/{with_finding.public_id}").status_code == 404
    response = _post(
        other_client_admin,
        f"/findings/{with_finding.public_id}/responses",
        {"correction": "c", "root_cause": "r", "corrective_action": "a"},
    )
    assert response.status_code == 404


def test_a_client_cannot_raise_findings_plan_assign_or_decide(with_finding, client_admin, ready):
    audit = with_finding.audit
    assert (
        _post(client_admin, f"/audits/{audit.public_id}/findings", {"grade": "minor", "statement": "x"}).status_code
        == 403
    )
    assert (
        _post(
            client_admin,
            f"/audits/{audit.public_id}/plan",
            {"planned_start": "2026-03-01", "planned_end": "2026-03-02"},
        ).status_code
        == 403
    )
    assert (
        _post(
            client_admin,
            f"/audits/{audit.public_id}/team",
            {"members": [{"auditor_id": str(ready.lead.public_id), "role": "lead_auditor"}]},
        ).status_code
        == 403
    )
    certification = audit.programme.certification
    response = _post(client_admin, f"/certifications/{certification.public_id}/decisions", {"kind": "grant"})
    assert response.status_code == 403


def test_a_member_of_staff_cannot_answer_for_the_client(with_finding, programme_manager):
    response = _post(
        programme_manager,
        f"/findings/{with_finding.public_id}/responses",
        {"correction": "c", "root_cause": "r", "corrective_action": "a"},
    )
    assert response.status_code == 403


def test_an_auditor_cannot_accept_applications_or_decide(with_finding, lead_auditor):
    programme = with_finding.audit.programme
    response = _post(lead_auditor, f"/applications/{programme.application.public_id}/accept")
    assert response.status_code == 403
    response = _post(lead_auditor, f"/certifications/{programme.certification.public_id}/decisions", {"kind": "grant"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_decision_maker"


def test_a_decision_maker_cannot_plan_audits_or_assign_teams(programme, decision_maker, ready):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    assert (
        _post(
            decision_maker,
            f"/audits/{stage1.public_id}/plan",
            {"planned_start": "2026-02-01", "planned_end": "2026-02-01"},
        ).status_code
        == 403
    )
    assert (
        _post(
            decision_maker,
            f"/audits/{stage1.public_id}/team",
            {"members": [{"auditor_id": str(ready.lead.public_id), "role": "lead_auditor"}]},
        ).status_code
        == 403
    )


def test_an_auditor_not_on_the_team_cannot_raise_findings(with_finding, auditor):
    response = _post(auditor, f"/audits/{with_finding.audit.public_id}/findings", {"grade": "minor", "statement": "x"})
    assert response.status_code == 404  # not even visible


def test_findings_for_organization_is_permission_aware(with_finding, acme, client_admin, other_client_admin, auditor):
    assert list(findings_for_organization(user=client_admin, organization=acme)) == [with_finding]
    assert not findings_for_organization(user=other_client_admin, organization=acme).exists()
    assert not findings_for_organization(user=auditor, organization=acme).exists()


def test_overdue_responses_are_visible_to_both_sides(with_finding, client_admin, programme_manager):
    with time_machine.travel(date(2030, 1, 1), tick=False):
        for user in (client_admin, programme_manager):
            client, _ = token_client(user)
            body = client.get(f"/api/v1/findings/{with_finding.public_id}").json()
            assert body["response_overdue"] is True


def test_a_finding_stores_the_cb_of_its_audit(with_finding, ready, other_cb):
    """A finding's stored CB, which its CB's lists filter and count by, is its audit's programme's — as raised, and
    as the migration that added it fills it in (here over a wrong value)."""
    fill = importlib.import_module("conformo.audits.migrations.0020_finding_certification_body").fill_certification_body
    assert with_finding.certification_body_id == with_finding.audit.programme.certification_body_id == ready.cb.pk
    Finding.objects.filter(pk=with_finding.pk).update(certification_body=other_cb)
    fill(django_apps, None)
    with_finding.refresh_from_db()
    assert with_finding.certification_body_id == ready.cb.pk


def test_a_cbs_staff_read_its_findings_without_their_audits(with_finding, programme_manager, client_admin):
    """The CB's staff, members of no client, filter findings by the finding's own CB: no join to the audits (a
    client still reaches its own through them)."""
    staff = str(Finding.objects.visible_to(programme_manager).order_by().values("pk").query)
    assert "audits_audit" not in staff
    assert "audits_audit" in str(Finding.objects.visible_to(client_admin).order_by().values("pk").query)
    assert list(Finding.objects.visible_to(programme_manager)) == [with_finding]
