"""Benchmark: create a gap assessment, render its page and list its rows through the API — for ISO/IEC
27001 alone (1 standard) and for 9001 + 14001 + 45001 + 27001 (4 standards), to show the growth.

    .venv/bin/python bench/assessment.py [--runs 15]

Uses a fresh, migrated SQLite database with the shipped catalogs. Creation calls the service
(`assessment_create`) directly; the page and the API list go through the whole Django stack in-process
(test client, session or token auth, middleware, templates, serialization) without a network server.
Prints the median and the fastest time and the query count of each. Targets from the issue: creation for
4 standards ≤ 30 ms and ≤ 15 queries; page and API list for 27001 ≤ 30 ms each, with query counts that do
not grow with the number of clauses. Throughput under load (wrk, 32 connections) is not measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

FOUR = ["iso-9001-2015", "iso-14001-2015", "iso-45001-2018", "iso-iec-27001-2022"]
ONE = ["iso-iec-27001-2022"]


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """(median ms, fastest ms, queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up (template and URL caches)
    times = []
    queries = 0
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    return statistics.median(times), min(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="conformo-bench-assessment-"))
    os.environ.update(
        DEBUG="0", CONFORMO_TESTING="1", CONFORMO_VAR_DIR=str(work), DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from conformo.accounts.choices import Role
    from conformo.accounts.models import Membership, User
    from conformo.accounts.services import api_token_create
    from conformo.organizations.models import Organization
    from conformo.readiness.services import assessment_create
    from conformo.standards.models import Standard
    from conformo.standards.services import catalog_load_shipped

    call_command("migrate", verbosity=0)
    catalog_load_shipped(actor=None)
    org = Organization.objects.create(legal_name="Bench GmbH", country="DE")
    admin = User.objects.create_user("bench@example.test", "bench-password-123")
    Membership.objects.create(user=admin, role=Role.CLIENT_ADMIN, organization=org)
    _, token = api_token_create(user=admin, name="bench")
    page_client = Client()
    page_client.force_login(admin)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    print(f"Conformo gap-assessment benchmark ({args.runs} runs each, SQLite, in-process)\n")
    print(f"{'work':<44}{'standards':>10}{'rows':>7}{'median ms':>11}{'best ms':>9}{'queries':>9}")
    for codes in (ONE, FOUR):
        standards = list(Standard.objects.filter(code__in=codes))

        def create(standards: list[Any] = standards) -> Any:
            # a fresh user object each run, so no per-request permission cache is reused
            return assessment_create(actor=User.objects.get(pk=admin.pk), organization=org, standards=standards)

        median, best, queries = measure(create, args.runs)
        assessment = create()
        rows = assessment.items.count()
        print(f"{'create assessment':<44}{len(codes):>10}{rows:>7}{median:>11.1f}{best:>9.1f}{queries:>9}")

        page = f"/readiness/assessments/{assessment.public_id}/?standard=iso-iec-27001-2022"
        response = page_client.get(page)
        assert response.status_code == 200, response.status_code
        median, best, queries = measure(partial(page_client.get, page), args.runs)
        label = "assessment page, 27001 rows"
        shown = assessment.items.filter(clause__standard__code="iso-iec-27001-2022").count()
        print(f"{label:<44}{len(codes):>10}{shown:>7}{median:>11.1f}{best:>9.1f}{queries:>9}")

        api = f"/api/v1/assessments/{assessment.public_id}/items?standard=iso-iec-27001-2022&page_size=500"
        response = api_client.get(api)
        assert response.status_code == 200, response.content[:200]
        assert response.json()["count"] == shown
        median, best, queries = measure(partial(api_client.get, api), args.runs)
        print(f"{'API list of the 27001 rows':<44}{len(codes):>10}{shown:>7}{median:>11.1f}{best:>9.1f}{queries:>9}")

        detail = f"/api/v1/assessments/{assessment.public_id}"
        median, best, queries = measure(partial(api_client.get, detail), args.runs)
        print(f"{'API assessment detail':<44}{len(codes):>10}{'':>7}{median:>11.1f}{best:>9.1f}{queries:>9}")
    print("\nTargets: create (4 standards) ≤ 30 ms and ≤ 15 queries; page and API list ≤ 30 ms each with a")
    print("query count that stays the same from 1 to 4 standards. Throughput (≥ 1,000 req/s) needs wrk: not run here.")


if __name__ == "__main__":
    main()
