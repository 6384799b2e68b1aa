"""Complaints and appeals have their own lifecycle, handled by people not involved in their subject."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conformo.api import api
from conformo.audits import services
from conformo.audits.models import Appeal
from conformo.certification.models import Decision
from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, PermissionDenied


def test_a_complaint_runs_from_received_to_closed(granted, cb_admin, programme_manager, acme):
    complaint = services.complaint_receive(
        actor=cb_admin,
        certification_body=granted.certification_body,
        organization=acme,
        complainant="A customer",
        subject="Defective parts",
        description="Parts out of tolerance despite certification",
    )
    services.complaint_assign(actor=cb_admin, complaint=complaint, handler=programme_manager)
    with pytest.raises(PermissionDenied):
        services.complaint_advance(actor=cb_admin, complaint=complaint, status="investigating")
    services.complaint_advance(actor=programme_manager, complaint=complaint, status="investigating")
    services.complaint_advance(
        actor=programme_manager, complaint=complaint, status="resolved", outcome="Special audit scheduled"
    )
    services.complaint_advance(actor=programme_manager, complaint=complaint, status="closed")
    assert complaint.status == "closed"
    assert complaint.closed_on is not None


def test_someone_involved_with_the_client_cannot_handle_its_complaint(granted, cb_admin, decision_maker, ready, acme):
    complaint = services.complaint_receive(
        actor=cb_admin,
        certification_body=granted.certification_body,
        organization=acme,
        complainant="X",
        subject="S",
        description="D",
    )
    # The decision maker granted Acme's certification: involved.
    with pytest.raises(Conflict) as refused:
        services.complaint_assign(actor=cb_admin, complaint=complaint, handler=decision_maker)
    assert refused.value.code == "handler_involved"
    assert "17021-1 9.8" in str(refused.value)  # 9.8 is complaints (9.7 is appeals)


def test_an_appeal_is_handled_by_someone_other_than_the_decider(
    granted, client_admin, cb_admin, decision_maker, programme_manager
):
    decision = Decision.objects.get(certification=granted)
    appeal = services.appeal_lodge(
        actor=client_admin, decision=decision, subject="Scope wording", grounds="The scope omits our assembly work"
    )
    with pytest.raises(Conflict) as refused:
        services.appeal_assign(actor=cb_admin, appeal=appeal, handler=decision_maker)
    assert refused.value.code == "handler_involved"
    assert "17021-1 9.7" in str(refused.value)  # 9.7 is appeals (9.8 is complaints)
    services.appeal_assign(actor=cb_admin, appeal=appeal, handler=programme_manager)
    services.appeal_decide(actor=programme_manager, appeal=appeal, upheld=False, outcome="Scope matches the audit")
    assert appeal.status == "rejected"


def test_another_client_cannot_appeal_acmes_decision(granted, other_client_admin):
    decision = Decision.objects.get(certification=granted)
    with pytest.raises(PermissionDenied):
        services.appeal_lodge(actor=other_client_admin, decision=decision, subject="", grounds="x")


def test_registers_are_visible_to_the_cb_and_the_client_concerned_only(
    granted, cb_admin, client_admin, other_client_admin, auditor, acme
):
    from conformo.audits.selectors import complaint_list

    services.complaint_receive(
        actor=client_admin,
        certification_body=granted.certification_body,
        organization=acme,
        complainant="Acme",
        subject="Late report",
        description="D",
        received_on=date(2026, 5, 1),
    )
    assert complaint_list(user=cb_admin).count() == 1
    assert complaint_list(user=client_admin).count() == 1
    assert complaint_list(user=other_client_admin).count() == 0
    assert complaint_list(user=auditor).count() == 0


def test_a_client_admin_lodges_an_appeal_on_the_lodge_page(granted, client_admin):
    decision = Decision.objects.get(certification=granted)
    url = reverse("certification:appeal-lodge")
    page = login(client_admin).post(
        url, {"decision": str(decision.public_id), "subject": "Scope", "grounds": "The scope omits a site"}
    )
    assert page.status_code == 302
    assert Appeal.objects.get().grounds == "The scope omits a site"


def test_the_lodge_page_answers_bad_input_with_field_errors_and_keeps_it(granted, client_admin):
    url = reverse("certification:appeal-lodge")
    page = login(client_admin).post(url, {"decision": "not-a-uuid", "subject": "Kept subject", "grounds": ""})
    assert page.status_code == 422
    body = page.content.decode()
    assert "Kept subject" in body
    assert body.count('role="alert"') >= 2  # the decision and the grounds
    assert not Appeal.objects.exists()


def test_another_client_sees_no_decision_to_appeal_on_the_lodge_page(granted, other_client_admin):
    page = login(other_client_admin).get(reverse("certification:appeal-lodge"))
    assert b"no certification decision you can appeal" in page.content


def test_appeals_are_lodged_through_the_api_with_the_operation_id_integrators_know(granted, client_admin):
    decision = Decision.objects.get(certification=granted)
    http, _ = token_client(client_admin)
    response = http.post(
        "/api/v1/appeals",
        {"decision_id": str(decision.public_id), "grounds": "Wrong scope"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    operation = api.get_openapi_schema()["paths"]["/api/v1/appeals"]["post"]
    assert operation["operationId"] == "conformo_audits_api_registers_appeal_lodge"


def test_the_lodge_form_offers_only_decisions_the_user_may_appeal(
    granted, client_admin, decision_maker, cb_admin, monkeypatch
):
    """The appeals page offers the form to those the service lets lodge (the client administrator, the CB's
    administrator or programme manager), never to a decision maker; a certification's page offers its own
    decisions; above LODGE_CHOICES_MAX decisions the appeals page points to the certification's page instead."""
    from conformo.certification.templatetags import certification_panels

    appeals, detail = reverse("audits:appeals"), reverse("certification:detail", args=[granted.public_id])
    assert b"Lodge an appeal" in login(client_admin).get(appeals).content
    assert b"Lodge an appeal" not in login(decision_maker).get(appeals).content
    assert b"Lodge an appeal" not in login(decision_maker).get(detail).content
    assert b"Lodge an appeal" in login(cb_admin).get(detail).content
    monkeypatch.setattr(certification_panels, "LODGE_CHOICES_MAX", 0)
    crowded = login(cb_admin).get(appeals).content
    assert b"Lodge an appeal" not in crowded
    assert b"open its certification" in crowded
