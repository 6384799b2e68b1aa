"""An import killed with SIGKILL part-way leaves nothing behind: no certificate of the file, no staging table,
and the registry answers at once (the import held no lock a reader waits on)."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conformo.certificates.certsearch import HEADERS
from conformo.certificates.models import Certificate
from conformo.certificates.tests.test_certsearch import row

ROOT = Path(settings.BASE_DIR)
ROWS = 20_000


def big_file(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        for i in range(ROWS):
            writer.writerow(
                row(**{"Certification Identity Number": f"KILL-{i}", "Certificate Number": f"KILL-{i}-A01"})
            )


def child_environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONFORMO_TESTING")}
    env |= {"CONFORMO_VAR_DIR": str(tmp_path / "var"), "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    if connection.vendor == "postgresql":
        conf = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{conf['USER']}:{conf['PASSWORD'] or ''}@{conf['HOST']}:{conf['PORT'] or 5432}/{conf['NAME']}"
        )
    else:
        # The child works on a file copy of this test's database (same schema, same CB).
        (tmp_path / "var").mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(tmp_path / "var" / "conformo.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
    return env


def imported_in_child(tmp_path: Path) -> int:
    if connection.vendor == "postgresql":
        return Certificate.objects.filter(number__startswith="KILL-").count()
    with sqlite3.connect(tmp_path / "var" / "conformo.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(db.execute("SELECT count(*) FROM certificates_certificate WHERE number LIKE 'KILL-%'").fetchone()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("after", [1.5, 4.0])
def test_an_import_killed_part_way_writes_nothing_and_the_registry_reads_on(
    accredited_cb: Any, granted: Certificate, tmp_path: Path, after: float
) -> None:
    file = tmp_path / "big.csv"
    big_file(file)
    env = child_environment(tmp_path)
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "certificate", "import", str(file), "--cb", accredited_cb.name],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Django's start-up takes a while on a busy machine: count from when the child opened the database.
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline and not _started(child, after):
        time.sleep(0.05)
    finished = child.poll() is not None
    if not finished:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    count = imported_in_child(tmp_path)
    if finished:
        assert count == ROWS  # too fast to be caught: then it imported the whole file
    else:
        # All or nothing: killed before its commit it wrote nothing; killed between its commit and its exit
        # (the summary still being printed on a busy machine) it wrote the whole file. Never a part.
        assert count in (0, ROWS), f"a killed import left {count} of its {ROWS} rows"
    started = time.monotonic()
    response = Client().get(f"/api/v1/registry/certificates/{granted.number}")
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    end_orphaned_server_processes()


def end_orphaned_server_processes() -> None:
    """On PostgreSQL the server process of a killed client runs on until its statement ends (only then does it find
    its client gone), holding the statement's locks: ended here, as an operator would, before the test's teardown
    empties the tables (its TRUNCATE and such a statement's row locks deadlocked once in CI)."""
    if connection.vendor != "postgresql":
        return
    others = (
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend'"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


_seen: dict[int, float] = {}


def _started(child: subprocess.Popen[bytes], after: float) -> bool:
    """True `after` seconds once the child has opened the database (Django has started)."""
    opened = _seen.get(child.pid)
    if opened is None:
        if _has_open_database(child.pid):
            _seen[child.pid] = time.monotonic()
        return False
    return time.monotonic() - opened >= after


def _has_open_database(pid: int) -> bool:
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    if connection.vendor == "postgresql":
        return any(link.startswith("socket:") for link in links)
    return any(link.endswith("conformo.sqlite3") for link in links)
