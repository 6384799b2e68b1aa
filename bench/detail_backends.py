"""Benchmark: the authenticated API detail on SQLite and on PostgreSQL, side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/detail_backends.py \
        [--duration 10] [--rounds 2]

Sets up the same data on both databases (a fresh SQLite file in a temporary folder; a fresh PostgreSQL
database `conformo_bench_detail` next to DATABASE_URL's): the shipped catalogs, a client organization, its
administrator with an API token, and a gap assessment for ISO/IEC 27001. Serves each the production way
(granian WSGI, 2 workers × `--blocking-threads` (1), DEBUG off, the settings as deployed) and drives
`GET /api/v1/assessments/<id>` with the token through wrk (2 threads, 32 connections), alternating SQLite and
PostgreSQL `--rounds` times. Prints req/s, p50/p99, and the CPU per request of the granian workers and of
the PostgreSQL backends, read from /proc, and the PostgreSQL / SQLite throughput ratio (target: SQLite's
throughput at most 1.5× PostgreSQL's).

`--setup` (internal) prepares the database named by the environment and prints the path and the token.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_NAME = "conformo_bench_detail"
CLOCK = os.sysconf("SC_CLK_TCK")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from conformo.accounts.models import Membership, User
    from conformo.accounts.services import api_token_create
    from conformo.core.actors import SYSTEM
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
    standards = list(Standard.objects.filter(code="iso-iec-27001-2022"))
    assessment = assessment_create(actor=admin, organization=org, standards=standards)
    print(json.dumps({"path": f"/api/v1/assessments/{assessment.public_id}", "token": token}))


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK


def descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid,ppid"], capture_output=True, text=True, check=True).stdout
    kids: dict[int, list[int]] = {}
    for line in out.splitlines()[1:]:
        child, parent = (int(x) for x in line.split())
        kids.setdefault(parent, []).append(child)
    found, stack = [], [pid]
    while stack:
        for child in kids.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def postgres_backends(dbname: str) -> list[int]:
    """The PostgreSQL backends connected to `dbname` (their process titles name the database)."""
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[1:]
    return [int(line.split()[0]) for line in lines if f" {dbname} " in f" {line} " and "postgres:" in line]


def wrk(url: str, duration: int, token: str) -> dict[str, float]:
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-H", f"Authorization: Bearer {token}", url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"error responses from {url}\n{out}")

    def ms(label: str) -> float:
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(rate.group(1)) if rate else float("nan"),
        "requests": float(requests.group(1)) if requests else float("nan"),
        "p50": ms("50"),
        "p99": ms("99"),
    }


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"granian exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("granian did not answer /healthz in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--blocking-threads", type=int, default=1, help="granian blocking threads per worker")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).")
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    work = Path(tempfile.mkdtemp(prefix="conformo-bench-detail-"))
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONFORMO_TESTING")}
    base_env.update(DEBUG="0", SECRET_KEY="bench-" + "x" * 60, LOG_LEVEL="ERROR", PYTHONPATH=str(ROOT))
    envs = {
        "SQLite": {**base_env, "CONFORMO_VAR_DIR": str(work / "sqlite")},
        "PostgreSQL": {
            **base_env,
            "CONFORMO_VAR_DIR": str(work / "postgresql"),
            "DATABASE_URL": database_url(admin_url, DB_NAME),
        },
    }
    servers: dict[str, tuple[subprocess.Popen[bytes], str, str, str]] = {}
    try:
        for port, (name, env) in enumerate(envs.items(), start=18810):
            setup_command = [sys.executable, __file__, "--setup"]
            done = subprocess.run(setup_command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(f"setting up {name} failed:\n{done.stderr}")
            data = json.loads(done.stdout.strip().splitlines()[-1])
            command = [
                str(BIN / "granian"),
                "--interface", "wsgi",
                "--host", "127.0.0.1",
                "--port", str(port),
                "--workers", "2",
                "--blocking-threads", str(args.blocking_threads),
                "--no-access-log",
                "conformo.wsgi:application",
            ]  # fmt: skip
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, server)
            wrk(base + data["path"], 2, data["token"])  # warm-up: both workers import and connect
            servers[name] = (server, base + data["path"], data["token"], base)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, (server, url, token, _base) in servers.items():
                workers = descendants(server.pid)
                backends = postgres_backends(DB_NAME) if name == "PostgreSQL" else []
                before = cpu_seconds(workers), cpu_seconds(backends)
                result = wrk(url, args.duration, token)
                after = cpu_seconds(workers), cpu_seconds(backends)
                result["worker_ms"] = (after[0] - before[0]) * 1000 / result["requests"]
                result["db_ms"] = (after[1] - before[1]) * 1000 / result["requests"]
                results[name].append(result)
    finally:
        for server, *_ in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(
        f"\nAuthenticated API detail (token), granian 2 workers × {args.blocking_threads} blocking thread(s), "
        f"wrk 2 threads / 32 connections, {args.duration} s each, alternating, {os.cpu_count()} CPUs"
    )
    print(f"{'round':<7}{'database':<12}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'worker CPU ms':>15}{'PG CPU ms':>11}")
    for index in range(args.rounds):
        for name, runs in results.items():
            r = runs[index]
            print(
                f"{index + 1:<7}{name:<12}{r['rps']:>8.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
                f"{r['worker_ms']:>15.2f}{r['db_ms']:>11.2f}"
            )
    sqlite = sum(r["rps"] for r in results["SQLite"]) / args.rounds
    postgresql = sum(r["rps"] for r in results["PostgreSQL"]) / args.rounds
    print(f"SQLite / PostgreSQL throughput: {sqlite / postgresql:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
