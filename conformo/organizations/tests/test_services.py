from __future__ import annotations

import pytest
from django.test import Client

from conformo.accounts.services import api_token_create
from conformo.conftest import login
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.organizations.models import Organization, Site
from conformo.organizations.services import organization_create, site_create, site_update


def test_a_cb_admin_registers_a_client(cb_admin, cb):
    org = organization_create(
        actor=cb_admin, legal_name=" Delta Foods ", country="fr", certification_body=cb, sector_codes=[3, 3, 30]
    )
    assert org.legal_name == "Delta Foods"
    assert org.country == "FR"
    assert org.sector_codes == [3, 30]
    assert org.client_relationships.get().certification_body == cb
    entry = AuditLogEntry.objects.get(action="organization.create")
    assert entry.actor == cb_admin
    assert entry.after is not None
    assert entry.after["legal_name"] == "Delta Foods"


def test_an_auditor_cannot_register_a_client(auditor, cb):
    with pytest.raises(PermissionDenied):
        organization_create(actor=auditor, legal_name="Nope", country="DE", certification_body=cb)
    assert not Organization.objects.filter(legal_name="Nope").exists()


def test_sector_codes_outside_1_to_39_are_refused(cb_admin, cb):
    with pytest.raises(ValidationFailed) as caught:
        organization_create(actor=cb_admin, legal_name="X", country="DE", certification_body=cb, sector_codes=[40])
    assert "sector_codes" in caught.value.fields


def test_a_second_headquarters_is_refused(client_admin, acme):
    site_create(actor=client_admin, organization=acme, name="HQ", country="DE", is_headquarters=True)
    with pytest.raises(ValidationFailed) as caught:
        site_create(actor=client_admin, organization=acme, name="HQ2", country="DE", is_headquarters=True)
    assert caught.value.fields == {"is_headquarters": ["Only one site can be the headquarters."]}
    assert acme.sites.count() == 1


def test_a_site_update_logs_before_and_after(client_admin, acme):
    site = site_create(actor=client_admin, organization=acme, name="Plant", country="DE", permanent_staff=10)
    site_update(actor=client_admin, site=site, name="Plant", country="DE", permanent_staff=12)
    entry = AuditLogEntry.objects.get(action="site.update")
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["permanent_staff"] == 10
    assert entry.after["permanent_staff"] == 12


def test_a_client_member_cannot_change_sites(client_member, acme):
    with pytest.raises(PermissionDenied):
        site_create(actor=client_member, organization=acme, name="Plant", country="DE")


def test_the_api_returns_field_errors_and_changes_nothing(client_admin, acme):
    _, raw = api_token_create(user=client_admin, name="t")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        f"/api/v1/organizations/{acme.public_id}/sites",
        {"name": "", "country": "Germany", "shifts": 9},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert {"name", "country", "shifts"} <= set(fields)
    assert Site.objects.count() == 0


def test_the_site_form_shows_field_errors(client_admin, acme):
    response = login(client_admin).post(
        f"/organizations/{acme.public_id}/sites/new/", {"name": "Plant", "country": "Germany", "shifts": 1}
    )
    assert response.status_code == 422
    assert "Two-letter ISO 3166-1 code" in response.content.decode() or "at most 2" in response.content.decode()
    assert Site.objects.count() == 0


def test_a_cb_admin_registers_a_client_through_the_page(cb_admin, cb):
    response = login(cb_admin).post(
        "/organizations/new/",
        {"legal_name": "Echo Energy", "country": "ES", "sector_codes": "25, 26", "certification_body": cb.pk},
    )
    assert response.status_code == 302
    org = Organization.objects.get(legal_name="Echo Energy")
    assert org.sector_codes == [25, 26]


def test_a_staff_count_that_is_not_a_number_is_a_form_error_with_the_input_kept(client_admin, acme):
    response = login(client_admin).post(
        f"/organizations/{acme.public_id}/sites/new/",
        {"name": "Plant", "country": "DE", "shifts": 1, "permanent_staff": "abc"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a whole number." in body
    assert 'value="abc"' in body
    assert Site.objects.count() == 0


def test_sector_codes_that_are_not_numbers_are_a_form_error(cb_admin, cb):
    response = login(cb_admin).post(
        "/organizations/new/",
        {"legal_name": "Echo Energy", "country": "ES", "sector_codes": "25, abc", "certification_body": cb.pk},
    )
    assert response.status_code == 422
    assert "IAF sector codes are whole numbers from 1 to 39" in response.content.decode()
    assert not Organization.objects.filter(legal_name="Echo Energy").exists()


def test_the_client_page_reads_sector_codes_as_the_domain_does(cb_admin, cb):
    response = login(cb_admin).post(
        "/organizations/new/",
        {"legal_name": "Foxtrot Foods", "country": "ES", "sector_codes": "3 30;3", "certification_body": cb.pk},
    )
    assert response.status_code == 302
    assert Organization.objects.get(legal_name="Foxtrot Foods").sector_codes == [3, 30]
    refused = login(cb_admin).post(
        "/organizations/new/",
        {"legal_name": "Golf Foods", "country": "ES", "sector_codes": "3a", "certification_body": cb.pk},
    )
    assert refused.context["form"].errors["sector_codes"] == [
        "IAF sector codes are whole numbers from 1 to 39; not valid: 3a (3a: sub-divisions are not IAF codes)."
    ]
    assert not Organization.objects.filter(legal_name="Golf Foods").exists()


def test_the_registration_form_offers_only_the_certification_bodies_the_user_manages(cb_admin, cb, other_cb):
    page = login(cb_admin)
    body = page.get("/organizations/new/").content.decode()
    assert f'<option value="{cb.pk}"' in body
    assert f'<option value="{other_cb.pk}"' not in body
    response = page.post(
        "/organizations/new/",
        {"legal_name": "Echo Energy", "country": "ES", "sector_codes": "25", "certification_body": other_cb.pk},
    )
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert 'value="Echo Energy"' in response.content.decode()
    assert not Organization.objects.filter(legal_name="Echo Energy").exists()


def test_an_empty_post_is_a_form_error_not_a_blank_form(cb_admin, client_admin, acme):
    """A POST without fields binds the form: the required fields say so (422), the page is not shown as new."""
    response = login(cb_admin).post("/organizations/new/")
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = login(client_admin).post(f"/organizations/{acme.public_id}/sites/new/")
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Site.objects.count() == 0
