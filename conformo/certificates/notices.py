"""What the certificate's changes tell the client and the CB's office: issued (or re-issued), suspended,
withdrawn — a suspension or withdrawal with what the client must do about marks and references to certification
(17021-1 9.6.5: the accepted agreement's text, `audits.selectors.mark_use_duty`). Called by the certificate
services inside their transaction; each status change is its own event (a
certificate suspended, restored and suspended again is told twice)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from conformo.audits.notices import tell
from conformo.audits.recipients import client_and_cb_office
from conformo.audits.selectors import mark_use_duty
from conformo.certificates.models import Certificate, StatusChange
from conformo.core.actors import Actor
from conformo.notifications.kinds import Kind

_KINDS = {
    "issue": Kind.CERTIFICATE_ISSUED,
    "reissue": Kind.CERTIFICATE_ISSUED,
    "suspend": Kind.CERTIFICATE_SUSPENDED,
    "withdraw": Kind.CERTIFICATE_WITHDRAWN,
}
"""The status changes (`StatusChange.event`) that are told, by kind. A restoration is told as the decision it
is (`certification.notices.decision_taken`); an expiry ahead of time by the daily scan."""


def certificate_link(certificate: Certificate) -> str:
    """The certificate's page (the certificates list if a CB's numbering pattern made a number no path holds)."""
    try:
        return reverse("certificates:detail", args=[certificate.number])
    except NoReverseMatch:
        return reverse("certificates:list")


def _mark_use(certificate: Certificate) -> str:
    duty = mark_use_duty(certificate.certification_body_id, certificate.organization_id)
    return f"Use of marks and references to certification: {duty}"


def certificate_changed(*, actor: Actor, certificate: Certificate, change: StatusChange) -> None:
    """The client and the CB's office: the certificate is issued or re-issued, suspended or withdrawn."""
    kind = _KINDS.get(change.event)
    if kind is None:
        return
    number = certificate.number
    reason = [f"Reason: {change.reason[:500]}"] if change.reason else []
    if kind == Kind.CERTIFICATE_ISSUED:
        verb = "issued" if change.event == "issue" else "re-issued"
        revision = f" (revision {certificate.revision})" if certificate.revision else ""
        lines = [
            f"Certificate {number} is {verb}{revision} on {certificate.issued_on.isoformat()}, valid until "
            f"{certificate.expires_on.isoformat()}.",
            f"Scope: {certificate.scope[:300]}",
        ]
    elif kind == Kind.CERTIFICATE_SUSPENDED:
        verb = "suspended"
        duty = _mark_use(certificate)
        lines = [
            f"Certificate {number} is suspended from {change.on.isoformat()}.",
            *reason,
            "While it is suspended the certification is not valid; the public registry shows it as suspended.",
            duty,
        ]
    else:
        verb = "withdrawn"
        duty = _mark_use(certificate)
        lines = [
            f"Certificate {number} is withdrawn from {change.on.isoformat()}.",
            *reason,
            "The certification has ended; the public registry shows the certificate as withdrawn.",
            duty,
        ]
    tell(
        people=client_and_cb_office(certificate, exclude=actor),
        of=certificate,
        kind=kind,
        key=f"certificate-change:{change.pk}",
        subject=f"Certificate {number} {verb}: {certificate.holder_name}",
        lines=lines,
        link=certificate_link(certificate),
        action="Open the certificate",
    )
