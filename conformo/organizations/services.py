"""Writes for tenants: certification bodies, client organizations and their sites."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record, snapshot
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role, has_org_role, reach
from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_codes
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization, Site

SITE_FIELDS = [
    "name",
    "address",
    "country",
    "is_headquarters",
    "permanent_staff",
    "part_time_staff",
    "part_time_hours_per_week",
    "temporary_staff",
    "contractors",
    "shifts",
    "repetitive_function_staff",
]


def _check_country(country: str) -> str:
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed(
            "Country must be a two-letter ISO 3166-1 code, e.g. DE.",
            fields={"country": ["Two-letter ISO 3166-1 code, e.g. DE."]},
        )
    return country


def _check_sector_codes(codes: list[int]) -> list[int]:
    """The distinct IAF sector codes, sorted (``domain.sectors.parse_iaf_codes``); refused as a field error."""
    try:
        return parse_iaf_codes(codes)
    except InvalidInput as exc:
        raise ValidationFailed(
            f"{exc.message}.", fields={"sector_codes": ["IAF sector codes run from 1 to 39."]}
        ) from exc


@transaction.atomic
def certification_body_create(*, actor: Actor, name: str, country: str, short_name: str = "") -> CertificationBody:
    """Register a certification body (installation administrators only)."""
    if not reach(actor).superuser:
        raise PermissionDenied("Only an installation administrator can register a certification body.")
    cb = CertificationBody.objects.create(name=name.strip(), country=_check_country(country), short_name=short_name)
    audit_log_record(
        actor=actor, action="certification_body.create", obj=cb, after={"name": cb.name}, certification_body_id=cb.pk
    )
    return cb


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    legal_name: str,
    country: str,
    certification_body: CertificationBody | None = None,
    registration_number: str = "",
    sector_codes: list[int] | None = None,
) -> Organization:
    """Register an organization, optionally as a client of a CB (by that CB's admin or programme manager)."""
    legal_name = legal_name.strip()
    if not legal_name:
        raise ValidationFailed("The legal name is required.", fields={"legal_name": ["This field is required."]})
    if certification_body is not None:
        if not has_cb_role(actor, certification_body.pk, Role.CB_ADMIN, Role.PROGRAMME_MANAGER):
            raise PermissionDenied("Only the CB's administrator or a programme manager can register its clients.")
    elif not reach(actor).superuser:
        raise PermissionDenied("Only an installation administrator can register an organization without a CB.")
    org = Organization.objects.create(
        legal_name=legal_name,
        country=_check_country(country),
        registration_number=registration_number.strip(),
        sector_codes=_check_sector_codes(sector_codes or []),
    )
    if certification_body is not None:
        ClientRelationship.objects.create(certification_body=certification_body, organization=org)
    audit_log_record(
        actor=actor,
        action="organization.create",
        obj=org,
        after=snapshot(org, ["legal_name", "country", "registration_number", "sector_codes"]),
        certification_body_id=certification_body.pk if certification_body else None,
        organization_id=org.pk,
    )
    return org


def _can_edit_organization(actor: Actor, org: Organization) -> bool:
    r = reach(actor)
    if r.superuser or org.pk in r.orgs_with(Role.CLIENT_ADMIN):
        return True
    managed = r.cbs_with(Role.CB_ADMIN, Role.PROGRAMME_MANAGER)
    return bool(managed) and org.client_relationships.filter(certification_body_id__in=list(managed)).exists()


def _clean_site_data(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean = {k: v for k, v in data.items() if k in SITE_FIELDS}
    if "name" in clean and not str(clean["name"]).strip():
        errors["name"] = ["This field is required."]
    if "country" in clean:
        try:
            clean["country"] = _check_country(clean["country"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    for name in ["permanent_staff", "part_time_staff", "temporary_staff", "contractors", "repetitive_function_staff"]:
        if name in clean and (not isinstance(clean[name], int) or clean[name] < 0):
            errors[name] = ["Enter a whole number, 0 or more."]
    if "shifts" in clean and (not isinstance(clean["shifts"], int) or not 1 <= clean["shifts"] <= 4):
        errors["shifts"] = ["Between 1 and 4 shifts."]
    if "part_time_hours_per_week" in clean:
        hours = Decimal(str(clean["part_time_hours_per_week"]))
        if hours < 0 or hours > 168:
            errors["part_time_hours_per_week"] = ["Between 0 and 168 hours."]
        clean["part_time_hours_per_week"] = hours
    if errors:
        raise ValidationFailed("Some site details are not valid.", fields=errors)
    return clean


@transaction.atomic
def site_create(*, actor: Actor, organization: Organization, **data: Any) -> Site:
    """Add a site to an organization (its client admin, or its CB's admin / programme manager)."""
    if not _can_edit_organization(actor, organization):
        raise PermissionDenied("You cannot change this organization's sites.")
    clean = _clean_site_data(data)
    if clean.get("is_headquarters") and organization.sites.filter(is_headquarters=True).exists():
        raise ValidationFailed(
            "This organization already has a headquarters site.",
            fields={"is_headquarters": ["Only one site can be the headquarters."]},
        )
    site = Site.objects.create(organization=organization, **clean)
    audit_log_record(
        actor=actor, action="site.create", obj=site, after=snapshot(site, SITE_FIELDS), organization_id=organization.pk
    )
    return site


@transaction.atomic
def site_update(*, actor: Actor, site: Site, **data: Any) -> Site:
    """Change a site's details; the audit log keeps the values before and after."""
    if not _can_edit_organization(actor, site.organization):
        raise PermissionDenied("You cannot change this organization's sites.")
    clean = _clean_site_data(data)
    if (
        clean.get("is_headquarters")
        and Site.objects.filter(organization_id=site.organization_id, is_headquarters=True).exclude(pk=site.pk).exists()
    ):
        raise ValidationFailed(
            "This organization already has a headquarters site.",
            fields={"is_headquarters": ["Only one site can be the headquarters."]},
        )
    before = snapshot(site, SITE_FIELDS)
    for key, value in clean.items():
        setattr(site, key, value)
    site.save()
    audit_log_record(
        actor=actor,
        action="site.update",
        obj=site,
        before=before,
        after=snapshot(site, SITE_FIELDS),
        organization_id=site.organization_id,
    )
    return site


def _set_readiness_sharing(*, actor: Actor, relationship: ClientRelationship, shares: bool) -> ClientRelationship:
    if not has_org_role(actor, relationship.organization_id, Role.CLIENT_ADMIN):
        raise PermissionDenied(
            "Only a client administrator of the organization decides whether its readiness work is shared.",
            code="not_client_admin",
        )
    if relationship.shares_readiness == shares:
        return relationship  # already so: nothing changes, nothing to log
    relationship.shares_readiness = shares
    relationship.save(update_fields=["shares_readiness", "updated_at"])
    audit_log_record(
        actor=actor,
        action="client_relationship.share_readiness" if shares else "client_relationship.stop_sharing_readiness",
        obj=relationship,
        before={"shares_readiness": not shares},
        after={"shares_readiness": shares, "certification_body": relationship.certification_body.name},
        certification_body_id=relationship.certification_body_id,
        organization_id=relationship.organization_id,
    )
    return relationship


@transaction.atomic
def client_relationship_share_readiness(*, actor: Actor, relationship: ClientRelationship) -> ClientRelationship:
    """The client shares its readiness work (assessments, documents, internal audits, its stage-1 check) with
    this CB, read-only (`conformo.organizations.tenancy`). Its client administrator's choice, off by default;
    sharing what is already shared changes nothing."""
    return _set_readiness_sharing(actor=actor, relationship=relationship, shares=True)


@transaction.atomic
def client_relationship_stop_sharing_readiness(*, actor: Actor, relationship: ClientRelationship) -> ClientRelationship:
    """The client stops sharing its readiness work with this CB: from the next request its users read none."""
    return _set_readiness_sharing(actor=actor, relationship=relationship, shares=False)
