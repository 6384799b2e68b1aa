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


def status_read_on(today: date) -> Case:
    """The status anyone reads on `today` as an SQL expression (the same answer as `Certificate.effective_status`
    and the registry's `status_q`): an active or suspended certificate past its expiry date reads expired even
    if no job has run (`conformo.domain.certificate_states.effective_state`)."""
    return Case(
        When(
            status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED],
            expires_on__lt=today,
            then=Value(CertificateStatus.EXPIRED.value),
        ),
        default=F("status"),
        output_field=CharField(),
    )
