"""The client decides whether its CB reads its readiness work: off by default, shared and stopped by its client
administrator on its page or through the API, each change in the audit log; the CB reads only while shared."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.models import AuditLogEntry
from conformo.core.tenancy import forget_reach
from conformo.organizations.models import CertificationBody, ClientRelationship
from conformo.organizations.selectors import client_relationship_get
from conformo.organizations.services import (
    client_relationship_share_readiness,
    client_relationship_stop_sharing_readiness,
)
from conformo.organizations.tenancy import can_read

API = "/api/v1"


def relationship(acme: Any, cb: CertificationBody) -> ClientRelationship:
    return ClientRelationship.objects.get(organization=acme, certification_body=cb)


def reads_readiness(user: Any, acme: Any) -> bool:
    """Whether `user` reads Acme's readiness dashboard now (a fresh request: a fresh user object)."""
    response = login(user).get(reverse("readiness:dashboard", args=[acme.public_id]))
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


def test_a_client_shares_its_readiness_and_stops_and_the_cb_reads_it_only_meanwhile(client_admin, cb_admin, acme, cb):
    assert not relationship(acme, cb).shares_readiness  # off by default
    assert not reads_readiness(cb_admin, acme)
    client_relationship_share_readiness(actor=client_admin, relationship=relationship(acme, cb))
    assert relationship(acme, cb).shares_readiness
    assert reads_readiness(cb_admin, acme)
    client_relationship_stop_sharing_readiness(actor=client_admin, relationship=relationship(acme, cb))
    assert not reads_readiness(cb_admin, acme)
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", "before", "after"))
    assert [a for a, _, _ in actions] == [
        "client_relationship.share_readiness",
        "client_relationship.stop_sharing_readiness",
    ]
    assert actions[0][1] == {"shares_readiness": False}
    assert (actions[0][2] or {})["shares_readiness"] is True
    assert (actions[1][2] or {})["shares_readiness"] is False


def test_a_cached_reach_is_forgotten_to_see_the_new_choice(client_admin, cb_admin, acme, cb):
    assert not can_read(cb_admin, acme.pk)
    client_relationship_share_readiness(actor=client_admin, relationship=relationship(acme, cb))
    assert not can_read(cb_admin, acme.pk)  # the same user object keeps what it computed ...
    forget_reach(cb_admin)
    assert can_read(cb_admin, acme.pk)  # ... until its reach is forgotten (each request starts afresh)


def test_sharing_what_is_already_shared_changes_and_logs_nothing(client_admin, acme, cb):
    client_relationship_share_readiness(actor=client_admin, relationship=relationship(acme, cb))
    client_relationship_share_readiness(actor=client_admin, relationship=relationship(acme, cb))
    assert AuditLogEntry.objects.filter(action="client_relationship.share_readiness").count() == 1
    client_relationship_stop_sharing_readiness(actor=client_admin, relationship=relationship(acme, cb))
    client_relationship_stop_sharing_readiness(actor=client_admin, relationship=relationship(acme, cb))
    assert AuditLogEntry.objects.filter(action="client_relationship.stop_sharing_readiness").count() == 1


def test_only_the_clients_administrator_decides(client_member, cb_admin, other_client_admin, acme, cb):
    for someone in (client_member, cb_admin, other_client_admin):
        with pytest.raises(PermissionDenied) as refused:
            client_relationship_share_readiness(actor=someone, relationship=relationship(acme, cb))
        assert refused.value.code == "not_client_admin"
    assert not relationship(acme, cb).shares_readiness
    assert not AuditLogEntry.objects.exists()


def test_another_cb_neither_sees_nor_reaches_the_relationship(other_cb_admin, acme, cb):
    with pytest.raises(NotFound):
        client_relationship_get(user=other_cb_admin, organization=acme, certification_body_id=cb.public_id)


# --- API ----------------------------------------------------------------------------------------------------


def test_the_api_lists_shares_and_stops_sharing(client_admin, cb_admin, acme, cb):
    client, _ = token_client(client_admin)
    base = f"{API}/organizations/{acme.public_id}/certification-bodies"
    listed = client.get(base).json()
    assert listed["items"] == [
        {"certification_body_id": str(cb.public_id), "certification_body": cb.name, "shares_readiness": False}
    ]
    response = client.post(f"{base}/{cb.public_id}/share-readiness")
    assert (response.status_code, response.json()["shares_readiness"]) == (200, True)
    assert reads_readiness(cb_admin, acme)
    cb_client, _ = token_client(cb_admin)
    assert cb_client.get(base).json()["items"][0]["shares_readiness"] is True  # the CB sees the choice
    assert cb_client.post(f"{base}/{cb.public_id}/stop-sharing-readiness").status_code == 403  # not its choice
    response = client.post(f"{base}/{cb.public_id}/stop-sharing-readiness")
    assert (response.status_code, response.json()["shares_readiness"]) == (200, False)
    assert not reads_readiness(cb_admin, acme)


def test_the_api_refuses_other_people_and_unknown_cbs(client_member, other_client_admin, other_cb, acme, cb):
    base = f"{API}/organizations/{acme.public_id}/certification-bodies"
    member, _ = token_client(client_member)
    assert member.post(f"{base}/{cb.public_id}/share-readiness").json()["code"] == "not_client_admin"
    stranger, _ = token_client(other_client_admin)
    assert stranger.post(f"{base}/{cb.public_id}/share-readiness").status_code == 404
    assert stranger.get(base).status_code == 404
    assert member.post(f"{base}/{other_cb.public_id}/share-readiness").status_code == 404  # not a CB of Acme's
    assert member.post(f"{base}/not-a-uuid/share-readiness").status_code == 422
    assert not relationship(acme, cb).shares_readiness


def test_the_list_endpoint_runs_a_fixed_number_of_queries(client_admin, acme, cb, django_assert_max_num_queries):
    for n in range(5):
        other = CertificationBody.objects.create(name=f"CB {n}", country="DE")
        ClientRelationship.objects.create(certification_body=other, organization=acme)
    client, _ = token_client(client_admin)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/organizations/{acme.public_id}/certification-bodies")
    assert response.json()["count"] == 6


# --- pages --------------------------------------------------------------------------------------------------


def test_the_client_administrator_shares_and_stops_sharing_on_the_organization_page(client_admin, acme, cb):
    page = login(client_admin)
    detail = reverse("organizations:detail", args=[acme.public_id])
    html = page.get(detail).content.decode()
    assert "Not shared" in html
    assert f"Share with {cb.name}" in html
    share = reverse("organizations:readiness-share", args=[acme.public_id, cb.public_id])
    assert page.get(share).status_code == 200  # GET shows the organization's page
    assert not relationship(acme, cb).shares_readiness
    response = page.post(share, follow=True)
    assert f"Your readiness work is shared with {cb}." in response.content.decode()
    assert f"Stop sharing with {cb.name}" in response.content.decode()
    assert relationship(acme, cb).shares_readiness
    stop = reverse("organizations:readiness-stop-sharing", args=[acme.public_id, cb.public_id])
    page.post(stop)
    assert not relationship(acme, cb).shares_readiness


def test_others_see_the_choice_but_cannot_change_it_on_the_page(client_member, cb_admin, outsider, acme, cb):
    share = reverse("organizations:readiness-share", args=[acme.public_id, cb.public_id])
    for viewer in (client_member, cb_admin):
        html = login(viewer).get(reverse("organizations:detail", args=[acme.public_id])).content.decode()
        assert "Not shared" in html
        assert f"Share with {cb.name}" not in html
        assert login(viewer).post(share).status_code == 403
    assert login(outsider).post(share).status_code == 404
    assert not relationship(acme, cb).shares_readiness
