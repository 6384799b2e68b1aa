from __future__ import annotations

import pytest
from django.test import Client

from conformo.accounts.models import ApiToken, hash_token
from conformo.accounts.services import api_token_create, api_token_revoke
from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry


def test_it_stores_only_the_hash_of_a_new_token(client_admin):
    token, raw = api_token_create(user=client_admin, name="export script")
    assert raw.startswith("cfo_")
    assert token.token_hash == hash_token(raw)
    assert raw not in {token.token_hash, token.hint}
    assert ApiToken.objects.filter(token_hash=raw).count() == 0


def test_a_bearer_token_authenticates_api_calls(client_admin):
    _, raw = api_token_create(user=client_admin, name="cli")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["email"] == "quality@acme.test"
    assert response.json()["memberships"][0]["role"] == "client_admin"


def test_the_api_refuses_a_request_without_credentials(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_wrong_token_is_refused(client_admin):
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cfo_not-a-real-token")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token is not valid: it is unknown, revoked, or its owner's account is inactive.",
        "code": "invalid_token",
    }


def test_a_wrong_token_is_refused_even_with_a_signed_in_session(client_admin):
    response = login(client_admin).get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cfo_not-a-real-token")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_revoked_token_stops_working_at_once(client_admin):
    token, raw = api_token_create(user=client_admin, name="cli")
    api_token_revoke(user=client_admin, token=token)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_revoking_twice_is_a_conflict(client_admin):
    token, _ = api_token_create(user=client_admin, name="cli")
    api_token_revoke(user=client_admin, token=token)
    with pytest.raises(Conflict):
        api_token_revoke(user=client_admin, token=token)


def test_nobody_can_revoke_someone_elses_token(client_admin, other_client_admin):
    token, _ = api_token_create(user=client_admin, name="cli")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=other_client_admin, token=token)
    response = login(other_client_admin).post(f"/accounts/tokens/{token.public_id}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_value_is_shown_once_on_the_page(client_admin):
    browser = login(client_admin)
    response = browser.post("/accounts/tokens/new/", {"name": "nightly export"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=client_admin)
    body = response.content.decode()
    assert "Copy your new token now" in body
    assert token.hint in body
    assert response["Cache-Control"] == "no-store"
    again = browser.get("/accounts/tokens/").content.decode()
    assert "Copy your new token now" not in again
    assert "nightly export" in again


def test_tokens_are_created_and_revoked_through_the_api_with_a_signed_in_session(client_admin):
    session = login(client_admin)
    created = session.post("/api/v1/tokens", {"name": "second"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("cfo_")
    assert body["scope"] == "read_write"
    assert body["status"] == "active"
    listing = session.get("/api/v1/tokens").json()
    assert listing["count"] == 1
    assert all("token" not in item for item in listing["items"])
    revoked = session.post(f"/api/v1/tokens/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert revoked.json()["status"] == "revoked"
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}").status_code == 401


def test_a_token_cannot_create_tokens(client_admin):
    api, _ = token_client(client_admin)
    response = api.post("/api/v1/tokens", {"name": "minted"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "session_required"
    assert ApiToken.objects.filter(user=client_admin).count() == 1


def test_a_token_cannot_revoke_tokens(client_admin):
    api, _ = token_client(client_admin)
    other, _ = api_token_create(user=client_admin, name="other")
    response = api.post(f"/api/v1/tokens/{other.public_id}/revoke")
    assert response.status_code == 403
    assert response.json()["code"] == "session_required"
    other.refresh_from_db()
    assert other.revoked_at is None


def test_an_empty_token_name_gets_a_field_error(client_admin):
    response = login(client_admin).post("/api/v1/tokens", {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.json()["fields"]


def test_an_unknown_scope_gets_a_field_error(client_admin):
    response = login(client_admin).post(
        "/api/v1/tokens", {"name": "x", "scope": "admin"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "scope" in response.json()["fields"]
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(user=client_admin, name="x", scope="admin")
    assert "scope" in refused.value.fields
    assert not ApiToken.objects.exists()


def test_token_changes_are_audit_logged(client_admin):
    token, _ = api_token_create(user=client_admin, name="cli")
    api_token_revoke(user=client_admin, token=token)
    actions = list(AuditLogEntry.objects.filter(object_id=str(token.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]


def test_the_token_lookup_returns_a_full_user_with_converted_values(client_admin):
    from datetime import datetime

    from conformo.accounts.services import api_token_authenticate

    token, raw = api_token_create(user=client_admin, name="cli")
    use = api_token_authenticate(raw)
    assert use is not None
    user = use.user
    assert user.pk == client_admin.pk
    assert user.email == "quality@acme.test"
    assert user.is_superuser is False
    assert isinstance(user.date_joined, datetime)
    assert user.date_joined.tzinfo is not None
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == first_use  # written at most once a minute


def test_a_deactivated_users_token_is_refused(client_admin):
    from conformo.accounts.services import api_token_authenticate

    _, raw = api_token_create(user=client_admin, name="cli")
    client_admin.is_active = False
    client_admin.save()
    assert api_token_authenticate(raw) is None
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_the_token_page_shows_a_missing_or_too_long_name_as_a_form_error(client_admin):
    page = login(client_admin)
    response = page.post("/accounts/tokens/new/", {"name": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = page.post("/accounts/tokens/new/", {"name": "x" * 101})
    assert response.status_code == 422
    assert "x" * 101 in response.content.decode()
    assert not ApiToken.objects.filter(user=client_admin).exists()


def test_the_create_form_has_its_own_url_and_the_list_answers_only_get(client_admin):
    page = login(client_admin)
    assert 'action="/accounts/tokens/new/"' in page.get("/accounts/tokens/").content.decode()
    assert page.post("/accounts/tokens/", {"name": "nightly export"}).status_code == 405
    assert not ApiToken.objects.filter(user=client_admin).exists()
    response = page.get("/accounts/tokens/new/")
    assert response.status_code == 200
    assert 'action="/accounts/tokens/new/"' in response.content.decode()
    assert "Copy your new token now" not in response.content.decode()


@pytest.mark.django_db
def test_the_create_url_needs_a_signed_in_user(client):
    response = client.post("/accounts/tokens/new/", {"name": "nightly export"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ApiToken.objects.exists()
