"""Shared test fixtures: the personas every test speaks of.

Personas (one CB "Northbridge" with its staff, client organizations "Acme" and "Bluewater", and an
outsider with no role). Build other data with the factories in `conformo/core/tests/factories.py`.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from conformo.accounts.models import User
from conformo.core.roles import Role
from conformo.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from conformo.core.tests.cli import run_in_process
from conformo.core.tests.factories import (
    CertificationBodyFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization

# A loaded CI machine made Hypothesis fail on its deadline and its too_slow health check, which say nothing
# about the rules: the "ci" profile drops both. It is selected by the CI environment variable (set by CI
# services and by .ci/run); HYPOTHESIS_PROFILE names another profile explicitly.
hypothesis_settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])


def hypothesis_profile(environ: Mapping[str, str]) -> str:
    """The Hypothesis profile for this environment: HYPOTHESIS_PROFILE, else "ci" when CI is set, else default."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI", "").lower() not in {"", "0", "false", "no"} else "default"


hypothesis_settings.load_profile(hypothesis_profile(os.environ))


class OneRequestAtATime(ThreadedWSGIServer):
    """The browser tests' live server, answering one request at a time. On SQLite the test database is in memory
    and its one connection is shared by the live server's request threads (Django's docs warn that simultaneous
    queries on it may fail at random): a page's deferred htmx requests (My work's count, the suspension proposals)
    ran beside the next page's and read each other's rows. Requests are serialized around the application, not per
    connection, so the browser's kept-alive connections do not wait on each other."""

    lock = threading.Lock()

    def set_app(self, application: Any) -> None:
        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Any:
            with self.lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for the whole session, driven by Playwright."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it).")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server's ORM calls happen in its own thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup: Any, live_server: Any) -> Any:
    """pytest-django's live server, started once the test database exists. Started before, it saw the database
    of the settings (a file), not the test database in memory, and did not hand its request threads the test's
    connection: each opened its own to the shared in-memory database, where SQLite locks whole tables between
    connections ("database table is locked") — a test's write failed when it met a page's deferred request."""
    return live_server


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server, with a 15 s default timeout."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def cb(db: Any) -> CertificationBody:
    return CertificationBodyFactory.create(name="Northbridge Certification")


@pytest.fixture
def other_cb(db: Any) -> CertificationBody:
    return CertificationBodyFactory.create(name="Southgate Assessments")


@pytest.fixture
def acme(cb: CertificationBody) -> Organization:
    org = OrganizationFactory.create(legal_name="Acme Precision Parts", country="DE")
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    return org


@pytest.fixture
def bluewater(cb: CertificationBody) -> Organization:
    org = OrganizationFactory.create(legal_name="Bluewater Logistics", country="NL")
    ClientRelationship.objects.create(certification_body=cb, organization=org)
    return org


def _member(role: str, email: str, **tenant: Any) -> User:
    user = UserFactory.create(email=email)
    MembershipFactory.create(user=user, role=role, **tenant)
    return user


@pytest.fixture
def cb_admin(cb: CertificationBody) -> User:
    return _member(Role.CB_ADMIN, "admin@northbridge.test", certification_body=cb)


@pytest.fixture
def programme_manager(cb: CertificationBody) -> User:
    return _member(Role.PROGRAMME_MANAGER, "programme@northbridge.test", certification_body=cb)


@pytest.fixture
def lead_auditor(cb: CertificationBody) -> User:
    return _member(Role.AUDITOR, "lead@northbridge.test", certification_body=cb)


@pytest.fixture
def auditor(cb: CertificationBody) -> User:
    return _member(Role.AUDITOR, "auditor@northbridge.test", certification_body=cb)


@pytest.fixture
def decision_maker(cb: CertificationBody) -> User:
    return _member(Role.DECISION_MAKER, "decision@northbridge.test", certification_body=cb)


@pytest.fixture
def other_cb_admin(other_cb: CertificationBody) -> User:
    return _member(Role.CB_ADMIN, "admin@southgate.test", certification_body=other_cb)


@pytest.fixture
def client_admin(acme: Organization) -> User:
    return _member(Role.CLIENT_ADMIN, "quality@acme.test", organization=acme)


@pytest.fixture
def client_member(acme: Organization) -> User:
    return _member(Role.CLIENT_MEMBER, "staff@acme.test", organization=acme)


@pytest.fixture
def other_client_admin(bluewater: Organization) -> User:
    return _member(Role.CLIENT_ADMIN, "ehs@bluewater.test", organization=bluewater)


@pytest.fixture
def outsider(db: Any) -> User:
    return UserFactory.create(email="outsider@example.test")


@pytest.fixture
def superuser(db: Any) -> User:
    return UserFactory.create(email="root@example.test", is_superuser=True, is_staff=True)


def recipient_of(notice: Any) -> User:
    """The user a notice went to (a notice to a bare address, an invitation, has none)."""
    assert notice.recipient is not None, f"{notice} went to an address, not a user"
    return notice.recipient


def login(user: User) -> Client:
    """A test client signed in as `user` (session auth, as the pages use)."""
    client = Client()
    client.force_login(user)
    return client


def token_client(user: User) -> tuple[Client, str]:
    """A test client and a fresh API token for `user` (send it as a Bearer header)."""
    from conformo.accounts.services import api_token_create

    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), raw


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `conformo ARGS` in this process (`core/tests/cli.py`): returncode, stdout and stderr."""
    return run_in_process
