"""Benchmark: load the ISO/IEC 27001:2022 catalog (41 clauses + 93 controls) into a fresh database, then all catalogs.

    .venv/bin/python bench/catalog_load.py [--runs 7]

Each run copies a freshly migrated SQLite database (so every load is a first load into an empty catalog),
then times `catalog_load_file` end to end — reading the YAML, validating it against the schema, and the
bulk writes — and counts the queries. Prints the median and the spread; there are no pass/fail
thresholds here (the issue's target: ≤ 100 ms and a query count that does not grow per node for 27001;
all shipped catalogs in under a second). The nearest peer needs 1.2–2.2 s and 2,000+ queries for 27001.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from conformo.core.actors import SYSTEM

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="conformo-bench-"))
    template, live = work / "template.sqlite3", work / "live.sqlite3"
    os.environ.update(DEBUG="1", CONFORMO_VAR_DIR=str(work), DATABASE_URL=f"sqlite:///{live}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conformo.standards.catalog import shipped_catalog_paths
    from conformo.standards.models import Clause
    from conformo.standards.services import catalog_load_file, catalog_load_shipped

    call_command("migrate", verbosity=0)
    connection.close()
    shutil.copy(live, template)

    def fresh() -> None:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, live)
        connection.ensure_connection()

    iso27001 = next(p for p in shipped_catalog_paths() if p.stem == "iso-iec-27001-2022")
    import sqlite3

    sqlite = sqlite3.sqlite_version
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite}, {os.cpu_count()} CPUs; runs={args.runs}")

    catalog_load_file(actor=SYSTEM, path=iso27001)  # warm imports and the schema cache once
    for title, load in (
        ("ISO/IEC 27001:2022 (41 clauses + 93 controls)", lambda: [catalog_load_file(actor=SYSTEM, path=iso27001)]),
        ("All shipped catalogs (8)", lambda: catalog_load_shipped(actor=SYSTEM)),
    ):
        times, queries, nodes = [], [], 0
        for _ in range(args.runs):
            fresh()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                load()
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured))
            nodes = Clause.objects.count()
        print(
            f"{title}: median {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}); queries {statistics.median(queries):.0f}; nodes {nodes}"
        )

    fresh()
    start = time.perf_counter()
    catalog_load_shipped(actor=SYSTEM)
    catalog_load_shipped(actor=SYSTEM)
    print(f"Reloading unchanged catalogs (skip path): {(time.perf_counter() - start) * 1000 / 2:.1f} ms per pass")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
