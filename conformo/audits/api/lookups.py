"""Look-ups shared by the CB workflow's API modules: the caller's CB, visible organizations, standards,
clauses and sites by their public identifiers, CB staff by address."""

from typing import Any
from uuid import UUID

from conformo.accounts.models import User
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, ClauseKind, Standard

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


def clauses_by_ref(refs: list[Any]) -> list[Clause]:
    """Clauses and controls by unambiguous reference: an object with `standard`, `kind` ('clause' or 'control')
    and `ref`; or the older plain string 'standard-code:ref', which names a clause ('standard-code:A.ref' names
    an Annex A control). A control's number may be written with or without its 'A.'."""
    clauses = []
    for item in refs:
        if isinstance(item, str):
            code, _, number = item.partition(":")
            kind = ClauseKind.CONTROL if number.startswith("A.") else ClauseKind.CLAUSE
            label = item
        else:
            code, kind, number = item.standard, ClauseKind(item.kind), item.ref
            label = f"{code}:{'A.' if kind == ClauseKind.CONTROL and not number.startswith('A.') else ''}{number}"
        if kind == ClauseKind.CONTROL:
            number = number.removeprefix("A.")
        clause = (
            Clause.objects.filter(standard__code=code, kind=kind, ref=number.strip()).select_related("standard").first()
        )
        if clause is None:
            raise ValidationFailed(
                f"Unknown {kind.label.lower()} {label!r}; write {{'standard': 'iso-9001-2015', 'kind': 'clause', "
                "'ref': '8.5.1'}} (or the string 'iso-9001-2015:8.5.1'; a control as 'iso-iec-27001-2022:A.5.1').",
                fields={"clauses": ["Unknown clause or control."]},
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
