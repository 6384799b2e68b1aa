"""Benchmark: CertSearch bulk import vs a raw PostgreSQL COPY of the same file, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import.py [--rows 1000000]

Writes a CSV of `--rows` CertSearch rows (1–5 sites each, the ISO Survey standard mix), then, in a fresh
database `conformo_bench_import`:
- raw: `COPY bare FROM STDIN (FORMAT csv, HEADER)` into a bare table of 17 text columns (no index, no check);
- importer: `certsearch_import` — parse, check every row, normalize, stage with COPY, publish with the links
  in one short transaction — into the migrated, indexed certificates table.
Prints both times and the ratio (target ≤ 3).

With `--lookups N` it then measures what an import does to the public registry: a separate process looks up
certificates of the first import (`GET /api/v1/registry/certificates/{number}`, the registry's fast path)
for a while without any import, then while a second import of N new rows runs, and prints the look-up p50/p99
of both and their ratio (target: p99 during the import ≤ 2× the p99 without).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "conformo_bench_import"
STANDARDS = [
    ("ISO 9001:2015", 0.52),
    ("ISO 14001:2015", 0.76),
    ("ISO 45001:2018", 0.95),
    ("ISO/IEC 27001:2022", 0.984),
    ("ISO 50001:2018", 1.0),
]
COUNTRIES = ["CN", "IT", "DE", "JP", "GB", "ES", "IN", "FR", "US", "KR", "BR", "TR", "PL", "NL", "CZ", "MX", "SE"]
WORDS = ["Nordic", "Velo", "Stahl", "Société", "Marine", "Alpha", "Delta", "Prime", "Óptima", "Global", "Vista"]


def write_file(path: Path, rows: int) -> None:
    from conformo.certificates.certsearch import HEADERS

    rng = random.Random(11)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(1, rows + 1):
            draw = rng.random()
            standard = next(d for d, share in STANDARDS if draw < share)
            country = rng.choice(COUNTRIES)
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} Industries {i}"
            sites = "\n".join(
                f"Site {k} | {k} Industrial Road, Town {i % 977} | {country}" for k in range(1, rng.randint(1, 5) + 1)
            )
            year = 2020 + i % 5
            writer.writerow(
                [
                    f"MIG-{i:08d}",
                    f"MIG-{i:08d}-A01",
                    rng.choice(["Active"] * 17 + ["Suspended", "Withdrawn", "Expired"]),
                    "Accredited",
                    "Management System",
                    standard,
                    "Manufacture and supply of industrial products",
                    f"{year - 3}0115",
                    f"{year}0115",
                    f"{year + 3}0114",
                    f"ENT-{i}",
                    name,
                    country,
                    f"{i} Main Street",
                    sites,
                    str(1 + i % 39),
                    "No",
                ]
            )


def _lookups(numbers: list[str], seconds: float, stop: Any, out: Any) -> None:
    """Look certificates up through the registry API for `seconds` or until `stop` is set; put
    [(wall time, seconds, status)] on `out`."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    samples = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end and not stop.is_set():
        number = numbers[(i * 7919) % len(numbers)]
        i += 1
        started = time.perf_counter()
        status = client.get(f"/api/v1/registry/certificates/{number}").status_code
        samples.append((time.time(), time.perf_counter() - started, status))
    out.put(samples)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def _registry_under_import(rows: int, existing: int, workdir: Path) -> None:
    from conformo.certificates.certsearch import certsearch_import
    from conformo.core.actors import SYSTEM
    from conformo.organizations.models import CertificationBody

    numbers = [f"MIG-{i:08d}-A01" for i in range(1, existing + 1)]
    second = workdir / "second.csv"
    write_file(second, rows)
    second.write_text(second.read_text(encoding="utf-8").replace("MIG-", "NEW-"), encoding="utf-8")
    cb = CertificationBody.objects.create(name="Second CB", short_name="NEW", country="GB")
    spawn = multiprocessing.get_context("spawn")

    def run(seconds: float, during: bool) -> tuple[list[tuple[float, float, int]], float, float]:
        out, stop = spawn.Queue(), spawn.Event()
        child = spawn.Process(target=_lookups, args=(numbers, seconds, stop, out))
        child.start()
        time.sleep(3)  # the child's start-up
        begun = time.time()
        if during:
            with second.open("rb") as handle:
                certsearch_import(actor=SYSTEM, certification_body=cb, handle=handle, filename=second.name)
        ended = time.time()
        if during:
            time.sleep(1)
            stop.set()
        samples = out.get()
        child.join()
        return samples, begun, ended

    quiet, _, _ = run(15, during=False)
    busy, begun, ended = run(600, during=True)
    baseline = [s for _, s, _ in quiet[len(quiet) // 5 :]]  # past the child's warm-up
    during = [s for t, s, _ in busy if begun <= t <= ended]
    errors = sum(1 for _, _, status in busy if status >= 500)
    print(
        f"look-ups without import: {len(baseline):,}, p50 {_quantile(baseline, 0.5):.2f} ms, "
        f"p99 {_quantile(baseline, 0.99):.2f} ms"
    )
    print(
        f"look-ups during a {rows:,}-row import ({ended - begun:.1f} s): {len(during):,}, "
        f"p50 {_quantile(during, 0.5):.2f} ms, p99 {_quantile(during, 0.99):.2f} ms; 5xx answers: {errors}"
    )
    print(f"ratio p99 during / without: {_quantile(during, 0.99) / _quantile(baseline, 0.99):.2f} (target <= 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=0, help="Then measure look-ups during an import of N rows.")
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).")
    parts = urlsplit(admin_url)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + DB_NAME, parts.query, parts.fragment))
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    workdir = Path(tempfile.mkdtemp(prefix="conformo-bench-import-"))
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        CONFORMO_VAR_DIR=str(workdir / "var"),
        DJANGO_SETTINGS_MODULE="conformo.settings",
        DEBUG="0",
        REGISTRY_RATE_LIMIT="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    from conformo.certificates.certsearch import HEADERS, certsearch_import
    from conformo.core.actors import SYSTEM
    from conformo.organizations.models import CertificationBody

    data = workdir / "register.csv"
    started = time.perf_counter()
    write_file(data, args.rows)
    print(f"wrote {args.rows:,} rows ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")

    with psycopg.connect(url, autocommit=True) as conn:
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(f"c{i}")) for i in range(len(HEADERS)))
        conn.execute(sql.SQL("CREATE TABLE bare ({})").format(columns))
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
            data.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        raw = time.perf_counter() - started
        row = conn.execute("SELECT count(*) FROM bare").fetchone()
        assert row is not None
        count = row[0]
    print(f"raw COPY:  {raw:7.2f} s  ({count:,} rows)")

    cb = CertificationBody.objects.create(name="Migrating CB", short_name="MIG", country="GB")
    started = time.perf_counter()
    with data.open("rb") as handle:
        result = certsearch_import(actor=SYSTEM, certification_body=cb, handle=handle, filename=data.name)
    ours = time.perf_counter() - started
    print(f"importer:  {ours:7.2f} s  ({result.imported:,} certificates, checked, indexed, all-or-nothing)")
    print(f"ratio importer / raw COPY: {ours / raw:.2f} (target <= 3)")
    if args.lookups:
        _registry_under_import(args.lookups, result.imported, workdir)


if __name__ == "__main__":
    main()
