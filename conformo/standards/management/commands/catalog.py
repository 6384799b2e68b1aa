"""`conformo catalog`: load, list, show, import and export standards catalogs.

    conformo catalog load [PATH ...] [--force]      load/update the shipped catalogs, or the given files
    conformo catalog list [--json]                  the loaded standards with clause and control counts
    conformo catalog show ID [--json]               one standard with its clause tree and controls
    conformo catalog import --format {ciso-assistant,oscal} FILE [--succession YAML]   prints the new id
    conformo catalog export --format oscal ID       OSCAL catalog JSON on stdout

Refusals are one line on stderr with a non-zero exit code (docs/catalog-format.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand
from conformo.standards.importers import oscal_export_json
from conformo.standards.selectors import (
    ClauseNode,
    clause_tree,
    standard_document,
    standard_get,
    standard_list,
    standard_summary,
)
from conformo.standards.services import catalog_import, catalog_load_paths, catalog_load_shipped


class Command(ConformoCommand):
    help = "Standards catalogs: load, list, show, import (CISO Assistant, OSCAL) and export (OSCAL)."
    # A data command run at every start (`make run`): skip the URL/API system checks (~0.6 s of imports);
    # `manage.py check` and the test suite run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,list,show,import,export}")
        load = sub.add_parser("load", help="Load or update the shipped catalogs, or the given catalog files.")
        load.add_argument(
            "paths", nargs="*", metavar="PATH", help="Catalog YAML files (default: all shipped catalogs)."
        )
        load.add_argument("--force", action="store_true", help="Reload even when the same version is loaded.")
        listing = sub.add_parser("list", help="List the loaded standards.")
        listing.add_argument("--json", action="store_true", help="A JSON array instead of a table.")
        show = sub.add_parser("show", help="Show one standard with its clause tree.")
        show.add_argument("id", metavar="ID")
        show.add_argument("--json", action="store_true", help="JSON instead of an outline.")
        imp = sub.add_parser("import", help="Import a CISO Assistant library or an OSCAL catalog; prints the new id.")
        imp.add_argument("--format", required=True, choices=["ciso-assistant", "oscal"])
        imp.add_argument("file", metavar="FILE")
        imp.add_argument(
            "--succession",
            metavar="YAML",
            help="A file with replaces, transition and succession (docs/catalog-format.md) for the imported edition.",
        )
        exp = sub.add_parser("export", help="Export a catalog as OSCAL JSON on stdout.")
        exp.add_argument("--format", required=True, choices=["oscal"])
        exp.add_argument("id", metavar="ID")

    def run(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            paths = options["paths"]
            results = (
                catalog_load_paths(actor=SYSTEM, paths=paths, force=options["force"])
                if paths
                else catalog_load_shipped(actor=SYSTEM, force=options["force"])
            )
            for result in results:
                self.stdout.write(result.describe())
        elif action == "list":
            self._list(as_json=options["json"])
        elif action == "show":
            standard = standard_get(code=options["id"])
            if options["json"]:
                self.stdout.write(json.dumps(standard_document(standard), ensure_ascii=False, indent=2))
            else:
                lines = [f"{standard.designation} — {standard.title} (version {standard.version})"]
                self._outline(clause_tree(standard), 1, lines)
                self.stdout.write("\n".join(lines))
        elif action == "import":
            path = Path(options["file"])
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror or 'cannot be read'}") from exc
            extra: dict[str, Any] = {}
            if options.get("succession"):
                succession_path = Path(options["succession"])
                try:
                    extra = {"succession": succession_path.read_bytes(), "succession_filename": succession_path.name}
                except OSError as exc:
                    raise CommandError(f"{succession_path}: {exc.strerror or 'cannot be read'}") from exc
            standard = catalog_import(
                actor=SYSTEM, content=content, filename=path.name, format=options["format"], **extra
            )
            self.stdout.write(standard.code)
        elif action == "export":
            self.stdout.write(oscal_export_json(standard_get(code=options["id"])))

    def _list(self, *, as_json: bool) -> None:
        items = [standard_summary(standard) for standard in standard_list()]
        if as_json:
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=2))
            return
        if not items:
            self.stdout.write("No catalogs loaded: run `conformo catalog load`.")
            return
        for item in items:
            counts = f"{item['clauses']:>4} clauses {item['controls']:>4} controls"
            self.stdout.write(f"{item['id']:<28} {item['designation'][:40]:<40} {counts}  v{item['version']}")

    def _outline(self, nodes: list[ClauseNode], depth: int, lines: list[str]) -> None:
        for node in nodes:
            clause = node.clause
            prefix = "A." if clause.kind == "control" else ""
            title = clause.title or "(untitled)"
            theme = f" [{clause.theme}]" if clause.theme else ""
            lines.append(f"{'  ' * depth}{prefix}{clause.ref} {title}{theme}")
            self._outline(node.children, depth + 1, lines)
