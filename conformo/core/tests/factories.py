"""factory_boy factories for the foundation models."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from conformo.accounts.models import Membership, User
from conformo.organizations.models import CertificationBody, Organization, Site


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password("pw-for-tests")


class CertificationBodyFactory(DjangoModelFactory[CertificationBody]):
    class Meta:
        model = CertificationBody

    name = factory.Sequence(lambda n: f"Certification Body {n}")
    country = "GB"


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Organization {n}")
    country = "DE"
    sector_codes: Any = factory.LazyFunction(lambda: [17])


class SiteFactory(DjangoModelFactory[Site]):
    class Meta:
        model = Site

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    country = "DE"
    permanent_staff = 20


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
