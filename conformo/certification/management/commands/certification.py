"""`conformo certification export-file NUMBER_OR_ID --out FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = "Certifications: export a certification's file (plans, reports, certificate, audit log) as one ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "export-file",
            help="Write the certification file: issued plans and reports, the certificate, the audit log, "
            "a manifest with SHA-256s.",
        )
        export.add_argument("number_or_id", help="A certificate number or the certification's id.")
        export.add_argument("--out", required=True, help="The ZIP file to write.")

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export-file":
            self.export_file(options["number_or_id"], options["out"])

    def export_file(self, number_or_id: str, out: str) -> None:
        from conformo.certification.export import certification_file_build, certification_for_file

        certification = certification_for_file(user=SYSTEM, number_or_id=number_or_id)
        target = Path(out)
        if target.is_dir():
            raise CommandError(f"{out} is a directory; name the ZIP file to write.")
        _name, data = certification_file_build(user=SYSTEM, certification=certification)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"Wrote the certification file of {certification.organization} to {out} ({len(data)} bytes).")
