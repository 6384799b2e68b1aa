"""`conformo backup` / `conformo restore` end to end: a credential issued before the backup still verifies in
an empty instance restored from it; a damaged, truncated or altered archive is refused and changes nothing."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conformo.certificates.models import Certificate
from conformo.core.backup import BackupRefused, backup_create, backup_restore

ROOT = Path(settings.BASE_DIR)
CHECK = """
import json, sys
from conformo.certificates.models import Certificate
from conformo.certificates.signing import jwks, jws_verify
header, payload = jws_verify(open(sys.argv[1]).read(), jwks())
print(json.dumps({"sub": payload["sub"], "kid": header["kid"], "count": Certificate.objects.count(),
                  "upload": open(sys.argv[2]).read()}))
"""


def manage(var_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONFORMO_TESTING", "PYTEST_XDIST_WORKER")}
    env |= {"CONFORMO_VAR_DIR": str(var_dir), "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def empty_database() -> Any:
    """The database of the empty instance: a fresh SQLite file, or a fresh PostgreSQL database."""
    if connection.vendor != "postgresql":
        yield None
        return
    import psycopg

    conf = connection.settings_dict
    name = f"conformo_restore_{uuid.uuid4().hex[:8]}"
    dsn = f"postgres://{conf['USER']}:{conf['PASSWORD'] or ''}@{conf['HOST']}:{conf['PORT'] or 5432}"
    with psycopg.connect(f"{dsn}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{dsn}/{name}"
    with psycopg.connect(f"{dsn}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_credential_issued_before_the_backup_verifies_in_an_instance_restored_from_it(
    granted: Certificate, settings: Any, tmp_path: Path, empty_database: str | None
) -> None:
    settings.MEDIA_ROOT = tmp_path / "var" / "files"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "plan.txt").write_text("the audit plan")
    token = Client().get(f"/api/v1/registry/certificates/{granted.number}/credential").content.decode()
    archive = tmp_path / "backup.tar.gz"
    result = backup_create(archive)
    assert result.files == 4  # the database, the signing key and its `current` pointer, the upload
    with tarfile.open(archive) as opened:
        members = opened.getnames()
    assert members[0] == "manifest.json"
    assert "uploads/evidence/plan.txt" in members

    fresh = tmp_path / "fresh"
    restored = manage(fresh, empty_database, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    (tmp_path / "token.jws").write_text(token)
    check = manage(
        fresh,
        empty_database,
        "shell",
        "-c",
        CHECK.replace("sys.argv[1]", repr(str(tmp_path / "token.jws"))).replace(
            "sys.argv[2]", repr(str(fresh / "files" / "evidence" / "plan.txt"))
        ),
    )
    assert check.returncode == 0, check.stderr
    assert f'"sub": "{granted.number}"' in check.stdout
    assert '"count": 1' in check.stdout
    assert '"upload": "the audit plan"' in check.stdout
    assert oct((fresh / "keys").stat().st_mode & 0o777) == "0o700"

    again = manage(fresh, empty_database, "restore", str(archive))
    assert again.returncode != 0
    assert "already holds data" in again.stderr


def _rewrite(archive: Path, target: Path, change: dict[str, bytes]) -> None:
    """Copy the archive with some members' bytes replaced (the manifest kept as it was)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            data = change.get(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_truncated_or_altered_archive_is_refused_and_changes_nothing(
    granted: Certificate, tmp_path: Path
) -> None:
    Client().get(f"/api/v1/registry/certificates/{granted.number}/credential")
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    data = archive.read_bytes()
    keys = sorted((Path(settings.VAR_DIR) / "keys").glob("*.pem"))
    before = [k.read_bytes() for k in keys]

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "flipped.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    altered = tmp_path / "altered.tar.gz"
    _rewrite(archive, altered, {f"keys/{keys[0].name}": b"not the key"})
    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(extra, "w:gz") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        planted = tarfile.TarInfo("keys/planted.pem")
        planted.size = 3
        out.addfile(planted, io.BytesIO(b"bad"))
    not_gzip = tmp_path / "plain.tar.gz"
    not_gzip.write_bytes(gzip.decompress(data)[:1000])

    for bad, reason in (
        (truncated, "damaged or truncated"),
        (flipped, ""),
        (altered, "differs from its manifest"),
        (extra, "does not match its manifest"),
        (not_gzip, "damaged or truncated"),
    ):
        with pytest.raises(BackupRefused) as caught:
            backup_restore(bad, force=True)
        assert reason in caught.value.message, bad
        assert "nothing was restored" in caught.value.message
    assert Certificate.objects.filter(pk=granted.pk).exists()
    assert [k.read_bytes() for k in keys] == before
