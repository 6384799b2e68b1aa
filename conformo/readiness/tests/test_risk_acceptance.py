"""A risk is re-rated, gets a residual rating after treatment, and its owner accepts the residual risk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.readiness.models import Risk
from conformo.readiness.services import (
    risk_accept,
    risk_create,
    risk_matrix_configure,
    risk_rate_residual,
    risk_rerate,
    risk_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def risk(client_admin, client_member, acme):
    risk = risk_create(actor=client_admin, organization=acme, title="Laptop theft", likelihood=4, impact=4)
    return risk_update(actor=client_admin, risk=risk, owner=client_member)


def test_the_owner_accepts_the_residual_risk_and_who_and_when_are_audit_logged(client_admin, client_member, risk):
    risk = risk_rerate(actor=client_admin, risk=risk, likelihood=5, impact=4)
    assert (risk.rating, risk.level) == (20, "high")
    risk = risk_rate_residual(actor=client_admin, risk=risk, likelihood=2, impact=2)
    assert (risk.residual_rating, risk.residual_level) == (4, "low")
    risk = risk_accept(actor=client_member, risk=risk)
    assert risk.accepted_by == client_member
    assert risk.accepted_at is not None
    entry = AuditLogEntry.objects.get(action="readiness.risk.accept")
    assert entry.actor == client_member
    assert (entry.after or {})["residual_level"] == "low"
    assert (AuditLogEntry.objects.get(action="readiness.risk.rerate").before or {})["likelihood"] == 4


def test_only_the_owner_accepts_and_only_a_rated_residual_risk(client_admin, client_member, other_client_admin, risk):
    with pytest.raises(Conflict, match="Rate the residual"):
        risk_accept(actor=client_member, risk=risk)
    risk_rate_residual(actor=client_admin, risk=risk, likelihood=2, impact=2)
    with pytest.raises(PermissionDenied, match="owner"):
        risk_accept(actor=client_admin, risk=risk)
    with pytest.raises(NotFound):
        risk_accept(actor=other_client_admin, risk=risk)
    risk_accept(actor=client_member, risk=risk)
    with pytest.raises(Conflict, match="already accepted"):
        risk_accept(actor=client_member, risk=risk)


def test_a_changed_rating_withdraws_the_acceptance(client_admin, client_member, risk):
    risk_rate_residual(actor=client_admin, risk=risk, likelihood=2, impact=2)
    risk_accept(actor=client_member, risk=risk)
    risk = risk_rerate(actor=client_admin, risk=risk, likelihood=3, impact=3)
    assert risk.accepted_at is None
    risk_accept(actor=client_member, risk=risk)
    risk = risk_rate_residual(actor=client_admin, risk=risk, likelihood=1, impact=2)
    assert Risk.objects.get(pk=risk.pk).accepted_by is None


def test_ratings_off_the_matrix_and_members_are_refused_and_change_nothing(client_admin, client_member, risk):
    with pytest.raises(ValidationFailed):
        risk_rerate(actor=client_admin, risk=risk, likelihood=6, impact=1)
    with pytest.raises(ValidationFailed):
        risk_rate_residual(actor=client_admin, risk=risk, likelihood=1, impact=9)
    with pytest.raises(PermissionDenied):
        risk_rerate(actor=client_member, risk=risk, likelihood=1, impact=1)
    assert Risk.objects.filter(pk=risk.pk, likelihood=4, impact=4, residual_likelihood=None).exists()


def test_a_new_matrix_recomputes_the_residual_level(client_admin, acme, risk):
    risk_rate_residual(actor=client_admin, risk=risk, likelihood=3, impact=3)
    risk_matrix_configure(
        actor=client_admin, organization=acme, likelihood_levels=5, impact_levels=5, low_max=10, medium_max=15
    )
    assert Risk.objects.get(pk=risk.pk).residual_level == "low"


def test_the_page_forms_rerate_rate_and_accept(client_admin, client_member, risk):
    detail = reverse("readiness:risk-detail", args=[risk.public_id])
    admin = login(client_admin)
    accept = reverse("readiness:risk-accept", args=[risk.public_id])
    bad = admin.post(
        reverse("readiness:risk-residual", args=[risk.public_id]), {"residual-likelihood": "9", "residual-impact": "1"}
    )
    assert bad.status_code == 422
    done = admin.post(
        reverse("readiness:risk-residual", args=[risk.public_id]), {"residual-likelihood": "2", "residual-impact": "3"}
    )
    assert done.status_code == 302
    assert (
        admin.post(
            reverse("readiness:risk-rerate", args=[risk.public_id]), {"rerate-likelihood": "3", "rerate-impact": "3"}
        ).status_code
        == 302
    )
    assert accept.encode() not in admin.get(detail).content
    member = login(client_member)
    assert (
        member.post(
            reverse("readiness:risk-rerate", args=[risk.public_id]), {"rerate-likelihood": "1", "rerate-impact": "1"}
        ).status_code
        == 403
    )
    assert accept.encode() in member.get(detail).content
    assert member.post(accept).status_code == 302
    risk.refresh_from_db()
    assert (risk.likelihood, risk.residual_likelihood, risk.accepted_by) == (3, 2, client_member)
    page = member.get(detail).content
    assert accept.encode() not in page
    assert f"by {client_member}".encode() in page


def test_the_api_rerates_rates_and_accepts(client_admin, client_member, other_client_admin, risk):
    admin, _ = token_client(client_admin)
    member, _ = token_client(client_member)
    url = f"/api/v1/risks/{risk.public_id}"
    assert (
        admin.post(f"{url}/rerate", {"likelihood": 0, "impact": 1}, content_type="application/json").status_code == 422
    )
    assert (
        admin.post(f"{url}/rerate", {"likelihood": 2, "impact": 5}, content_type="application/json").json()["level"]
        == "medium"
    )
    assert member.post(f"{url}/accept").status_code == 409
    body = admin.post(f"{url}/residual", {"likelihood": 1, "impact": 2}, content_type="application/json").json()
    assert (body["residual_level"], body["accepted_by"]) == ("low", None)
    assert admin.post(f"{url}/accept").status_code == 403
    accepted = member.post(f"{url}/accept").json()
    assert accepted["accepted_by"] == client_member.email
    assert accepted["accepted_at"] is not None
    other, _ = token_client(other_client_admin)
    assert other.post(f"{url}/accept").status_code == 404
