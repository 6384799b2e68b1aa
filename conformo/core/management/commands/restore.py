"""`conformo restore FILE [--force]`: put an archive of `conformo backup` back (server and worker stopped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = (
        "Restore an archive written by `conformo backup`: every member is checked against the manifest first, "
        "a damaged archive changes nothing. Refuses an instance that holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive (tar.gz) written by `conformo backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the database, keys and files of an instance holding data."
        )

    def run(self, *args: Any, **options: Any) -> None:
        from conformo.core.backup import backup_restore

        manifest = backup_restore(Path(options["file"]), force=options["force"])
        self.stdout.write(
            f"Restored {options['file']}: {manifest['engine']} database and {len(manifest['files']) - 1} file(s) "
            f"of a backup made {manifest['created_at']} (Conformo {manifest['conformo']}). Restart the services."
        )
