"""Shared test fixtures: the personas every test speaks of.

Personas (one CB "Northbridge" with its staff, client organizations "Acme" and "Bluewater", and an
outsider with no role). Build other data with the factories in `conformo/core/tests/factories.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conformo.accounts.choices import Role
from conformo.accounts.models import User
from conformo.core.tests.browser import browser, page
from conformo.core.tests.factories import (
    CertificationBodyFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization

# The browser fixtures are defined once here, so the whole session shares one Chromium.
__all__ = ["browser", "page"]


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
