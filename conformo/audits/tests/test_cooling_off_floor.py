"""The cooling-off period after consultancy is a normative floor (ISO/IEC 17021-1 5.2: at least two years): the
settings refuse a shorter one with the clause — service, page and API — and stored shorter ones were raised."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from conformo.audits import services
from conformo.audits.models import CBSettings
from conformo.audits.tests.test_setup_pages import SETTINGS
from conformo.conftest import login, token_client
from conformo.core.errors import ValidationFailed


def test_a_cooling_off_below_two_years_is_refused_with_the_clause(cb, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.cb_settings_update(actor=cb_admin, certification_body=cb, cooling_off_months=6)
    assert refused.value.code == "below_normative_floor"
    assert "17021-1:2015 5.2" in refused.value.message
    assert list(refused.value.fields) == ["cooling_off_months"]
    assert services.cb_settings_get(cb).cooling_off_months == 24


def test_a_longer_cooling_off_is_the_cbs_choice(cb, cb_admin):
    services.cb_settings_update(actor=cb_admin, certification_body=cb, cooling_off_months=36)
    assert services.cb_settings_get(cb).cooling_off_months == 36


def test_the_settings_page_shows_the_floor_next_to_the_field(cb, cb_admin):
    page = login(cb_admin).post(reverse("audits:cb-settings"), {**SETTINGS, "cooling_off_months": "6"})
    assert page.status_code == 422
    errors = page.context["form"].errors["cooling_off_months"]
    assert "at least two years" in errors[0]
    assert "17021-1:2015 5.2" in errors[0]


def test_the_api_refuses_it_and_documents_the_floor(cb, cb_admin):
    client, _ = token_client(cb_admin)
    body = {**{k: v for k, v in SETTINGS.items() if v != ""}, "cooling_off_months": 6}
    path = f"/api/v1/certification-bodies/{cb.public_id}/settings"
    response = client.put(path, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "cooling_off_months" in response.json()["fields"]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CBSettingsIO"]
    assert schema["properties"]["cooling_off_months"]["minimum"] == 24


def test_stored_cooling_off_periods_below_the_floor_were_raised(cb, other_cb):
    CBSettings.objects.create(certification_body=cb, cooling_off_months=36)
    CBSettings.objects.create(certification_body=other_cb, cooling_off_months=24)
    CBSettings.objects.filter(certification_body=other_cb).update(cooling_off_months=6)
    migration = importlib.import_module("conformo.audits.migrations.0009_cooling_off_at_least_two_years")
    migration.raise_to_floor(apps, None)
    assert CBSettings.objects.get(certification_body=other_cb).cooling_off_months == 24
    assert CBSettings.objects.get(certification_body=cb).cooling_off_months == 36
