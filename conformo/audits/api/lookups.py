"""Look-ups shared by the CB workflow's API modules: the caller's CB, visible organizations, standards,
clauses and sites by their public identifiers, CB staff by address."""

from typing import Any
from uuid import UUID

from conformo.accounts.models import User
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.schemas import ErrorOut
from conformo.domain.clause_refs import ClauseRef, ClauseRefError
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.clause_refs import clauses_by_refs
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
    and `ref` (a control's number with or without its 'A.'); or a string in any accepted clause-reference form
    (`iso-9001-2015:9.2`, `iso-9001-2015 9.2`, `ISO 9001:2015 9.2`; a control as `iso-iec-27001-2022:A.5.1`;
    conformo.domain.clause_refs). One query; unknown or unreadable references are a 422 on `clauses`."""
    wanted: list[str | ClauseRef] = []
    for item in refs:
        if isinstance(item, str):
            wanted.append(item)
            continue
        control = ClauseKind(item.kind) == ClauseKind.CONTROL
        try:
            wanted.append(
                ClauseRef(item.standard, item.ref.strip().removeprefix("A.") if control else item.ref.strip(), control)
            )
        except ClauseRefError as exc:
            raise ValidationFailed("A clause reference cannot be read.", fields={"clauses": [exc.message]}) from None
    return clauses_by_refs(wanted)


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
