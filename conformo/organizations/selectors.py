"""Reads for organizations, always through `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from conformo.core.errors import NotFound
from conformo.organizations.models import Organization, Site


def organization_list(*, user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(user).annotate(site_count=Count("sites", distinct=True)).order_by("legal_name")
    )


def organization_get(*, user: Any, public_id: Any) -> Organization:
    org = Organization.objects.visible_to(user).filter(public_id=public_id).first()
    if org is None:
        raise NotFound("No such organization.")
    return org


def site_list(*, user: Any, organization: Organization) -> QuerySet[Site]:
    if not Organization.objects.visible_to(user).filter(pk=organization.pk).exists():
        raise NotFound("No such organization.")
    return organization.sites.all()


def site_get(*, user: Any, public_id: Any) -> Site:
    site = Site.objects.filter(organization__in=Organization.objects.visible_to(user), public_id=public_id).first()
    if site is None:
        raise NotFound("No such site.")
    return site
