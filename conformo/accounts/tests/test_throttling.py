"""Sign-in throttling: 5 failures lock the account and the address (each on its own) for 15 minutes."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from conformo.accounts.throttling import attempted_email, client_address
from conformo.core.models import AuditLogEntry

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RIGHT = "pw-for-tests"
LOCKED = "Too many failed sign-ins"


@dataclass
class SignIn:
    """A browser (with its session) and the answer to its sign-in."""

    client: Client
    last_response: Any

    def get(self, path: str) -> Any:
        return self.client.get(path)


def _sign_in(email: str, password: str, address: str = "10.0.0.1", path: str = "/accounts/login/") -> SignIn:
    client = Client(REMOTE_ADDR=address)
    return SignIn(client, client.post(path, {"username": email, "password": password}))


def _fail(times: int, email: str = "quality@acme.test", address: str = "10.0.0.1") -> None:
    for _ in range(times):
        _sign_in(email, "wrong-password", address)


def _signed_in(client: SignIn) -> bool:
    return client.get("/dashboard/").status_code == 200


def test_the_fifth_failure_locks_and_the_right_password_is_refused_while_locked(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(4)
        fourth = _sign_in("quality@acme.test", "wrong-password")
        assert fourth.last_response.status_code == 429  # the fifth failure
        right = _sign_in("quality@acme.test", RIGHT)
        assert not _signed_in(right)
    assert right.last_response.status_code == 429
    body = right.last_response.content.decode()
    assert LOCKED in body
    assert "try again in 15 minutes" in body
    assert right.last_response["Retry-After"] == str(15 * 60)


def test_four_failures_do_not_lock(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(4)
        client = _sign_in("quality@acme.test", RIGHT)
        assert client.last_response.status_code == 302
        assert _signed_in(client)


def test_the_right_password_works_once_the_lock_has_expired(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(5)
    with time_machine.travel(START + timedelta(minutes=14, seconds=59), tick=False):
        assert _sign_in("quality@acme.test", RIGHT).last_response.status_code == 429
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        client = _sign_in("quality@acme.test", RIGHT)
        assert client.last_response.status_code == 302
        assert _signed_in(client)


def test_attempts_during_the_lock_do_not_extend_it_and_the_message_counts_down(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(5)
    with time_machine.travel(START + timedelta(minutes=10, seconds=30), tick=False):
        refused = _sign_in("quality@acme.test", "wrong-again")
        assert "try again in 5 minutes" in refused.last_response.content.decode()
        assert refused.last_response["Retry-After"] == str(4 * 60 + 30)
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        assert _sign_in("quality@acme.test", RIGHT).last_response.status_code == 302


def test_failures_further_apart_than_the_lockout_window_do_not_add_up(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(4)
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        _fail(1)
        assert _sign_in("quality@acme.test", RIGHT).last_response.status_code == 302


def test_an_address_is_locked_after_failures_on_any_accounts(client_admin):
    with time_machine.travel(START, tick=False):
        for n in range(5):
            _fail(1, email=f"guess{n}@acme.test", address="10.0.0.1")
        same_address = _sign_in("quality@acme.test", RIGHT, address="10.0.0.1")
        other_address = _sign_in("quality@acme.test", RIGHT, address="10.0.0.2")
    assert same_address.last_response.status_code == 429
    assert other_address.last_response.status_code == 302


def test_an_account_is_locked_after_failures_from_any_addresses(client_admin, client_member):
    with time_machine.travel(START, tick=False):
        for n in range(5):
            _fail(1, email="quality@acme.test", address=f"10.0.1.{n}")
        fresh_address = _sign_in("quality@acme.test", RIGHT, address="10.0.2.1")
        other_account = _sign_in("staff@acme.test", RIGHT, address="10.0.1.0")
    assert fresh_address.last_response.status_code == 429
    assert other_account.last_response.status_code == 302


def test_the_email_is_counted_whatever_its_case_and_signs_in_whatever_its_case(client_admin):
    with time_machine.travel(START, tick=False):
        for n, email in enumerate(
            ["Quality@acme.test", "QUALITY@ACME.TEST", " quality@Acme.test", "quality@acme.test"]
        ):
            _fail(1, email=email, address=f"10.0.3.{n}")
        assert _sign_in("Quality@Acme.test", RIGHT, address="10.0.4.1").last_response.status_code == 302
        _fail(1, email="QUALITY@acme.test", address="10.0.3.9")
        assert _sign_in("quality@acme.test", RIGHT, address="10.0.4.2").last_response.status_code == 429


def test_a_locked_unknown_address_looks_like_a_locked_account(client_admin):
    with time_machine.travel(START, tick=False):
        _fail(5, email="nobody@acme.test", address="10.0.5.1")
        _fail(5, email="quality@acme.test", address="10.0.5.2")
        unknown = _sign_in("nobody@acme.test", RIGHT, address="10.0.5.1").last_response
        known = _sign_in("quality@acme.test", RIGHT, address="10.0.5.2").last_response
    assert unknown.status_code == known.status_code == 429

    def message(response):
        body = response.content.decode()
        return body[body.index(LOCKED) : body.index("</div>", body.index(LOCKED))]

    assert message(unknown) == message(known)


def test_the_admin_sign_in_is_throttled_and_counts_with_the_sign_in_page(superuser):
    with time_machine.travel(START, tick=False):
        _fail(3, email="root@example.test")
        for _ in range(2):
            _sign_in("root@example.test", "wrong", path="/admin/login/?next=/admin/")
        refused = _sign_in("root@example.test", RIGHT, path="/admin/login/?next=/admin/")
        assert refused.get("/admin/").status_code == 302  # not signed in to the admin
    assert refused.last_response.status_code == 429
    assert LOCKED in refused.last_response.content.decode()


def test_each_lockout_is_audit_logged_once_and_failures_of_accounts_too(client_admin, acme):
    with time_machine.travel(START, tick=False):
        _fail(5)
        _sign_in("quality@acme.test", RIGHT)  # refused during the lockout: no new entry
        _fail(2, email="nobody@acme.test", address="10.9.9.9")
    lockouts = AuditLogEntry.objects.filter(action="sign_in.locked_out")
    assert lockouts.count() == 1
    lockout = lockouts.get()
    after = lockout.after or {}
    assert lockout.actor is None  # the installation locked it
    assert lockout.object_type == "accounts.user"
    assert lockout.object_id == str(client_admin.pk)
    assert lockout.organization_id == acme.pk  # Acme's administrators read it
    assert after["email"] == "quality@acme.test"
    assert after["ip_address"] == "10.0.0.1"
    assert after["failures"] == 5
    assert after["locked_until"].startswith("2026-03-02T08:15:00")
    failures = AuditLogEntry.objects.filter(action="sign_in.failed")
    assert failures.count() == 5  # only the existing account's, not nobody@'s
    assert set(failures.values_list("object_id", flat=True)) == {str(client_admin.pk)}


def test_a_lockout_of_an_unknown_email_is_audit_logged_on_the_throttling_record(db):
    with time_machine.travel(START, tick=False):
        _fail(5, email="nobody@example.test", address="10.7.7.7")
    lockout = AuditLogEntry.objects.get(action="sign_in.locked_out")
    assert lockout.object_type == "axes.accessattempt"
    assert lockout.certification_body_id is None
    assert lockout.organization_id is None
    assert (lockout.after or {})["email"] == "nobody@example.test"
    assert not AuditLogEntry.objects.filter(action="sign_in.failed").exists()


def test_the_client_address_ignores_x_forwarded_for_unless_proxies_are_configured(settings):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.LOGIN_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.LOGIN_PROXY_COUNT = 1
    assert client_address(request) == "1.2.3.4"  # what the one proxy saw; 6.6.6.6 was written by the client
    settings.LOGIN_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.LOGIN_PROXY_COUNT = 3  # fewer entries than proxies: the connection's address
    assert client_address(request) == "10.0.0.9"


def test_behind_a_proxy_the_forwarded_address_is_locked(client_admin, settings):
    settings.LOGIN_PROXY_COUNT = 1
    with time_machine.travel(START, tick=False):
        for n in range(5):
            Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
                "/accounts/login/", {"username": f"guess{n}@acme.test", "password": "x"}
            )
        locked = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
            "/accounts/login/", {"username": "quality@acme.test", "password": RIGHT}
        )
        other_client = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.8").post(
            "/accounts/login/", {"username": "quality@acme.test", "password": RIGHT}
        )
    assert locked.status_code == 429
    assert other_client.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_the_attempted_email_is_normalized():
    request = RequestFactory().post("/accounts/login/", {"username": "  Ann@Example.ORG "})
    assert attempted_email(request) == "ann@example.org"
    assert attempted_email(request, {"username": "Bob@Example.org"}) == "bob@example.org"
    assert attempted_email(RequestFactory().post("/accounts/login/", {"username": ""})) is None


def test_the_limits_come_from_the_environment(tmp_path):
    root = Path(__file__).resolve().parents[3]
    code = "import conformo.settings as s; print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_LOCKOUT_MINUTES": "30",
            "CONFORMO_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(root),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.stdout.split() == ["3", "1800"], result.stderr
