"""Accepting an application invites the client's first administrator: its contact, if the client has none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from conformo.accounts.models import Invitation
from conformo.audits import services
from conformo.certification.services import application_accept
from conformo.conftest import login
from conformo.core.errors import ValidationFailed
from conformo.core.roles import Role

pytestmark = pytest.mark.django_db


def submit(ready: Any, organization: Any, sites: list[Any], actor: Any, **contact: Any) -> Any:
    return services.application_submit(
        actor=actor,
        certification_body=ready.cb,
        organization=organization,
        standards=[ready.qms],
        scope="Machining of precision parts",
        sites=sites,
        sector_codes=[17],
        **contact,
    )


def accept(application: Any, actor: Any) -> Any:
    with time_machine.travel(date(2026, 1, 5), tick=False):
        services.application_review(actor=actor, application=application)
        return application_accept(actor=actor, application=application)


def test_the_contact_of_a_client_without_administrator_is_invited_on_acceptance(
    ready: Any, acme: Any, acme_sites: Any, programme_manager: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = submit(
        ready, acme, acme_sites, programme_manager, contact_name="Quinn Quality", contact_email="Quinn@Acme.test"
    )
    assert application.contact_email == "quinn@acme.test"
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        accept(application, programme_manager)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organization) == ("quinn@acme.test", Role.CLIENT_ADMIN, acme)
    assert (invitation.full_name, invitation.invited_by) == ("Quinn Quality", programme_manager)
    assert mail.outbox[0].to == ["quinn@acme.test"]
    assert "as Client administrator" in mail.outbox[0].body


def test_a_client_with_an_administrator_gets_no_invitation(
    ready: Any, acme: Any, acme_sites: Any, programme_manager: Any, client_admin: Any
) -> None:
    accept(submit(ready, acme, acme_sites, programme_manager, contact_email="other@acme.test"), programme_manager)
    assert not Invitation.objects.exists()


def test_an_application_without_contact_invites_nobody(
    ready: Any, acme: Any, acme_sites: Any, programme_manager: Any
) -> None:
    accept(submit(ready, acme, acme_sites, programme_manager), programme_manager)
    assert not Invitation.objects.exists()


def test_a_contact_that_is_not_an_address_is_a_field_error(
    ready: Any, acme: Any, acme_sites: Any, programme_manager: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        submit(ready, acme, acme_sites, programme_manager, contact_email="quinn at acme")
    assert "contact_email" in refused.value.fields


def test_the_application_form_and_api_carry_the_contact(
    ready: Any, acme: Any, acme_sites: Any, programme_manager: Any
) -> None:
    client = login(programme_manager)
    assert 'name="contact_email"' in client.get(reverse("audits:application-create")).content.decode()
    response = client.post(
        "/api/v1/applications",
        {
            "certification_body_id": str(ready.cb.public_id),
            "organization_id": str(acme.public_id),
            "standards": [ready.qms.code],
            "scope": "Machining",
            "site_ids": [str(s.public_id) for s in acme_sites],
            "sector_codes": [17],
            "contact_email": "not an address",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "contact_email" in response.json()["fields"]
