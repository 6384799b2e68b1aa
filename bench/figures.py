"""Benchmark: each figures page (conformo.figures) on a database loaded with the scale demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conformo_scale600 \
        .venv/bin/python bench/figures.py [--runs 30] [--query "year=2025&period=month"]

Reads the database `DATABASE_URL` names (SQLite when unset: the `CONFORMO_VAR_DIR` one), which must hold
`conformo demo --scale N` (its certification body "Scale Demo CB" and its administrator) and Conformo's
migrations; it writes nothing. Each page goes through the whole Django stack in-process (test client with a
signed-in session, middleware, template, SVG chart), DEBUG off (`CONFORMO_TESTING=1` only for the static
files); the API endpoint of the same figure likewise
with a session. Prints, per figure, the median and 95th-percentile server time of `--runs` requests after one
warm-up, and the number of database queries of one request. Target (issue #17): every page ≤ 200 ms median
on PostgreSQL with `demo --scale 600`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(client: Any, url: str, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries of one request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer = client.get(url)  # warm-up (templates, URL resolver, connection)
    assert answer.status_code == 200, (url, answer.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(context.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--query", default="", help="the filter as a query string (default: the current year)")
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "0")
    # Static files from the source tree (no `collectstatic` manifest needed), as bench/assessment.py does; it
    # changes nothing else a page read does (password hashers, the task backend).
    os.environ.setdefault("CONFORMO_TESTING", "1")
    # DEBUG off needs a secret key; the bench signs only its own session cookie.
    os.environ.setdefault("SECRET_KEY", "bench-figures-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from conformo.accounts.models import User
    from conformo.audits.models import Audit
    from conformo.certificates.models import Certificate
    from conformo.figures.selectors import FIGURES
    from conformo.home.demo_scale import SCALE_CB_NAME, STAFF_DOMAIN
    from conformo.organizations.models import CertificationBody

    cb = CertificationBody.objects.filter(name=SCALE_CB_NAME).first()
    if cb is None:
        sys.exit(f"No scale demo in this database: run `conformo demo --scale N` first ({SCALE_CB_NAME!r}).")
    admin = User.objects.get(email=f"admin@{STAFF_DOMAIN}")
    client = Client()
    client.force_login(admin)
    query = f"?{args.query}" if args.query else ""
    audits = Audit.objects.filter(programme__certification_body=cb).count()
    certificates = Certificate.objects.filter(certification_body=cb).count()
    clients = cb.clients.count()

    print(
        f"Conformo figures benchmark: {connection.vendor}, {clients} clients, {audits} audits, "
        f"{certificates} certificates; {args.runs} runs each, in-process, DEBUG off; "
        f"filter {query or '(current year)'}\n"
    )
    print(
        f"{'figure':<30}{'page median ms':>15}{'p95 ms':>9}{'queries':>9}"
        f"{'API median ms':>15}{'p95 ms':>9}{'queries':>9}"
    )
    worst = 0.0
    for slug in FIGURES:
        page = measure(client, reverse("figures:figure", args=[slug]) + query, args.runs)
        api = measure(client, f"/api/v1/certification-bodies/{cb.public_id}/figures/{slug}{query}", args.runs)
        worst = max(worst, page[0])
        print(f"{slug:<30}{page[0]:>15.1f}{page[1]:>9.1f}{page[2]:>9}{api[0]:>15.1f}{api[1]:>9.1f}{api[2]:>9}")
    print(f"\nslowest page median: {worst:.1f} ms (target ≤ 200 ms)")


if __name__ == "__main__":
    main()
