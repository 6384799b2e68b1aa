"""Benchmark: create a gap assessment, render its page and list its rows through the API — for ISO/IEC
27001 alone (1 standard) and for 9001 + 14001 + 45001 + 27001 (4 standards), to show the growth.

    .venv/bin/python bench/assessment.py [--runs 15]

Uses a fresh, migrated SQLite database with the shipped catalogs in a temporary CONFORMO_VAR_DIR. Creation
calls the service (`assessment_create`) directly; the page and the API list go through the whole Django
stack in-process (test client, session or token auth, middleware, templates, serialization) without a
network server. Prints the median and the fastest time and the query count of each. Targets from the
issue: creation for 4 standards ≤ 30 ms and ≤ 15 queries; page and API list for 27001 ≤ 30 ms each, with
query counts that do not grow with the number of clauses.

Throughput (skip with --no-throughput): the production server set-up — granian, WSGI, 2 workers, 1
blocking thread each, DEBUG off — serves the same temporary database; `wrk -t2 -c32 -d10s` with an API
token loads the authenticated assessment detail endpoint, then `/healthz` (one query, no auth: the ceiling
of the stack), in the same run. Prints req/s, their ratio and the p50/p99 latencies. Target: ≥ 1,000 req/s
for the detail on 2 cores (wrk runs on the same machine and takes its share of the CPU).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from conformo.core.actors import SYSTEM

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
    parser.add_argument("--no-throughput", action="store_true", help="skip the granian + wrk part")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run (default 10)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="conformo-bench-assessment-"))
    os.environ.pop("DATABASE_URL", None)  # SQLite in CONFORMO_VAR_DIR, which the server below reads too
    os.environ.update(DEBUG="0", CONFORMO_TESTING="1", CONFORMO_VAR_DIR=str(work))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from conformo.accounts.models import Membership, User
    from conformo.accounts.services import api_token_create
    from conformo.core.roles import Role
    from conformo.organizations.models import Organization
    from conformo.readiness.services import assessment_create
    from conformo.standards.models import Standard
    from conformo.standards.services import catalog_load_shipped

    call_command("migrate", verbosity=0)
    catalog_load_shipped(actor=SYSTEM)
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
    print("query count that stays the same from 1 to 4 standards.")
    if not args.no_throughput:
        from django.db import connections

        connections.close_all()
        throughput(work, token, f"/api/v1/assessments/{assessment.public_id}", args.duration)
    shutil.rmtree(work, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"granian exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - http://127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("granian did not answer /healthz in time")


def _wrk(url: str, duration: int, headers: list[str]) -> dict[str, float]:
    """Run wrk; returns req/s and the p50/p99 latencies in ms."""
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", *headers, url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses\n{out}")

    def ms(label: str) -> float:
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"rps": float(rate.group(1)) if rate else float("nan"), "p50": ms("50"), "p99": ms("99")}


def throughput(work: Path, token: str, detail: str, duration: int) -> None:
    """Serve the bench database with the production set-up (granian, 2 WSGI workers) and load it with wrk."""
    if shutil.which("wrk") is None:
        print("\nThroughput: wrk is not installed; skipped.")
        return
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("CONFORMO_TESTING", "DATABASE_URL")}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 60,
        CONFORMO_VAR_DIR=str(work),
        DJANGO_SETTINGS_MODULE="conformo.settings",
        LOG_LEVEL="ERROR",
    )
    granian = BASE_DIR / ".venv" / "bin" / "granian"
    command = [
        str(granian if granian.exists() else "granian"),
        "--interface", "wsgi",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", "2",
        "--blocking-threads", "1",
        "--log-level", "warning",
        "conformo.wsgi:application",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_ready(base, server)
        auth = ["-H", f"Authorization: Bearer {token}"]
        request = urllib.request.Request(base + detail, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            assert response.status == 200, response.status
        _wrk(base + detail, 2, auth)  # warm-up: both workers import and connect
        results = {
            "API assessment detail (token auth)": _wrk(base + detail, duration, auth),
            "/healthz (no auth, one query)": _wrk(base + "/healthz", duration, []),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"\nThroughput: granian WSGI, 2 workers × 1 thread, DEBUG off; wrk -t2 -c32 -d{duration}s, same machine")
    print(f"{'endpoint':<44}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, r in results.items():
        print(f"{name:<44}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}")
    detail_rps, health_rps = (r["rps"] for r in results.values())
    print(f"detail / healthz ratio: {detail_rps / health_rps:.2f} · target ≥ 1,000 req/s for the detail")


if __name__ == "__main__":
    main()
