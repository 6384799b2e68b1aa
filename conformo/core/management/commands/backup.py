"""`conformo backup [--output FILE]`: the database, signing keys and uploaded files in one archive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = (
        "Write one archive (tar.gz) with the database, the certificate signing keys, the uploaded files and a "
        "manifest of SHA-256 hashes; safe while the server runs (docs/deployment.md, 'Backup and restore')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="The archive to write (default: conformo-backup-<UTC time>.tar.gz here)."
        )

    def run(self, *args: Any, **options: Any) -> None:
        from conformo.core.backup import backup_create

        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or f"conformo-backup-{stamp}.tar.gz")
        result = backup_create(output)
        self.stdout.write(
            f"Wrote {result.path} ({result.engine} database, {result.files} file(s), {result.size:,} bytes). "
            "It holds the private signing keys: keep it as safe as the server."
        )
