"""Reads of certificates for signed-in users (the public registry has its own selectors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from conformo.certificates.models import Certificate, CertificateStatus


def certificates_visible_to(user: Any) -> QuerySet[Certificate]:
    """Certificates of the user's CB or of their own organization (every revision)."""
    return Certificate.objects.visible_to(user)


def certificate_for_download(*, user: Any, number: str) -> Certificate | None:
    """The certificate whose PDF `user` may download: the holder and the CB always (every revision);
    anyone when it is public (current revision, not confidential)."""
    public = Q(is_current=True, confidential=False)
    found = Certificate.objects.filter(number=number).filter(public).first()
    if found is not None:
        return found
    if getattr(user, "is_authenticated", False):
        return certificates_visible_to(user).filter(number=number).first()
    return None


def certificate_of_certification(*, user: Any, certification: Any) -> Certificate | None:
    """The current revision of the certificate a certification produced, if `user` may read it."""
    return certificates_visible_to(user).filter(certification=certification, is_current=True).first()


def status_q(status: str, today: Any) -> Q:
    """The SQL condition for a status as read on `today` (same answer as `effective_state` then
    `edition_state`: past its expiry date, or past the end of its edition's transition, a live certificate
    reads expired)."""
    live = [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
    if status in live:
        return Q(status=status, expires_on__gte=today) & (
            Q(transition_ends_on__isnull=True) | Q(transition_ends_on__gte=today)
        )
    if status == CertificateStatus.EXPIRED:
        return (
            Q(status=CertificateStatus.EXPIRED)
            | Q(status__in=live, expires_on__lt=today)
            | Q(status__in=live, transition_ends_on__lt=today)
        )
    return Q(status=status)


def status_read_on(today: date) -> Case:
    """The status anyone reads on `today` as an SQL expression (the same answer as `status_q` and the registry):
    an active or suspended certificate past its expiry date, or past the end of its edition's transition, reads
    expired even if no job has run (`conformo.domain.certificate_states.effective_state`, `edition_state`)."""
    return Case(
        When(
            Q(status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED])
            & (Q(expires_on__lt=today) | Q(transition_ends_on__lt=today)),
            then=Value(CertificateStatus.EXPIRED.value),
        ),
        default=F("status"),
        output_field=CharField(),
    )
