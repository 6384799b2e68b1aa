"""Factories for the CB workflow tests: a few standards and clauses, and a CB ready to certify."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from conformo.audits import selectors, services
from conformo.audits.choices import QualificationRole
from conformo.audits.models import Auditor, Qualification
from conformo.competence.services import Grant, evaluation_record
from conformo.core.actors import SYSTEM
from conformo.core.tests.factories import SiteFactory
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, Standard


class StandardFactory(DjangoModelFactory[Standard]):
    class Meta:
        model = Standard
        django_get_or_create = ("code",)

    code = "iso-9001-2015"
    designation = factory.LazyAttribute(lambda o: o.code.upper().replace("-", " ", 1))
    title = "Quality management systems"


class ClauseFactory(DjangoModelFactory[Clause]):
    class Meta:
        model = Clause
        django_get_or_create = ("standard", "ref")

    standard = factory.SubFactory(StandardFactory)
    ref = "8.5.1"
    title = "Control of production and service provision"


def qms() -> Standard:
    standard = StandardFactory(code="iso-9001-2015", designation="ISO 9001:2015")
    for ref, title in (
        ("7.5", "Documented information"),
        ("8.5.1", "Control of production"),
        ("9.2", "Internal audit"),
    ):
        ClauseFactory(standard=standard, ref=ref, title=title)
    return standard


def ems() -> Standard:
    standard = StandardFactory(code="iso-14001-2015", designation="ISO 14001:2015", title="Environmental management")
    ClauseFactory(standard=standard, ref="6.1.2", title="Environmental aspects")
    return standard


@dataclass
class Ready:
    """A CB accredited for ISO 9001 / 14001 in sector 17, with a lead auditor and an auditor registered."""

    cb: CertificationBody
    lead: Auditor
    auditor: Auditor
    qms: Standard
    ems: Standard


def ready_cb(cb: CertificationBody, cb_admin: Any, lead_user: Any, auditor_user: Any) -> Ready:
    q, e = qms(), ems()
    services.accreditation_create(
        actor=cb_admin,
        certification_body=cb,
        accreditation_body="UKAS",
        standards=[q, e],
        sector_codes=[17, 18],
        valid_from=date(2020, 1, 1),
        valid_until=date(2035, 12, 31),
    )
    # the test CB keeps qualifications for ten years and witnesses every ten years (the longest settings), so that
    # tests of any year still find the team qualified and no witnessing due; the competence tests set the periods
    # they test
    services.cb_settings_update(
        actor=cb_admin,
        certification_body=cb,
        qualification_validity_months=120,
        qualification_lapse_months=120,
        witness_interval_months=120,
    )
    lead = services.auditor_register(actor=cb_admin, certification_body=cb, user=lead_user)
    other = services.auditor_register(actor=cb_admin, certification_body=cb, user=auditor_user)
    for standard in (q, e):
        qualify(cb_admin, lead, standard, [17], QualificationRole.LEAD_AUDITOR)
        qualify(cb_admin, other, standard, [18])
    return Ready(cb=cb, lead=lead, auditor=other, qms=q, ems=e)


def sites_for(org: Organization) -> list[Site]:
    return [
        SiteFactory(organization=org, name="Head office", is_headquarters=True, permanent_staff=40),
        SiteFactory(organization=org, name="Plant North", permanent_staff=20),
        SiteFactory(organization=org, name="Plant South", permanent_staff=15),
    ]


AGREEMENT_TEXTS = {
    "title": "Certification agreement",
    "body": "The client gives the CB's auditors access to its sites, people and records.\nFees are in the quotation.",
    "mark_rules": "The certification mark is never put on a product, its packaging or a test report.",
    "suspension_duties": "On suspension or withdrawal the client stops every reference to its certification.",
}


def published_agreement(cb: CertificationBody) -> Any:
    """The CB's current agreement, written and published once (as the installation) if it has none."""
    current = selectors.current_agreement_template(cb)
    if current is not None:
        return current
    draft = services.agreement_template_create(actor=SYSTEM, certification_body=cb, **AGREEMENT_TEXTS)
    return services.agreement_template_publish(actor=SYSTEM, template=draft)


def agreement_accepted(application: Any) -> Any:
    """The application's client has accepted the CB's current agreement (set up as the installation), so that
    its stage 1 may start (ISO/IEC 17021-1 5.1.2)."""
    template = published_agreement(application.certification_body)
    return services.agreement_accept(actor=SYSTEM, application=application, version=template.version)


def qualify(
    actor: Any,
    auditor: Auditor,
    standard: Standard,
    sector_codes: list[int],
    role: str = QualificationRole.AUDITOR,
    on: date = date(2020, 1, 1),
) -> Qualification:
    """Grant a qualification the only way there is: a positive evaluation of the auditor by `actor`."""
    evaluation = evaluation_record(
        actor=actor,
        certification_body=auditor.certification_body,
        person=auditor.user,
        evaluator=actor,
        evaluated_on=on,
        method="interview",
        result="positive",
        grants=[Grant(standard=standard, sector_codes=sector_codes, role=role)],
    )
    return evaluation.qualifications.get()
