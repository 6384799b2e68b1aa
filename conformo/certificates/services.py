"""Writes for certificates: issue and re-issue from a decision, status moves, confidentiality.

`certificate_apply_decision(*, decision, actor)` is the one entry point the certification decision service
calls: grant / renew / extend scope / reduce scope / restore after expiry issue a new revision; suspend /
restore / withdraw / expire move the current revision's status. Everything runs in the caller's
transaction and writes an audit-log entry.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from conformo.audits.models import Accreditation, CBSettings, ScopeLine
from conformo.certificates import notices
from conformo.certificates.models import (
    Certificate,
    CertificateSource,
    CertificateStandard,
    CertificateStatus,
    StatusChange,
)
from conformo.certificates.scope import lines_snapshot
from conformo.certificates.search import search_text
from conformo.certificates.transitions import earliest_end, edition_ends
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import has_cb_role, require_cb_role
from conformo.domain.cycle import expiry_date
from conformo.domain.transitions import capped_expiry
from conformo.organizations.models import CertificationBody, Site

ISSUING_KINDS = frozenset({"grant", "renew", "extend_scope", "reduce_scope", "restore_after_expiry", "transition"})
STATUS_KINDS = {
    "suspend": CertificateStatus.SUSPENDED,
    "restore": CertificateStatus.ACTIVE,
    "withdraw": CertificateStatus.WITHDRAWN,
    "expire": CertificateStatus.EXPIRED,
}
TOLD_DECISIONS = ISSUING_KINDS | {"suspend", "withdraw"}
"""The decisions whose news is the certificate's (`notices.certificate_changed`: issued, suspended, withdrawn) when
there is a certificate: the decision service tells nothing more of them."""
REVISION_SEPARATOR = "-R"

if TYPE_CHECKING:
    # Only for annotations: conformo.certification calls this app (certificate_apply_decision), never the reverse.
    from conformo.certification.models import Certification, Decision


def revision_number(base_number: str, revision: int) -> str:
    """The printed number: the base number, then `-R<n>` from the first re-issue on (8.2.2 i)."""
    return base_number if revision == 0 else f"{base_number}{REVISION_SEPARATOR}{revision}"


def certificate_number_allocate(certification_body: CertificationBody, on: date) -> str:
    """The next number from the CB's numbering pattern (`{cb}-{year}-{seq:05d}` by default).

    Locks the CB's settings row so two decisions never receive the same number."""
    cb_settings, _ = CBSettings.objects.get_or_create(certification_body=certification_body)
    cb_settings = CBSettings.objects.select_for_update().get(pk=cb_settings.pk)
    prefix = certification_body.short_name or "".join(w[0] for w in certification_body.name.split() if w).upper()
    for _attempt in range(1000):
        seq = cb_settings.certificate_number_next
        try:
            number = cb_settings.certificate_number_pattern.format(cb=prefix, year=on.year, seq=seq)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationFailed(
                f"The CB's certificate numbering pattern {cb_settings.certificate_number_pattern!r} is not valid: "
                "use {cb}, {year} and {seq} (e.g. {cb}-{year}-{seq:05d}).",
                fields={"certificate_number_pattern": ["Invalid pattern."]},
            ) from exc
        cb_settings.certificate_number_next = seq + 1
        if not Certificate.objects.filter(certification_body=certification_body, base_number=number).exists():
            cb_settings.save(update_fields=["certificate_number_next", "updated_at"])
            return number[:60]
    raise Conflict("The numbering pattern produces no free certificate number.", code="numbering_exhausted")


def _accreditation_text(certification_body: CertificationBody, standard_ids: list[int], on: date) -> str:
    """The accreditations valid on `on` that cover the certificate's standards, as printed."""
    found: list[str] = []
    accreditations = Accreditation.objects.filter(
        certification_body=certification_body, valid_from__lte=on, valid_until__gte=on
    ).prefetch_related("standards")
    for accreditation in accreditations:
        covered = {s.pk for s in accreditation.standards.all()}
        if covered & set(standard_ids):
            found.append(str(accreditation))
    return "; ".join(dict.fromkeys(found))[:300]


def _sites_of(certification: Certification, scope: str, lines: list[ScopeLine]) -> list[dict[str, Any]]:
    """Headquarters and every site within scope (8.2.2 a, f): the application's sites, else all of them; when
    every scope line names its site, only those sites. Each site's scope is the activities of the lines for it
    and for all sites (the statement when there are no lines)."""
    sites: list[Site] = []
    programme = certification.programmes.exclude(application=None).select_related("application").first()
    if programme is not None and programme.application is not None:
        sites = list(programme.application.sites.all())
    if not sites:
        sites = list(certification.organization.sites.all())
    if lines and all(line.site is not None for line in lines):
        named = {line.site.pk: line.site for line in lines if line.site is not None}
        sites = [site for site in sites if site.pk in named] + [
            site for pk, site in named.items() if pk not in {s.pk for s in sites}
        ]
    sites.sort(key=lambda s: (not s.is_headquarters, s.name))

    def scope_at(site: Site) -> str:
        activities = [line.activity for line in lines if line.site_id in (None, site.pk)]
        return "; ".join(dict.fromkeys(activities)) or scope

    return [
        {
            "name": site.name,
            "address": site.address,
            "country": site.country,
            "headquarters": site.is_headquarters,
            "scope": scope_at(site),
        }
        for site in sites
    ]


def _current_of(certification: Certification) -> Certificate | None:
    return (
        Certificate.objects.select_for_update()
        .filter(certification=certification, is_current=True)
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def _soa_version(decision: Decision, previous: Certificate | None) -> str:
    """The SoA version an ISMS certificate refers to (ISO/IEC 27006-1): the one the report the decision rested
    on reviewed; a re-issue without a report (scope change) keeps the previous revision's."""
    report = decision.basis_report
    if report is not None and report.soa_version:
        return str(report.soa_version)
    return previous.soa_version if previous is not None else ""


def certificate_issue(*, decision: Decision, actor: Actor) -> Certificate:
    """Issue the certificate for a grant, or re-issue it (new revision, previous one superseded) for a
    renewal, a scope change or a restoration after expiry. Issuing twice for one decision returns the
    certificate already issued."""
    if decision.kind not in ISSUING_KINDS:
        raise ValidationFailed(f"A {decision.get_kind_display().lower()} decision does not issue a certificate.")
    certification = decision.certification
    cb = certification.certification_body
    if not has_cb_role(actor, cb.pk, "decision_maker", "cb_admin"):
        raise PermissionDenied("Only the certification body's decision makers issue certificates.")
    existing = Certificate.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    previous = _current_of(certification)
    issued_on = decision.decided_on
    if previous is not None and issued_on < previous.issued_on:
        raise Conflict(
            f"Revision {previous.number} was issued on {previous.issued_on.isoformat()}; a decision dated "
            f"{issued_on.isoformat()} cannot re-issue it.",
            code="decision_before_current_issue",
        )
    if previous is None:
        base, revision = certificate_number_allocate(cb, issued_on), 0
        original = certification.original_decision_on or issued_on
    else:
        base, revision = previous.base_number, previous.revision + 1
        original = previous.original_issued_on
    standards = sorted(certification.standards.all(), key=lambda s: s.code)
    scope = decision.scope_after or certification.scope
    lines = list(ScopeLine.objects.filter(certification=certification).select_related("standard", "site"))
    expires_on = certification.expires_on or expiry_date(issued_on)
    # An old edition's certificate issued in its transition window expires no later than the transition end
    # (cb-rules §8c, IAF ID 10:2015); every old-edition certificate carries the end it reads against.
    old_edition = earliest_end(edition_ends(cb.pk, [s.code for s in standards]), [s.code for s in standards])
    capped = ""
    if old_edition is not None:
        limit = capped_expiry(
            expires_on, issued_on=issued_on, published_on=old_edition.published_on, ends_on=old_edition.ends_on
        )
        if limit != expires_on:
            capped = (
                f"Expiry set to {limit.isoformat()} instead of {expires_on.isoformat()}: a certificate on "
                f"{old_edition.designation} issued in its transition window expires no later than the transition "
                f"end (move to {old_edition.new_designation} to keep the cycle's expiry)."
            )
            expires_on = limit
    org = certification.organization
    hq = org.sites.filter(is_headquarters=True).first()
    number = revision_number(base, revision)
    if previous is not None:
        previous.is_current = False
        previous.superseded_on = issued_on
        previous.save(update_fields=["is_current", "superseded_on", "updated_at"])
    certificate = Certificate.objects.create(
        certification_body=cb,
        organization=org,
        certification=certification,
        decision=decision,
        source=CertificateSource.DECISION,
        base_number=base,
        revision=revision,
        number=number,
        status=CertificateStatus.ACTIVE,
        confidential=previous.confidential if previous is not None else False,
        holder_name=org.legal_name,
        holder_country=org.country,
        holder_address=(hq.address if hq else ""),
        holder_identifier=org.registration_number,
        sites=_sites_of(certification, scope, lines),
        standards=[{"id": s.code, "designation": s.designation} for s in standards],
        scope=scope,
        scope_lines=lines_snapshot(lines),
        sector_codes=list(certification.sector_codes or []),
        issued_on=issued_on,
        original_issued_on=original,
        expires_on=expires_on,
        cb_name=cb.name,
        cb_address=cb.address,
        accreditation=_accreditation_text(cb, [s.pk for s in standards], issued_on),
        soa_version=_soa_version(decision, previous),
        transition_ends_on=old_edition.ends_on if old_edition is not None else None,
        transition_edition=old_edition.designation if old_edition is not None else "",
        search_text=search_text(number, org.legal_name),
    )
    CertificateStandard.objects.bulk_create(
        [CertificateStandard(certificate=certificate, code=s.code) for s in standards]
    )
    change = StatusChange.objects.create(
        certificate=certificate,
        on=issued_on,
        status_before=previous.status if previous is not None else "",
        status_after=certificate.status,
        event="issue" if previous is None else "reissue",
        decision=decision,
        actor=acting_user(actor),
        reason="\n".join(filter(None, [decision.reason, capped])),
    )
    audit_log_record(
        actor=actor,
        action="certificate.issue" if previous is None else "certificate.reissue",
        obj=certificate,
        before={"number": previous.number, "status": previous.status} if previous is not None else None,
        after={
            "number": number,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "decision": decision.kind,
            "standards": [s.designation for s in standards],
            **({"expiry_capped": capped} if capped else {}),
        },
        certification_body_id=cb.pk,
        organization_id=org.pk,
    )
    notices.certificate_changed(actor=actor, certificate=certificate, change=change)
    return certificate


@transaction.atomic
def certificate_status_set(
    *,
    certificate: Certificate,
    status: str,
    on: date,
    actor: Actor,
    event: str,
    decision: Decision | None = None,
    reason: str = "",
) -> Certificate:
    """Move the current revision's status (suspend, restore, withdraw, expire) and record it in the history."""
    if status not in CertificateStatus.values:
        raise ValidationFailed(f"Unknown certificate status {status!r}.", fields={"status": ["Invalid."]})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_current:
        raise Conflict(f"{certificate.number} is superseded; only the current revision changes status.")
    before = certificate.status
    certificate.status = status
    certificate.save(update_fields=["status", "updated_at"])
    change = StatusChange.objects.create(
        certificate=certificate,
        on=on,
        status_before=before,
        status_after=status,
        event=event,
        decision=decision,
        actor=acting_user(actor),
        reason=reason,
    )
    audit_log_record(
        actor=actor,
        action=f"certificate.{event}",
        obj=certificate,
        before={"status": before},
        after={"status": status, "on": on, "reason": reason},
        certification_body_id=certificate.certification_body_id,
        organization_id=certificate.organization_id,
    )
    notices.certificate_changed(actor=actor, certificate=certificate, change=change)
    return certificate


@transaction.atomic
def certificate_apply_decision(*, decision: Decision, actor: Actor) -> Certificate | None:
    """Bring the certificate in line with a recorded decision (the hook of the decision service).

    Returns the certificate concerned, or None when the decision has none (refusal; a status move
    before any certificate was issued)."""
    if decision.kind in ISSUING_KINDS:
        return certificate_issue(decision=decision, actor=actor)
    status = STATUS_KINDS.get(decision.kind)
    if status is None:
        return None
    current = _current_of(decision.certification)
    if current is None:
        return None
    if current.status == status and StatusChange.objects.filter(certificate=current, decision=decision).exists():
        return current
    return certificate_status_set(
        certificate=current,
        status=status,
        on=decision.decided_on,
        actor=actor,
        event=decision.kind,
        decision=decision,
        reason=decision.reason,
    )


@transaction.atomic
def certificate_set_confidential(*, actor: Actor, certificate: Certificate, confidential: bool) -> Certificate:
    """Hide a certificate from the public registry (or show it again) — every revision of it."""
    require_cb_role(actor, certificate.certification_body_id, "cb_admin", action="change a certificate's visibility")
    before = certificate.confidential
    Certificate.objects.filter(
        certification_body_id=certificate.certification_body_id, base_number=certificate.base_number
    ).update(confidential=confidential)
    certificate.confidential = confidential
    audit_log_record(
        actor=actor,
        action="certificate.confidential" if confidential else "certificate.public",
        obj=certificate,
        before={"confidential": before},
        after={"confidential": confidential},
        certification_body_id=certificate.certification_body_id,
        organization_id=certificate.organization_id,
    )
    return certificate
