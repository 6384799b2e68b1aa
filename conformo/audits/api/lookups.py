"""Look-ups shared by the CB workflow's API modules: the caller's CB, visible organizations, standards,
clauses and sites by their public identifiers, CB staff by address."""

from typing import Any
from uuid import UUID

from conformo.accounts.models import User
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, Standard

E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- look-ups ----------------------------------------------------------------------------------------


def my_cb(user: Any, public_id: UUID) -> CertificationBody:
    cb = CertificationBody.objects.filter(public_id=public_id).first()
    if cb is None or not (user.is_superuser or user.memberships.filter(certification_body=cb).exists()):
        raise NotFound("No such certification body.")
    return cb


def visible_org(user: Any, public_id: UUID) -> Organization:
    org = Organization.objects.visible_to(user).filter(public_id=public_id).first()
    if org is None:
        raise NotFound("No such organization.")
    return org


def standards_by_code(codes: list[str]) -> list[Standard]:
    found = {s.code: s for s in Standard.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(f"Unknown standard(s): {', '.join(missing)}.", fields={"standards": ["Unknown."]})
    return [found[c] for c in codes]


def clauses_by_ref(refs: list[str]) -> list[Clause]:
    clauses = []
    for ref in refs:
        code, _, number = ref.partition(":")
        clause = Clause.objects.filter(standard__code=code, ref=number).order_by("kind").first()
        if clause is None:
            raise ValidationFailed(
                f"Unknown clause {ref!r}; write it as 'iso-9001-2015:8.5.1'.", fields={"clauses": ["Unknown clause."]}
            )
        clauses.append(clause)
    return clauses


def sites_of(org: Organization, ids: list[UUID]) -> list[Site]:
    sites = list(org.sites.filter(public_id__in=ids))
    if len(sites) != len(set(ids)):
        raise ValidationFailed("Every site must be one of the organization's sites.", fields={"site_ids": ["Unknown."]})
    return sites


def cb_staff(cb_id: int, email: str) -> User:
    user = User.objects.filter(email__iexact=email, memberships__certification_body_id=cb_id).first()
    if user is None:
        raise ValidationFailed(f"No CB member has the address {email}.", fields={"handler_email": ["Unknown."]})
    return user
