"""`conformo certification export-file NUMBER_OR_ID --out FILE`;
`conformo certification scope NUMBER_OR_ID [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = (
        "Certifications: export a certification's file (plans, reports, certificate, audit log) as one ZIP; "
        "show its structured scope."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "export-file",
            help="Write the certification file: issued plans and reports, the certificate, the audit log, "
            "a manifest with SHA-256s.",
        )
        export.add_argument("number_or_id", help="A certificate number or the certification's id.")
        export.add_argument("--out", required=True, help="The ZIP file to write.")
        scope = sub.add_parser("scope", help="Show the scope lines by standard and site, with their IAF codes.")
        scope.add_argument("number_or_id", help="A certificate number or the certification's id.")
        scope.add_argument("--json", action="store_true", help="The lines as JSON, as the API gives them.")

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export-file":
            self.export_file(options["number_or_id"], options["out"])
        elif options["action"] == "scope":
            self.scope(options["number_or_id"], as_json=options["json"])

    def scope(self, number_or_id: str, *, as_json: bool) -> None:
        import json

        from conformo.audits.scope_display import lines_snapshot, scope_groups
        from conformo.audits.services.scope import line_dict, scope_lines
        from conformo.certification.export import certification_for_file

        certification = certification_for_file(user=SYSTEM, number_or_id=number_or_id)
        lines = scope_lines(certification)
        if as_json:
            self.stdout.write(json.dumps([line_dict(line) for line in lines], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Scope of {certification.organization}: {certification.scope}")
        if not lines:
            self.stdout.write("No scope lines recorded.")
        for group in scope_groups(lines_snapshot(lines)):
            self.stdout.write(group["designation"])
            for site in group["sites"]:
                for line in site["lines"]:
                    codes = f" [{line['codes']}]" if line["codes"] else ""
                    self.stdout.write(f"  {site['site']}: {line['activity']}{codes}")

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
