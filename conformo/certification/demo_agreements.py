"""Demo step: the demo CB's certification agreement (ISO/IEC 17021-1 5.1.2, 8.3, 9.6.5) and every demo client's
acceptance of it, made through the services before its stage 1.

The CB administrator writes and publishes version 1 once. A client with a client administrator (Acme, Bluewater,
Cobalt) accepts it in Conformo as that administrator; a client without one (Delta, Echo, Foxtrot, the multi-site
retailer) signed a paper copy, which the programme manager records with the date on it (a one-page PDF made here).
An in-app acceptance is stamped with the time of the demo load, as the demo's issued plans and reports are.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.utils.html import escape, linebreaks

from conformo.accounts.models import User
from conformo.audits import selectors, services
from conformo.audits.models import AgreementTemplate, Application, AuditProgramme
from conformo.certification.services import application_accept
from conformo.core.roles import Role
from conformo.organizations.models import CertificationBody

DEMO_AGREEMENT = {
    "title": "Certification agreement for management systems",
    "body": (
        "1. Northbridge certifies the client's management system against the standards and scope named in the "
        "application, following its certification procedures and the accreditation rules that apply to it.\n"
        "2. The client gives the audit team access to its sites, people, records and documented information, "
        "keeps its management system running as certified and tells Northbridge of significant changes.\n"
        "3. Fees follow the accepted quotation. The certificate remains Northbridge's property.\n"
        "4. Complaints and appeals follow Northbridge's published procedures."
    ),
    "mark_rules": (
        "The client may show the Northbridge certification mark with its certificate number on stationery, its "
        "website and advertising, only for the certified scope and sites. The mark never appears on a product, "
        "its packaging or a laboratory, test, calibration or inspection report, and is never used in a way that "
        "suggests a product is certified."
    ),
    "suspension_duties": (
        "While the certification is suspended the client stops promoting it. Once it is withdrawn the client "
        "stops using the certification mark and every reference to being certified, removes them from its "
        "advertising and documents, and returns or destroys the certificate. After a scope reduction the client "
        "amends its references to match the reduced scope."
    ),
}


def demo_agreement_template(cb: CertificationBody) -> AgreementTemplate:
    """The demo CB's current agreement: version 1, written and published once by its administrator."""
    current = selectors.current_agreement_template(cb)
    if current is not None:
        return current
    admin = User.objects.get(email="admin@northbridge.example")
    draft = services.agreement_template_create(actor=admin, certification_body=cb, **DEMO_AGREEMENT)
    return services.agreement_template_publish(actor=admin, template=draft)


def _signed_copy(application: Application, template: AgreementTemplate, signed_on: date) -> ContentFile[bytes]:
    from weasyprint import HTML

    organization = application.organization
    html = (
        f"<h1>{escape(template.title)} (version {template.version})</h1>"
        f"{linebreaks(template.body)}<h2>Marks and references to certification</h2>{linebreaks(template.mark_rules)}"
        f"<h2>On suspension or withdrawal</h2>{linebreaks(template.suspension_duties)}"
        f"<p>Signed for {escape(organization.legal_name)} on {signed_on.isoformat()}.</p>"
    )
    return ContentFile(bytes(HTML(string=html).write_pdf()), name=f"agreement-{organization.pk}-signed.pdf")


def demo_agreement_accept(application: Application, on: date) -> None:
    """The client accepts the demo CB's current agreement: in Conformo by its client administrator, or — without
    one — on paper, signed on `on` and recorded by the programme manager."""
    template = demo_agreement_template(application.certification_body)
    if selectors.accepted_agreement(application) is not None:
        return
    client_admin = User.objects.filter(
        memberships__organization_id=application.organization_id, memberships__role=Role.CLIENT_ADMIN
    ).first()
    if client_admin is not None:
        services.agreement_accept(actor=client_admin, application=application, version=template.version)
        return
    services.agreement_record(
        actor=User.objects.get(email="programme@northbridge.example"),
        application=application,
        file=_signed_copy(application, template, on),
        signed_on=on,
        version=template.version,
    )


def accept_with_agreement(actor: User, application: Application, on: date) -> AuditProgramme:
    """The client accepts the agreement (`demo_agreement_accept`), then the CB accepts the application on `on`."""
    demo_agreement_accept(application, on)
    return application_accept(actor=actor, application=application, on=on)
