"""The issue's "done when": from `conformo cb create`, the new CB administrator builds the CB and a client's team
from the pages alone — every person joins by the link in their e-mail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conformo.accounts.models import Membership
from conformo.core.roles import Role
from conformo.organizations.models import CertificationBody, Organization

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-secret-42"


def last_link(to: str) -> str:
    """The path of the accept link in the latest e-mail to `to`."""
    message = [m for m in mail.outbox if m.to == [to]][-1]
    found = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitations/accept/[^/\s]+/)", str(message.body))
    assert found is not None
    return found.group(1)


def join(path: str, name: str) -> Client:
    """Open the link as someone new, choose a name and a password: signed in."""
    person = Client()
    assert person.get(path).status_code == 200
    response = person.post(path, {"full_name": name, "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return person


def test_a_new_cb_administrator_builds_the_cb_and_a_clients_team_from_the_pages(
    cli: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def sent(action: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    sent(
        lambda: cli("cb", "create", "--name", "Eastline Audit", "--country", "DE", "--admin-email", "ada@east.example")
    )
    cb = CertificationBody.objects.get()
    members = f"/accounts/members/certification-bodies/{cb.public_id}/"

    ada = join(last_link("ada@east.example"), "Ada Admin")
    assert ada.get("/accounts/members/")["Location"] == members
    for email, role in [("pia@east.example", "programme_manager"), ("tom@east.example", "technical_expert")]:
        response = sent(lambda e=email, r=role: ada.post(f"{members}invite/", {"invite-email": e, "invite-role": r}))
        assert response.status_code == 302
    pia = join(last_link("pia@east.example"), "Pia Programme")
    join(last_link("tom@east.example"), "Tom Technical")

    # The programme manager registers a client and invites its first administrator from its page.
    registered = pia.post(
        "/organizations/new/",
        {"legal_name": "Foxglove Foods", "country": "NL", "certification_body": cb.pk},
    )
    assert registered.status_code == 302
    org = Organization.objects.get()
    detail = pia.get(f"/organizations/{org.public_id}/").content.decode()
    assert "Invite the client's administrator" in detail
    org_members = f"/accounts/members/organizations/{org.public_id}/"
    invited = sent(
        lambda: pia.post(
            f"{org_members}invite/", {"invite-email": "fay@foxglove.example", "invite-role": "client_admin"}
        )
    )
    assert invited.status_code == 302
    fay = join(last_link("fay@foxglove.example"), "Fay Foods")
    sent(
        lambda: fay.post(
            f"{org_members}invite/", {"invite-email": "gus@foxglove.example", "invite-role": "client_member"}
        )
    )
    join(last_link("gus@foxglove.example"), "Gus Grower")

    assert set(Membership.objects.filter(certification_body=cb).values_list("user__email", "role")) == {
        ("ada@east.example", Role.CB_ADMIN),
        ("pia@east.example", Role.PROGRAMME_MANAGER),
        ("tom@east.example", Role.TECHNICAL_EXPERT),
    }
    assert set(Membership.objects.filter(organization=org).values_list("user__email", "role")) == {
        ("fay@foxglove.example", Role.CLIENT_ADMIN),
        ("gus@foxglove.example", Role.CLIENT_MEMBER),
    }
    page = fay.get(org_members).content.decode()
    assert "Gus Grower" in page
    assert "No open invitations." in page
