"""Fixtures for certificate tests: standards, an accredited CB, certifications and recorded decisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conformo.audits.models import Accreditation
from conformo.audits.tests.factories import StandardFactory
from conformo.certificates.models import Certificate
from conformo.certificates.services import certificate_apply_decision
from conformo.certification.models import Certification, Decision
from conformo.core.tests.factories import SiteFactory
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Standard


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Every test signs with keys of its own, in a temporary var directory."""
    settings.VAR_DIR = tmp_path / "var"
    settings.BASE_URL = "https://registry.example.test"


@pytest.fixture
def qms(db: Any) -> Standard:
    return StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")


@pytest.fixture
def ems(db: Any) -> Standard:
    return StandardFactory.create(code="iso-14001-2015", designation="ISO 14001:2015", title="Environmental")


@pytest.fixture
def accredited_cb(cb: CertificationBody, qms: Standard, ems: Standard) -> CertificationBody:
    cb.short_name = "NBC"
    cb.address = "1 Audit Lane, Leeds"
    cb.save()
    accreditation = Accreditation.objects.create(
        certification_body=cb,
        accreditation_body="UKAS",
        reference="0042",
        valid_from=date(2020, 1, 1),
        valid_until=date(2035, 12, 31),
    )
    accreditation.standards.set([qms, ems])
    return cb


@pytest.fixture
def acme_sites(acme: Organization) -> list[Any]:
    return [
        SiteFactory.create(
            organization=acme, name="Stuttgart plant", address="Hauptstr. 1, Stuttgart", is_headquarters=True
        ),
        SiteFactory.create(organization=acme, name="Leipzig warehouse", address="Ring 5, Leipzig"),
    ]


@pytest.fixture
def certification(
    accredited_cb: CertificationBody, acme: Organization, acme_sites: list[Any], qms: Standard, ems: Standard
) -> Certification:
    certification = Certification.objects.create(
        certification_body=accredited_cb,
        organization=acme,
        scope="Machining of precision parts",
        sector_codes=[17],
    )
    certification.standards.set([qms, ems])
    return certification


def decide(
    certification: Certification,
    kind: str,
    on: date,
    by: Any,
    *,
    state_after: str = "active",
    scope: str | None = None,
    reason: str = "",
    expires_on: date | None = None,
) -> Decision:
    """Record a decision as the decision service does (state, scope and expiry on the certification)."""
    before_state, before_scope = certification.state, certification.scope
    if scope:
        certification.scope = scope
    if expires_on:
        certification.expires_on = expires_on
    if kind == "grant":
        certification.original_decision_on = certification.original_decision_on or on
    certification.state = state_after
    certification.save()
    return Decision.objects.create(
        certification=certification,
        kind=kind,
        reason=reason,
        decided_on=on,
        decided_by=by,
        state_before=before_state,
        state_after=state_after,
        scope_before=before_scope,
        scope_after=certification.scope,
    )


def issue(certification: Certification, kind: str, on: date, by: Any, **kwargs: Any) -> Certificate:
    decision = decide(certification, kind, on, by, **kwargs)
    certificate = certificate_apply_decision(decision=decision, actor=by)
    assert certificate is not None
    return certificate


@pytest.fixture
def granted(certification: Certification, decision_maker: Any) -> Certificate:
    """Acme's ISO 9001 + 14001 certificate, granted on 2026-03-02."""
    return issue(certification, "grant", date(2026, 3, 2), decision_maker, expires_on=date(2029, 3, 1))
