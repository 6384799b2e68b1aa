"""A real CB finding (raised through the audits app's services) shows in the client's improvement log, page
and API, links to the finding's respond page, and is invisible to another organization."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.audits.tests.conftest import acme_sites, open_minor, programme, ready, stage1_done
from conformo.conftest import login, token_client

__all__ = ["acme_sites", "open_minor", "programme", "ready", "stage1_done"]

pytestmark = pytest.mark.django_db


def test_a_cb_finding_shows_in_the_clients_improvement_log_and_links_to_its_respond_page(
    open_minor, client_admin, client_member, acme
):
    respond = reverse("audits:finding-respond", args=[open_minor.public_id])
    for user in (client_admin, client_member):
        body = login(user).get(reverse("improvement:log", args=[acme.public_id])).content.decode()
        assert "Missing sign-off" in body
        assert f'href="{respond}"' in body
        client, _ = token_client(user)
        response = client.get(f"/api/v1/organizations/{acme.public_id}/cb-findings")
        assert response.status_code == 200, response.content
        [finding] = response.json()
        assert finding["id"] == str(open_minor.public_id)
        assert finding["title"] == "Missing sign-off"
        assert finding["grade"] == "minor"
        assert finding["status"] == open_minor.status
        assert finding["url"] == respond
    # the client follows the link to the page where it answers the finding
    assert login(client_admin).get(respond).status_code == 200


def test_a_cb_finding_is_invisible_to_another_organization(open_minor, other_client_admin, bluewater, acme):
    page = login(other_client_admin)
    assert page.get(reverse("improvement:log", args=[acme.public_id])).status_code == 404
    own = page.get(reverse("improvement:log", args=[bluewater.public_id])).content.decode()
    assert "Missing sign-off" not in own
    assert "No CB findings." in own
    client, _ = token_client(other_client_admin)
    assert client.get(f"/api/v1/organizations/{acme.public_id}/cb-findings").status_code == 404
    assert client.get(f"/api/v1/organizations/{bluewater.public_id}/cb-findings").json() == []
