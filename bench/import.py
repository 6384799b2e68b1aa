"""Benchmark: CertSearch bulk import vs a raw PostgreSQL COPY of the same file, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import.py [--rows 1000000]

Writes a CSV of `--rows` CertSearch rows (1–5 sites each, the ISO Survey standard mix), then, in a fresh
database `conformo_bench_import`:
- raw: `COPY bare FROM STDIN (FORMAT csv, HEADER)` into a bare table of 17 text columns (no index, no check);
- importer: `certsearch_import` — parse, check every row, normalize, write with COPY and the standard links,
  all in one transaction — into the migrated, indexed certificates table.
Prints both times and the ratio (target ≤ 3).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
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


if __name__ == "__main__":
    main()
