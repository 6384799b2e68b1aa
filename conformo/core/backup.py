"""Backing up and restoring an instance: one archive (docs/deployment.md, "Backup and restore").

The archive is a gzip-compressed tar holding
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the server runs) or `database.dump`
  (`pg_dump -Fc`, restored with `pg_restore`),
- `keys/` — the certificate signing keys (without them published credentials still verify against the
  retired public keys only while those stay in the JWKS),
- `uploads/` — the uploaded files (MEDIA_ROOT),
- `manifest.json` — format, Conformo version, creation time, database engine and the SHA-256 and size of every
  other member.

`backup_restore` checks the whole archive before it changes anything: a damaged, truncated or altered archive
(any hash or size that differs, a member missing or unlisted, an unsafe path) is refused with the reason and
the instance is left as it was. It refuses an instance that already holds data unless `force`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.db import connection

from conformo.core.errors import ApplicationError, Conflict
from conformo.core.paths import keys_dir, uploads_dir

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRESQL_MEMBER = "database.dump"
_CHUNK = 1 << 20


class BackupRefused(ApplicationError):
    """The archive cannot be used (damaged, truncated, altered, another engine); nothing was changed."""

    status_code = 422
    default_code = "backup_refused"


@dataclass
class BackupResult:
    path: Path
    engine: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("conformo")
    except metadata.PackageNotFoundError:
        return "unknown"


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest in Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise ApplicationError(f"{name} is not installed (PostgreSQL's client tools).", code="tool_missing")
    return str(candidates[-1])


def _pg_env() -> dict[str, str]:
    """libpq's environment for the default database (the password never appears on a command line)."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[name] = str(conf[key])
    env["PGDATABASE"] = str(conf["NAME"])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603 - a fixed pg_dump/pg_restore argv, no shell
    if result.returncode != 0:
        raise ApplicationError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}", code="tool_failed")


def _dump_database(target: Path) -> str:
    if _engine() == "postgresql":
        member = target / POSTGRESQL_MEMBER
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={member}"])
        return POSTGRESQL_MEMBER
    connection.ensure_connection()
    destination = sqlite3.connect(target / SQLITE_MEMBER)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return SQLITE_MEMBER


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock", ".current.*"))
    else:
        target.mkdir(parents=True)


def backup_create(output: Path) -> BackupResult:
    """Write the archive to `output` (through a temporary file beside it: never a half-written archive)."""
    output = output.resolve()
    with tempfile.TemporaryDirectory(prefix="conformo-backup-") as work:
        root = Path(work)
        database = _dump_database(root)
        _copy_tree(keys_dir(), root / "keys")
        _copy_tree(uploads_dir(), root / "uploads")
        members = sorted(p for p in root.rglob("*") if p.is_file())
        files = {p.relative_to(root).as_posix(): {"sha256": _sha256(p), "size": p.stat().st_size} for p in members}
        manifest = {
            "format": FORMAT,
            "conformo": _version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": _engine(),
            "database": database,
            "files": files,
        }
        (root / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        partial = output.with_name(f".{output.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(root / MANIFEST, arcname=MANIFEST)
            for path in members:
                archive.add(path, arcname=path.relative_to(root).as_posix())
        os.chmod(partial, 0o600)  # the archive holds the private signing keys
        os.replace(partial, output)
    return BackupResult(path=output, engine=_engine(), files=len(files), size=output.stat().st_size)


# --- restore -----------------------------------------------------------------------------------------


def _extract(archive: Path, target: Path) -> dict[str, Any]:
    """Unpack and check every member against the manifest; BackupRefused names the first problem."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(target, filter="data")  # refuses absolute paths, '..', links out, devices
    except FileNotFoundError as exc:
        raise BackupRefused(f"{archive} does not exist.") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupRefused(f"{archive} is damaged or truncated ({exc}); nothing was restored.") from exc
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
        engine, database = manifest["engine"], manifest["database"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupRefused(f"{archive} has no readable manifest; nothing was restored.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"{archive} is in backup format {manifest.get('format')!r}, not {FORMAT}.")
    present = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(files):
        odd = sorted(present ^ set(files))[:5]
        raise BackupRefused(f"{archive} does not match its manifest (members {', '.join(odd)}); nothing was restored.")
    for name, expected in files.items():
        path = target / name
        if path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            raise BackupRefused(f"{archive}: {name} differs from its manifest hash; nothing was restored.")
    if database not in files:
        raise BackupRefused(f"{archive} holds no database; nothing was restored.")
    if engine != _engine():
        raise BackupRefused(f"{archive} is a {engine} backup; this instance runs on {_engine()}.")
    return dict(manifest)


def instance_holds_data() -> bool:
    """Whether restoring would overwrite something: users or certification bodies, signing keys, uploads."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("accounts_user", "organizations_certificationbody"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - fixed names
                if cursor.fetchone():
                    return True
    return any(keys_dir().glob("*.pem")) or any(p.is_file() for p in uploads_dir().rglob("*"))


def _restore_database(member: Path) -> None:
    if _engine() == "postgresql":
        connection.close()
        _run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(member),
            ]
        )
        return
    source = sqlite3.connect(member)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)  # replaces every page of the live database, in one step
    finally:
        source.close()


def _replace_tree(source: Path, target: Path) -> None:
    """Put `source` where `target` is; the old tree is removed only once the new one is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(source, staged)
    old = target.with_name(f".{target.name}.replaced")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the archive into this instance (stop the server and worker first). Returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="conformo-restore-") as work:
        root = Path(work)
        manifest = _extract(archive, root)
        if not force and instance_holds_data():
            raise Conflict(
                "This instance already holds data (users, certification bodies, keys or files); restore with "
                "--force to replace all of it.",
                code="instance_not_empty",
            )
        _restore_database(root / manifest["database"])
        (root / "keys").mkdir(exist_ok=True)
        (root / "uploads").mkdir(exist_ok=True)
        _replace_tree(root / "keys", keys_dir())
        os.chmod(keys_dir(), 0o700)
        _replace_tree(root / "uploads", uploads_dir())
    return manifest
