"""Two-factor authentication: enrol an authenticator app, the sign-in's second step, and a CB's requirement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conformo.accounts.services import (
    api_token_create,
    certification_body_security_update,
    two_factor_confirm,
    two_factor_enrol_start,
    two_factor_verify,
)
from conformo.accounts.two_factor import two_factor_need
from conformo.conftest import login
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _enrolled(user, at: datetime = T0) -> TOTPDevice:
    """`user` with a confirmed authenticator app (set up at `at`)."""
    with time_machine.travel(at, tick=False):
        device = two_factor_enrol_start(actor=user, user=user)
        return two_factor_confirm(actor=user, user=user, code=_code(device))


def _password_sign_in(email: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": email, "password": "pw-for-tests"}).status_code == 302
    return client


def test_a_user_sets_up_an_app_from_the_security_page(client_admin):
    page = login(client_admin)
    with time_machine.travel(T0, tick=False):
        assert "Set up two-factor authentication" in page.get("/accounts/security/").content.decode()
        assert page.post("/accounts/security/two-factor/start/").status_code == 302
        body = page.get("/accounts/security/")
        device = TOTPDevice.objects.get(user=client_admin)
        html = body.content.decode()
        assert "<svg" in html
        assert "QR code to set up your app" in html
        assert device.config_url.startswith("otpauth://totp/Conformo%3Aquality%40acme.test?secret=")
        secret = html.split('<code class="token">')[1].split("</code>")[0]
        assert secret.replace(" ", "") in device.config_url
        assert body["Cache-Control"] == "no-store"
        confirmed = page.post("/accounts/security/two-factor/confirm/", {"code": _code(device)})
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditLogEntry.objects.filter(action="two_factor.enrol", object_id=str(client_admin.pk)).exists()
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        assert page.get("/dashboard/").status_code == 200  # this session proved the code: verified
        after = page.get("/accounts/security/").content.decode()
    assert "On since" in after
    assert "<svg" not in after  # the secret is never shown again


def test_a_wrong_code_does_not_turn_it_on(client_admin):
    page = login(client_admin)
    with time_machine.travel(T0, tick=False):
        page.post("/accounts/security/two-factor/start/")
        response = page.post("/accounts/security/two-factor/confirm/", {"code": "000000"})
    assert response.status_code == 422
    assert "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=client_admin, confirmed=True).exists()


def test_with_an_app_the_sign_in_asks_for_a_code_before_any_page(client_admin):
    device = _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        for path in ("/dashboard/", "/accounts/tokens/", "/accounts/security/", "/admin/", "/organizations/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/two-factor/?next="), path
        wrong = client.post("/accounts/two-factor/", {"code": "123456", "next": "/accounts/tokens/"})
        assert wrong.status_code == 422
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):  # past django-otp's wait after a wrong code
        right = client.post("/accounts/two-factor/", {"code": _code(device), "next": "/accounts/tokens/"})
        assert right.status_code == 302
        assert right["Location"] == "/accounts/tokens/"
        assert client.get("/dashboard/").status_code == 200


def test_signing_out_works_before_the_code(client_admin):
    _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_a_code_works_once(client_admin):
    device = _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        code = _code(device)
        two_factor_verify(actor=client_admin, user=client_admin, code=code)
        with pytest.raises(ValidationFailed):
            two_factor_verify(actor=client_admin, user=client_admin, code=code)


def test_wrong_codes_are_throttled_even_the_right_one_waits(client_admin):
    device = _enrolled(client_admin)
    after = T0 + timedelta(minutes=5)

    def verify(seconds: float, code: str):
        with time_machine.travel(after + timedelta(seconds=seconds), tick=False):
            return two_factor_verify(actor=client_admin, user=client_admin, code=code or _code(device))

    with pytest.raises(ValidationFailed):
        verify(0, "000000")
    with pytest.raises(ValidationFailed) as refused:
        verify(0, "")  # the right code, at once: 1 second to wait after one wrong code
    assert refused.value.message == "Too many wrong codes. Wait 1 second and try again."
    with pytest.raises(ValidationFailed):
        verify(2, "000000")
    with pytest.raises(ValidationFailed) as refused:
        verify(3, "")  # 2 seconds after the second wrong code
    assert "Too many wrong codes" in refused.value.message
    device.refresh_from_db()
    assert device.throttling_failure_count == 2  # the refusals were kept: they are not rolled back
    assert verify(4.5, "") == device


def test_the_api_refuses_a_session_that_has_not_given_its_code(client_admin):
    device = _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        refused = client.get("/api/v1/me")
        assert refused.status_code == 403
        assert refused.json()["code"] == "two_factor_required"
        minted = client.post("/api/v1/tokens", {"name": "sneaky"}, content_type="application/json")
        assert minted.status_code == 403
        client.post("/accounts/two-factor/", {"code": _code(device)})
        assert client.get("/api/v1/me").status_code == 200
        _, raw = api_token_create(user=client_admin, name="cli")
        assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_removing_needs_a_current_code_or_the_password(client_admin):
    device = _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        client.post("/accounts/two-factor/", {"code": _code(device)})
        refused = client.post("/accounts/security/two-factor/remove/", {"password": "not-it"})
        assert refused.status_code == 422
        assert "Enter a current code from your app, or your password." in refused.content.decode()
        assert TOTPDevice.objects.filter(user=client_admin).exists()
        removed = client.post("/accounts/security/two-factor/remove/", {"password": "pw-for-tests"})
        assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=client_admin).exists()
    entry = AuditLogEntry.objects.get(action="two_factor.remove")
    assert (entry.after or {})["proof"] == "password"
    assert entry.organization_id == client_admin.memberships.get().organization_id


def test_removing_with_a_code(client_admin):
    device = _enrolled(client_admin)
    page = login(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        page.post("/accounts/two-factor/", {"code": _code(device)})
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        assert page.post("/accounts/security/two-factor/remove/", {"code": _code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=client_admin).exists()


def test_a_session_without_the_code_cannot_remove_the_app_with_the_password(client_admin):
    _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        response = client.post("/accounts/security/two-factor/remove/", {"password": "pw-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    assert TOTPDevice.objects.filter(user=client_admin, confirmed=True).exists()


def test_a_cb_administrator_requires_two_factor_of_the_staff(cb_admin, auditor, client_admin, other_cb_admin, cb):
    page = login(cb_admin)
    security = page.get("/accounts/security/").content.decode()
    assert f'action="/accounts/cb/{cb.public_id}/security/"' in security
    response = page.post(f"/accounts/cb/{cb.public_id}/security/", {"require_staff_two_factor": "on"})
    assert response.status_code == 302
    cb.refresh_from_db()
    assert cb.require_staff_two_factor
    entry = AuditLogEntry.objects.get(action="certification_body.security_update")
    assert entry.certification_body_id == cb.pk
    assert entry.after == {"require_staff_two_factor": True}

    staff = login(auditor)
    sent = staff.get("/dashboard/")
    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/security/?next=%2Fdashboard%2F"
    enrol_page = staff.get("/accounts/security/").content.decode()
    assert "Your certification body requires two-factor authentication." in enrol_page
    api = staff.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert login(client_admin).get("/dashboard/").status_code == 200  # clients: their own choice
    assert login(other_cb_admin).get("/dashboard/").status_code == 200  # another CB: not required


def test_staff_of_a_requiring_cb_enrol_and_then_go_on(auditor, cb):
    certification_body_security_update(actor=auditor_admin(cb), certification_body=cb, require_staff_two_factor=True)
    staff = login(auditor)
    with time_machine.travel(T0, tick=False):
        staff.post("/accounts/security/two-factor/start/", {"next": "/dashboard/"})
        device = TOTPDevice.objects.get(user=auditor)
        confirmed = staff.post("/accounts/security/two-factor/confirm/", {"code": _code(device), "next": "/dashboard/"})
        assert confirmed["Location"] == "/dashboard/"
        assert staff.get("/dashboard/").status_code == 200


def auditor_admin(cb):
    from conformo.core.roles import Role
    from conformo.core.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory.create(email="second-admin@northbridge.test")
    MembershipFactory.create(user=admin, role=Role.CB_ADMIN, certification_body=cb)
    return admin


def test_only_the_cbs_administrator_changes_the_requirement(cb, auditor, other_cb_admin, client_admin):
    url = f"/accounts/cb/{cb.public_id}/security/"
    assert login(auditor).post(url, {"require_staff_two_factor": "on"}).status_code == 403
    assert login(other_cb_admin).post(url, {"require_staff_two_factor": "on"}).status_code == 404
    assert login(client_admin).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
    with pytest.raises(PermissionDenied):
        certification_body_security_update(actor=auditor, certification_body=cb, require_staff_two_factor=True)
    cb.refresh_from_db()
    assert not cb.require_staff_two_factor
    assert "staff sign-in" not in login(auditor).get("/accounts/security/").content.decode()


def test_the_cb_form_has_its_own_page(cb_admin, cb):
    response = login(cb_admin).get(f"/accounts/cb/{cb.public_id}/security/")
    assert response.status_code == 200
    assert "Staff must sign in with two-factor authentication" in response.content.decode()


def test_the_code_page_sends_only_to_this_site(client_admin):
    device = _enrolled(client_admin)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = _password_sign_in("quality@acme.test")
        response = client.post("/accounts/two-factor/", {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


def test_the_need_costs_one_query_and_none_once_verified(client_admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert two_factor_need(client_admin) is None
    with django_assert_num_queries(0):
        assert two_factor_need(client_admin) is None  # kept on the user object


def test_the_operator_resets_a_lost_app(client_admin, cli):
    _enrolled(client_admin)
    # A command run from the command line closes every connection when it ends; on PostgreSQL that would close
    # the one holding this test's transaction.
    with mock.patch.object(connections, "close_all"):
        result = cli("two-factor", "reset", "Quality@acme.test")
        unknown = cli("two-factor", "reset", "nobody@acme.test")
    assert result.returncode == 0, result.stderr
    assert "is off" in result.stdout
    assert not TOTPDevice.objects.filter(user=client_admin).exists()
    assert AuditLogEntry.objects.get(action="two_factor.reset").actor is None
    assert unknown.returncode != 0
    assert "No user signs in with nobody@acme.test" in unknown.stderr
