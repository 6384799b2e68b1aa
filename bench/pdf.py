"""Benchmark: certificate PDF render time (WeasyPrint), median of 50, for a 3-site certificate.

    .venv/bin/python bench/pdf.py [--runs 50]

Renders from an unsaved certificate (no database needed): template → HTML → PDF bytes, QR code included.
Each timed render is a full one; only what `conformo.certificates.pdf` keeps per thread (fonts, the parsed
stylesheet, the URL fetcher) is reused, as in a server process. Prints the load average before and after,
since the figures depend on what else runs on the machine.
Target (DESIGN.md): ≤ 150 ms median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

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
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
