"""Benchmark: PDF render times (WeasyPrint), median of 50: a 3-site certificate, the audit plan and audit
report of a 3-day, 2-site audit with 12 findings, and the proposal of a 3-site ISO 9001 + 14001 quotation (the
audit-time justification, a 5-audit programme, 20 fee lines). Each of the last three is rendered in turn with
the certificate, and its median is printed as a ratio to the certificate's median of those same turns, so that
the ratio holds when the machine's load changes during the run.

    .venv/bin/python bench/pdf.py [--runs 50]

Renders from unsaved objects (no database needed): template → HTML → PDF bytes, QR code included.
Each timed render is a full one; only what `conformo.certificates.pdf` keeps per thread (fonts, the parsed
stylesheet, the URL fetcher) is reused, as in a server process. Prints the load average before and after,
since the figures depend on what else runs on the machine.
Targets: certificate ≤ 150 ms median (DESIGN.md); audit plan, audit report and proposal ≤ 300 ms median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("CONFORMO_VAR_DIR", tempfile.mkdtemp(prefix="conformo-bench-pdf-"))
    import django

    django.setup()
    from conformo.certificates.models import Certificate
    from conformo.certificates.pdf import certificate_pdf

    sites = [
        {"name": name, "address": f"{i} Industrial Road", "country": "DE", "headquarters": i == 1, "scope": "Machining"}
        for i, name in enumerate(["Stuttgart plant", "Leipzig warehouse", "Dresden workshop"], start=1)
    ]
    certificate = Certificate(
        number="NBC-2026-00001-R1",
        base_number="NBC-2026-00001",
        revision=1,
        holder_name="Acme Precision Parts GmbH",
        holder_country="DE",
        holder_address="Hauptstr. 1, Stuttgart",
        sites=sites,
        standards=[
            {"id": "iso-9001-2015", "designation": "ISO 9001:2015"},
            {"id": "iso-14001-2015", "designation": "ISO 14001:2015"},
        ],
        scope="Machining of precision parts for the automotive industry",
        sector_codes=[17, 18],
        issued_on=date(2026, 3, 2),
        original_issued_on=date(2023, 3, 2),
        expires_on=date(2029, 3, 1),
        cb_name="Northbridge Certification Ltd",
        cb_address="1 Audit Lane, Leeds",
        accreditation="UKAS 0042",
    )
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    size = len(certificate_pdf(certificate))
    first = time.perf_counter() - started
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        certificate_pdf(certificate)
        times.append((time.perf_counter() - started) * 1000)
    print(f"first render (fonts, templates loaded): {first * 1000:.0f} ms; PDF {size:,} bytes, 2 pages")
    print(
        f"median of {args.runs}: {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f}); "
        "target <= 150 ms"
    )
    plan, report = _audit_documents()
    quotation = _quotation()
    from conformo.audits.pdf import plan_pdf, report_pdf
    from conformo.fees.pdf import proposal_pdf

    for label, render, target in (
        ("audit plan", lambda: plan_pdf(plan), 300),
        ("audit report", lambda: report_pdf(report), 300),
        ("proposal", lambda: proposal_pdf(quotation), 300),
    ):
        started = time.perf_counter()
        size = len(render())
        first = time.perf_counter() - started
        times, beside = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            render()
            times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            certificate_pdf(certificate)
            beside.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        print(
            f"{label}: first {first * 1000:.0f} ms, {size:,} bytes; median of {args.runs}: "
            f"{median:.1f} ms (min {min(times):.1f}, max {max(times):.1f}); target <= {target} ms; "
            f"{median / statistics.median(beside):.2f}x the certificate rendered in turn with it"
        )
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


def _audit_documents() -> tuple[Any, Any]:
    """An issued plan and an issued report of a 3-day stage 2 at 2 sites with 12 findings (unsaved objects)."""
    from datetime import UTC, datetime

    from conformo.audits.models import Audit, AuditPlan, AuditProgramme, AuditReport
    from conformo.organizations.models import CertificationBody, Organization

    cb = CertificationBody(name="Northbridge Certification Ltd", address="1 Audit Lane, Leeds", country="GB")
    org = Organization(legal_name="Acme Precision Parts GmbH", country="DE")
    programme = AuditProgramme(certification_body=cb, organization=org, scope="Machining", cycle=1)
    audit = Audit(programme=programme, kind="stage2", days=Decimal("3"))
    sites = ["Stuttgart plant", "Leipzig warehouse"]
    team = [
        {"name": "Lena Lead", "role": "Lead auditor"},
        {"name": "Omar Auditor", "role": "Auditor"},
        {"name": "Tess Technical", "role": "Technical expert"},
    ]
    issued = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    timetable = [
        {
            "day": f"2026-03-0{2 + day}",
            "start": f"{hour:02d}:00",
            "end": f"{hour + 2:02d}:00",
            "auditor": team[(day + hour) % 2]["name"],
            "site": sites[day % 2],
            "activity": f"Clauses {4 + (hour - 9) // 2}.1-{4 + (hour - 9) // 2}.3",
        }
        for day in range(3)
        for hour in (9, 11, 14)
    ]
    plan = AuditPlan(
        audit=audit,
        version=2,
        status="issued",
        objectives="Determine the conformity and effectiveness of the QMS; decide on recommending certification.",
        scope="Machining of precision parts",
        criteria="ISO 9001:2015 clauses 4-10; the client's documented information",
        language="English",
        remote_use="Document review on day 1 by video.",
        timetable=timetable,
        facts={
            "dates": ["2026-03-02", "2026-03-04"],
            "days": {"onsite": "2.5", "remote": "0.5", "total": "3"},
            "sites": sites,
            "team": team,
        },
        change_note="Tess Technical replaces an auditor the client objected to.",
        changes=["Team: Omar Auditor replaces Pat Prior"],
        issued_at=issued,
    )
    findings = [
        {
            "reference": f"S2-{n:02d}",
            "grade": ["Major nonconformity", "Minor nonconformity", "Opportunity for improvement"][n % 3],
            "statement": f"Finding {n}: the records of the process do not show the planned checks were made.",
            "evidence": f"Sampled 10 work orders at {sites[n % 2]}; {n % 4 + 1} without sign-off.",
            "clauses": [f"ISO 9001:2015 8.5.{n % 6 + 1}"],
        }
        for n in range(1, 13)
    ]
    report = AuditReport(
        audit=audit,
        kind="audit",
        revision=1,
        status="issued",
        representative="Jonas Weber, quality manager",
        objectives=plan.objectives,
        criteria=plan.criteria,
        scope="Both sites; machining, warehouse, purchasing",
        places="On site at both sites; document review remote",
        significant_issues="Calibration records incomplete at Leipzig.",
        conclusions="The QMS conforms except as noted; effectively implemented.",
        scope_appropriate=True,
        objectives_met=True,
        recommendation="grant",
        conditions="Verification of the major's corrective action before the decision.",
        sections=[{"auditor_id": 1, "name": "Omar Auditor", "text": "Purchasing and supplier control reviewed."}],
        facts={
            "certification_body": cb.name,
            "client": org.legal_name,
            "audit": "Stage 2",
            "standards": ["ISO 9001:2015"],
            "dates": ["2026-03-02", "2026-03-04"],
            "sites": sites,
            "team": team,
            "findings": findings,
        },
        issued_at=issued,
    )
    return plan, report


def _quotation() -> Any:
    """A quotation of a 3-site ISO 9001 + 14001 application with its determination (unsaved objects): travel
    days, expenses, certificate and registration fees, 19 % tax."""
    from datetime import UTC, datetime

    from conformo.audits.models import AuditTimeDetermination
    from conformo.audits.services.determinations import default_choices
    from conformo.domain.determination import DeterminationInput, Policy, SiteFacts, determine
    from conformo.domain.fees import AuditTime, PriceList, TravelMode, quote
    from conformo.fees.models import Quotation

    standards = ("iso-14001-2015", "iso-9001-2015")
    sites = tuple(
        SiteFacts(key=key, name=name, central=key == "a", permanent=staff)
        for key, name, staff in (("a", "Stuttgart plant", 120), ("b", "Leipzig warehouse", 35), ("c", "Dresden", 20))
    )
    inp = DeterminationInput("initial", standards, sites, default_choices(standards), Policy())
    determined = determine(inp)
    record = AuditTimeDetermination(
        purpose="initial",
        inputs=inp.as_dict(),
        result=determined.as_dict(),
        trace=[step.as_dict() for step in determined.trace],
        created_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )
    prices = PriceList(
        currency="EUR",
        day_rate=Decimal("1200.00"),
        day_rates={"surveillance": Decimal("1100.00")},
        travel_mode=TravelMode.DAYS,
        travel_days=Decimal("0.5"),
        travel_day_rate=Decimal("600.00"),
        expenses=Decimal("250.00"),
        certificate_fee=Decimal("300.00"),
        registration_fee=Decimal("150.00"),
        tax_percent=Decimal("19"),
    )
    fees = quote([AuditTime(a.audit, a.days, a.onsite_days, a.remote_days) for a in determined.audits], prices)
    return Quotation(
        determination=record,
        number=1,
        currency="EUR",
        prices=prices.as_dict(),
        result=fees.as_dict(),
        trace=[step.as_dict() for step in fees.trace],
        facts={
            "reference": "Q-2026-1A2B3C4D-1",
            "certification_body": {"name": "Northbridge Certification Ltd", "address": "1 Audit Lane, Leeds"},
            "client": {"name": "Acme Precision Parts GmbH", "country": "DE"},
            "standards": ["ISO 9001:2015", "ISO 14001:2015"],
            "scope": "Machining of precision parts for the automotive industry",
            "sites": [site.name for site in sites],
            "sector_codes": [17],
        },
        subtotal=fees.subtotal,
        tax=fees.tax,
        total=fees.total,
        valid_until=date(2026, 5, 30),
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


if __name__ == "__main__":
    main()
