"""A small CB history built by hand, whose figures are known (docs/cb-workflow.md, "Figures"): every figure
test reads it. Rows are made directly (the figures only read them); dates sit on period boundaries.

On 2026-03-01 ("today"), for 2025 by quarter:

- Acme (ISO 9001, IAF 17 and 18): stage 1 on 2025-01-10 (1 day), stage 2 on 2025-03-31 (3 days: last day of Q1)
  with 2 minors, 1 major, 1 withdrawn minor and an OFI; granted 2025-04-20 (20 days); surveillance 1 on
  2025-04-01 (1.5 days, Q2) with 1 minor; a surveillance 2 of 2024-12-31 (2 days, out of range); surveillance 2
  due 2026-02-01, not done (28 days overdue).
- Bluewater (ISO 9001 + ISO 14001, integrated, no IAF code): stage 2 on 2025-06-30 (4 days) with 1 major;
  granted 2025-07-10 (10 days). Its certificate expired on 2025-12-31 (still stored as active).
- Acme's ISO 14001 certification: suspended 2024-12-31 (out of range), suspended 2025-05-01 and withdrawn
  2025-08-01, both "Surveillance not allowed"; an imported ISO 14001 certificate, withdrawn.
- Complaints received 2025-01-01 (closed in 10 days), 2025-02-01 (20 days), 2025-12-31 (open), 2024-12-31 (out
  of range); an appeal received 2025-05-01, closed in 30 days.
- Auditors: a lead auditor for both standards; an auditor whose ISO 9001 qualification ended 2025-12-31; an
  inactive auditor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from conformo.audits.models import Appeal, Audit, Auditor, AuditProgramme, Complaint, Finding, Qualification
from conformo.audits.tests.factories import ems, qms
from conformo.certificates.models import Certificate, CertificateStandard
from conformo.certification.models import Certification, Decision
from conformo.core.tests.factories import OrganizationFactory, UserFactory

TODAY = date(2026, 3, 1)
_numbers = count(1)


@dataclass
class World:
    cb: Any
    acme_programme: AuditProgramme
    overdue: Audit


def certification(
    cb: Any, org: Any, standards: list[Any], *, state: str = "active", expires: date | None = None
) -> Any:
    found = Certification.objects.create(
        certification_body=cb, organization=org, state=state, scope="Parts", expires_on=expires or date(2028, 4, 19)
    )
    found.standards.set(standards)
    return found


def programme(cert: Any, standards: list[Any], codes: list[int]) -> AuditProgramme:
    made = AuditProgramme.objects.create(
        certification_body=cert.certification_body,
        organization=cert.organization,
        certification=cert,
        scope="Parts",
        sector_codes=codes,
    )
    made.standards.set(standards)
    return made


def audit(prog: AuditProgramme, kind: str, days: str, completed: date | None, **extra: Any) -> Audit:
    return Audit.objects.create(
        programme=prog,
        kind=kind,
        days=Decimal(days),
        status="completed" if completed else "planned",
        completed_on=completed,
        **extra,
    )


def finding(on: Audit, grade: str, status: str = "open") -> Finding:
    return Finding.objects.create(audit=on, grade=grade, status=status, statement="Found.", raised_on=date(2025, 1, 1))


def decision(cert: Any, kind: str, on: date, reason: str = "", prog: Any = None) -> Decision:
    return Decision.objects.create(
        certification=cert,
        programme=prog,
        kind=kind,
        decided_on=on,
        reason=reason,
        state_before="active",
        state_after="active",
    )


def certificate(cb: Any, cert: Any, codes: list[str], *, status: str = "active", expires: date) -> Certificate:
    number = f"T-{next(_numbers):05d}"
    made = Certificate.objects.create(
        certification_body=cb,
        organization=cert.organization if cert else None,
        certification=cert,
        source="decision" if cert else "imported",
        base_number=number,
        number=number,
        status=status,
        holder_name="Holder",
        holder_country="GB",
        scope="Parts",
        issued_on=date(2025, 4, 20),
        original_issued_on=date(2025, 4, 20),
        expires_on=expires,
        cb_name=cb.name,
    )
    CertificateStandard.objects.bulk_create([CertificateStandard(certificate=made, code=code) for code in codes])
    return made


def register_case(model: Any, cb: Any, org: Any, received: date, closed: date | None, status: str) -> Any:
    texts = {"complainant": "A customer", "description": "Late."} if model is Complaint else {"grounds": "Unfair."}
    extra = {"organization": org} if org is not None else {}
    return model.objects.create(
        certification_body=cb, subject="Case", received_on=received, closed_on=closed, status=status, **texts, **extra
    )


def build(cb: Any) -> World:
    q, e = qms(), ems()
    acme = OrganizationFactory(legal_name="Acme Ltd")
    blue = OrganizationFactory(legal_name="Bluewater plc")

    acme_cert = certification(cb, acme, [q])
    acme_prog = programme(acme_cert, [q], [17, 18])
    audit(acme_prog, "stage1", "1.0", date(2025, 1, 10))
    stage2 = audit(acme_prog, "stage2", "3.0", date(2025, 3, 31))
    for grade, status in (("minor", "open"), ("minor", "verified"), ("major", "verified"), ("minor", "withdrawn")):
        finding(stage2, grade, status)
    finding(stage2, "ofi")
    sv1 = audit(acme_prog, "surveillance1", "1.5", date(2025, 4, 1))
    finding(sv1, "minor")
    audit(acme_prog, "surveillance2", "2.0", date(2024, 12, 31))
    overdue = audit(acme_prog, "surveillance2", "1.5", None, due_by=date(2026, 2, 1))
    decision(acme_cert, "grant", date(2025, 4, 20), prog=acme_prog)
    certificate(cb, acme_cert, [q.code], expires=date(2028, 4, 19))

    blue_cert = certification(cb, blue, [q, e], expires=date(2025, 12, 31))
    blue_prog = programme(blue_cert, [q, e], [])
    finding(audit(blue_prog, "stage2", "4.0", date(2025, 6, 30)), "major")
    decision(blue_cert, "grant", date(2025, 7, 10))
    certificate(cb, blue_cert, [q.code, e.code], expires=date(2025, 12, 31))
    # Its planned surveillance is not overdue: the certification has expired (nothing is due any more).
    audit(blue_prog, "surveillance1", "1.5", None, due_by=date(2026, 1, 31))

    ended = certification(cb, acme, [e], state="withdrawn")
    decision(ended, "suspend", date(2024, 12, 31), "Surveillance not allowed")
    decision(ended, "suspend", date(2025, 5, 1), "Surveillance not allowed")
    decision(ended, "withdraw", date(2025, 8, 1), "Surveillance not allowed")
    certificate(cb, None, [e.code], status="withdrawn", expires=date(2027, 1, 1))

    register_case(Complaint, cb, acme, date(2025, 1, 1), date(2025, 1, 11), "closed")
    register_case(Complaint, cb, None, date(2025, 2, 1), date(2025, 2, 21), "closed")
    register_case(Complaint, cb, None, date(2025, 12, 31), None, "received")
    register_case(Complaint, cb, None, date(2024, 12, 31), date(2025, 1, 5), "closed")
    register_case(Appeal, cb, acme, date(2025, 5, 1), date(2025, 5, 31), "upheld")

    lead = Auditor.objects.create(certification_body=cb, user=UserFactory())
    other = Auditor.objects.create(certification_body=cb, user=UserFactory())
    gone = Auditor.objects.create(certification_body=cb, user=UserFactory(), active=False)
    for standard in (q, e):
        Qualification.objects.create(auditor=lead, standard=standard, role="lead_auditor", valid_from=date(2020, 1, 1))
    Qualification.objects.create(
        auditor=other, standard=q, role="auditor", valid_from=date(2020, 1, 1), valid_until=date(2025, 12, 31)
    )
    Qualification.objects.create(auditor=gone, standard=q, role="auditor", valid_from=date(2020, 1, 1))
    return World(cb=cb, acme_programme=acme_prog, overdue=overdue)
