"""Writes to the catalog: loading shipped or given catalog files, and importing CISO Assistant / OSCAL files.

Loading is bulk: a fixed handful of queries whatever the number of nodes (one insert per tree level, one
bulk update, one retire). Updates happen in place by (standard, kind, ref), so clause primary keys stay
stable and assessments or findings that point at them survive a new catalog version; nodes that a newer
version no longer has are marked `retired`, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.domain.editions import TRANSITION_SOURCE, SuccessionKind, SuccessionRow, succession_check, transition_end
from conformo.standards.catalog import (
    CatalogData,
    CatalogError,
    catalog_read,
    node_key,
    shipped_catalog_paths,
    succession_file_apply,
)
from conformo.standards.models import (
    Clause,
    ClauseKind,
    MandatoryDocument,
    Standard,
    StandardSource,
    Succession,
    Transition,
)

CLAUSE_UPDATE_FIELDS = [
    "title",
    "untitled",
    "guidance",
    "parent",
    "depth",
    "position",
    "theme",
    "hs_ref",
    "retired",
    "updated_at",
]
STANDARD_FIELDS = [
    "designation",
    "edition_year",
    "title",
    "status",
    "version",
    "source",
    "is_harmonized_structure",
    "replaces",
    "succession_map",
]


@dataclass(frozen=True)
class CatalogLoadResult:
    """What a load did: `created`, `updated` or `skipped` (same or older version, not forced)."""

    standard: Standard
    outcome: str
    clauses: int
    controls: int
    retired: int = 0

    def describe(self) -> str:
        std = self.standard
        if self.outcome == "skipped":
            return f"{std.code}: version {std.version} already loaded, skipped"
        text = f"{std.code}: {self.outcome} version {std.version} ({self.clauses} clauses, {self.controls} controls"
        return text + (f", {self.retired} retired)" if self.retired else ")")


def _can_manage_catalog(actor: Actor) -> bool:
    """The operator (`SYSTEM`: the command line, the demo), a superuser or a CB administrator."""
    r = reach(actor)
    return r.superuser or bool(r.cbs_with(Role.CB_ADMIN))


def _require_catalog_admin(actor: Actor) -> None:
    if not _can_manage_catalog(actor):
        raise PermissionDenied("Only a CB administrator can load or import catalogs.")


COMPARED_FIELDS = ["title", "untitled", "guidance", "parent_id", "depth", "position", "theme", "hs_ref", "retired"]


def _write_nodes(standard: Standard, catalog: CatalogData, now: Any) -> int:
    """Insert new nodes level by level, bulk-update only the existing nodes that changed, retire the missing ones.

    Returns the number of nodes retired. Query count: one read, one insert per tree level, at most one
    bulk update and one retire, whatever the number of nodes.
    """
    rows = Clause.objects.filter(standard=standard).values_list("id", "kind", "ref", *COMPARED_FIELDS)
    existing = {(row[1], row[2]): (row[0], tuple(row[3:])) for row in rows}
    ids: dict[tuple[str, str], int] = {}
    to_update: list[tuple[Clause, tuple[str, str] | None, tuple[Any, ...]]] = []
    by_depth: dict[int, list[tuple[Clause, tuple[str, str] | None]]] = {}
    for node in catalog.nodes:
        key = (node.kind, node.ref)
        clause = Clause(
            standard=standard,
            kind=node.kind,
            ref=node.ref,
            title=node.title,
            untitled=node.untitled,
            guidance=node.guidance,
            depth=node.depth,
            position=node.position,
            theme=node.theme,
            hs_ref=node.hs_ref,
            retired=False,
            updated_at=now,
        )
        parent_key = (node.kind, node.parent_ref) if node.parent_ref is not None else None
        if key in existing:
            clause.pk, old_values = existing[key]
            ids[key] = clause.pk
            to_update.append((clause, parent_key, old_values))
        else:
            by_depth.setdefault(node.depth, []).append((clause, parent_key))
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for clause, parent_key in level:
            clause.parent_id = ids[parent_key] if parent_key else None
        Clause.objects.bulk_create([clause for clause, _ in level])
        for clause, _ in level:
            ids[(clause.kind, clause.ref)] = clause.pk
    changed: list[Clause] = []
    for clause, parent_key, old_values in to_update:
        clause.parent_id = ids[parent_key] if parent_key else None
        if tuple(getattr(clause, name) for name in COMPARED_FIELDS) != old_values:
            changed.append(clause)
    if changed:
        Clause.objects.bulk_update(changed, CLAUSE_UPDATE_FIELDS)
    missing = [pk for key, (pk, _) in existing.items() if key not in ids]
    if missing:
        Clause.objects.filter(pk__in=missing, retired=False).update(retired=True, updated_at=now)
    return len(missing)


def _write_documents(standard: Standard, catalog: CatalogData, now: Any) -> None:
    existing = {
        (clause_ref, what): pk
        for pk, clause_ref, what in MandatoryDocument.objects.filter(standard=standard).values_list(
            "id", "clause_ref", "what"
        )
    }
    to_create: list[MandatoryDocument] = []
    to_update: list[MandatoryDocument] = []
    seen: set[int] = set()
    for doc in catalog.documents:
        obj = MandatoryDocument(
            standard=standard,
            clause_ref=doc.clause_ref,
            what=doc.what,
            kind=doc.kind,
            condition=doc.condition,
            position=doc.position,
            retired=False,
            updated_at=now,
        )
        pk = existing.get((doc.clause_ref, doc.what))
        if pk is not None and pk not in seen:
            obj.pk = pk
            seen.add(pk)
            to_update.append(obj)
        else:
            to_create.append(obj)
    if to_create:
        MandatoryDocument.objects.bulk_create(to_create)
    if to_update:
        MandatoryDocument.objects.bulk_update(to_update, ["kind", "condition", "position", "retired", "updated_at"])
    missing = [pk for pk in existing.values() if pk not in seen]
    if missing:
        MandatoryDocument.objects.filter(pk__in=missing).update(retired=True, updated_at=now)


@transaction.atomic
def catalog_load(*, catalog: CatalogData, actor: Actor, force: bool = False) -> CatalogLoadResult:
    """Load one validated catalog: create it, update it in place when its version is newer, or skip it.

    `force` reloads even when the same or an older version is loaded. One audit-log entry per change.
    """
    _require_catalog_admin(actor)
    now = timezone.now()
    standard = Standard.objects.select_for_update().filter(code=catalog.code).first()
    clauses, controls = catalog.count(ClauseKind.CLAUSE), catalog.count(ClauseKind.CONTROL)
    if standard is not None and standard.version >= catalog.version and not force:
        return CatalogLoadResult(standard=standard, outcome="skipped", clauses=clauses, controls=controls)
    before = None
    if standard is None:
        standard = Standard(code=catalog.code)
        outcome = "created"
    else:
        before = {"version": standard.version, "title": standard.title, "status": standard.status}
        outcome = "updated"
    standard.designation = catalog.designation
    standard.edition_year = catalog.edition_year
    standard.title = catalog.title
    standard.status = catalog.status
    standard.version = catalog.version
    standard.source = catalog.source
    standard.is_harmonized_structure = catalog.is_harmonized_structure
    standard.succession_map = catalog.succession_map
    standard.source_info = _source_info(catalog)
    standard.replaces = Standard.objects.filter(code=catalog.replaces).first() if catalog.replaces else None
    standard.save()
    retired = _write_nodes(standard, catalog, now)
    _write_documents(standard, catalog, now)
    if standard.replaces is not None:
        edition_link(new=standard, old=standard.replaces)
    # An older edition loaded after its successor: link the successor now.
    for successor in Standard.objects.filter(source_info__replaces=standard.code, replaces__isnull=True):
        successor.replaces = standard
        successor.save(update_fields=["replaces", "updated_at"])
        edition_link(new=successor, old=standard)
    audit_log_record(
        actor=actor,
        action=f"standards.catalog_{'import' if catalog.source in IMPORT_SOURCES else 'load'}",
        obj=standard,
        before=before,
        after={
            "version": standard.version,
            "source": standard.source,
            "clauses": clauses,
            "controls": controls,
            "retired": retired,
        },
    )
    return CatalogLoadResult(standard=standard, outcome=outcome, clauses=clauses, controls=controls, retired=retired)


IMPORT_SOURCES = {StandardSource.CISO_ASSISTANT, StandardSource.OSCAL}


def _source_info(catalog: CatalogData) -> dict[str, Any]:
    """The catalog's source notes plus what linking to the replaced edition needs later (it may load after)."""
    info = dict(catalog.source_info)
    if catalog.replaces:
        info["replaces"] = catalog.replaces
    if catalog.succession:
        info["succession"] = [[row.old, row.new, str(row.kind), row.place] for row in catalog.succession]
    if catalog.transition is not None:
        t = catalog.transition
        info["transition"] = {"published": t.published, "ends": t.ends, "source": t.source}
    return info


def edition_link(*, new: Standard, old: Standard) -> None:
    """Check the succession map of `new` against both editions and write its rows and its `Transition`.

    Called by `catalog_load` once both editions are loaded (whichever came first). Every problem of the map
    is reported at once (`CatalogError` with the rows' places); the caller's transaction then loads nothing.
    Queries: two reads of the clauses, one delete and one insert of the rows, the transition's upsert.
    """
    info = new.source_info or {}
    declared = [SuccessionRow(o, n, SuccessionKind(k), place) for o, n, k, place in info.get("succession", [])]
    old_ids = {
        node_key(kind, ref): pk
        for pk, kind, ref in Clause.objects.filter(standard=old, retired=False)
        .order_by("kind", "position")
        .values_list("id", "kind", "ref")
    }
    new_ids = {
        node_key(kind, ref): pk
        for pk, kind, ref in Clause.objects.filter(standard=new, retired=False)
        .order_by("kind", "position")
        .values_list("id", "kind", "ref")
    }
    rows, problems = succession_check(declared, list(old_ids), list(new_ids))
    if problems:
        raise CatalogError.several(str(info.get("succession_file") or info.get("file") or new.code), problems)
    Succession.objects.filter(standard=new).delete()
    Succession.objects.bulk_create(
        Succession(
            standard=new,
            old_clause_id=old_ids[row.old] if row.old is not None else None,
            new_clause_id=new_ids[row.new] if row.new is not None else None,
            kind=str(row.kind),
            position=position,
        )
        for position, row in enumerate(rows)
    )
    block = info.get("transition")
    if block:
        published = date.fromisoformat(block["published"])
        ends = date.fromisoformat(block["ends"]) if block.get("ends") else transition_end(published)
        Transition.objects.update_or_create(
            old_standard=old,
            new_standard=new,
            defaults={
                "published_on": published,
                "ends_on": ends,
                "source": (block.get("source") or ("" if block.get("ends") else TRANSITION_SOURCE))[:500],
            },
        )


def _source_for(path: Path | str) -> str:
    """Files in the shipped `catalogs/` directory count as shipped; any other file as loaded from a file."""
    shipped_dir = (Path(settings.BASE_DIR) / "catalogs").resolve()
    return StandardSource.SHIPPED if Path(path).resolve().parent == shipped_dir else StandardSource.FILE


def _editions_first(catalogs: list[CatalogData]) -> list[CatalogData]:
    """The batch with every replaced edition before its successor (otherwise in the given order)."""
    by_code = {c.code: c for c in catalogs}

    def depth(catalog: CatalogData, seen: frozenset[str] = frozenset()) -> int:
        parent = by_code.get(catalog.replaces or "")
        if parent is None or parent.code in seen:
            return 0
        return 1 + depth(parent, seen | {catalog.code})

    return sorted(catalogs, key=depth)


def catalog_load_file(*, path: Path | str, actor: Actor, force: bool = False) -> CatalogLoadResult:
    """Read, validate and load one catalog file (format: docs/catalog-format.md)."""
    _require_catalog_admin(actor)
    return catalog_load(catalog=catalog_read(path, source=_source_for(path)), actor=actor, force=force)


def catalog_load_shipped(*, actor: Actor, force: bool = False) -> list[CatalogLoadResult]:
    """Load every catalog shipped in `catalogs/` (idempotent: loaded versions are skipped).

    All files are validated before the first is written, and they load in one transaction.
    """
    _require_catalog_admin(actor)
    catalogs = _editions_first([catalog_read(path, source=StandardSource.SHIPPED) for path in shipped_catalog_paths()])
    with transaction.atomic():
        return [catalog_load(catalog=catalog, actor=actor, force=force) for catalog in catalogs]


def catalog_load_paths(*, paths: list[Path | str], actor: Actor, force: bool = False) -> list[CatalogLoadResult]:
    """Load the given catalog files, all or nothing: every file is validated before any is written."""
    _require_catalog_admin(actor)
    catalogs = _editions_first([catalog_read(path, source=_source_for(path)) for path in paths])
    with transaction.atomic():
        return [catalog_load(catalog=catalog, actor=actor, force=force) for catalog in catalogs]


def catalog_import(
    *,
    content: bytes,
    filename: str,
    format: str,
    actor: Actor,
    succession: bytes | None = None,
    succession_filename: str = "succession.yaml",
) -> Standard:
    """Import a CISO Assistant library (YAML) or an OSCAL catalog (JSON) beside the shipped catalogs.

    The id is derived from the source (`ciso-…`, `oscal-…`); importing the same source again updates it in
    place. A malformed file is refused whole, naming the file, the place and the reason. `succession`: a YAML
    file declaring the edition the import replaces, its succession map and transition (docs/catalog-format.md),
    checked against both editions like a catalog file's.
    """
    from conformo.standards.importers import ciso_assistant_parse, oscal_parse

    _require_catalog_admin(actor)
    parsers = {"ciso-assistant": ciso_assistant_parse, "oscal": oscal_parse}
    if format not in parsers:
        raise Conflict(f"Unknown import format '{format}': use one of {', '.join(parsers)}.")
    catalog = parsers[format](content, filename=filename)
    if succession is not None:
        catalog = succession_file_apply(catalog, succession, filename=succession_filename)
    existing = Standard.objects.filter(code=catalog.code).values_list("source", flat=True).first()
    if existing is not None and existing != catalog.source:
        raise Conflict(
            f"{filename}: the id '{catalog.code}' is already used by a {existing} catalog; nothing imported."
        )
    return catalog_load(catalog=catalog, actor=actor, force=True).standard
