"""Reads for organizations, always through `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from conformo.core.errors import NotFound
from conformo.core.tenancy import reach
from conformo.organizations.models import ClientRelationship, Organization, Site


def organization_list(*, user: Any, site_count: bool = False) -> QuerySet[Organization]:
    """Organizations `user` may see, by legal name; with `site_count`, each with its number of sites (`site_count`,
    a subquery per row read: not a join and GROUP BY over every organization, so a page of the list is still read
    by its keys, `core.pagination.page_rows`)."""
    rows = Organization.objects.visible_to(user).order_by("legal_name")
    if site_count:
        sites = Site.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
        rows = rows.annotate(site_count=Coalesce(Subquery(sites.annotate(n=Count("pk")).values("n")), 0))
    return rows


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


def client_relationship_list(*, user: Any, organization: Organization) -> QuerySet[ClientRelationship]:
    """The CBs `organization` is a client of, with its readiness-sharing choice: all of them for its own people,
    only their own CB's for CB staff."""
    org = organization_get(user=user, public_id=organization.public_id)
    relationships = org.client_relationships.select_related("certification_body").order_by("certification_body__name")
    r = reach(user)
    if r.superuser or org.pk in r.organizations:
        return relationships
    return relationships.filter(certification_body_id__in=list(r.roles_by_cb))


def client_relationship_get(*, user: Any, organization: Organization, certification_body_id: Any) -> ClientRelationship:
    found = (
        client_relationship_list(user=user, organization=organization)
        .filter(certification_body__public_id=certification_body_id)
        .first()
    )
    if found is None:
        raise NotFound("This organization is not a client of that certification body.")
    return found
