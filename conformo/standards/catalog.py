"""Reading and validating catalog files (docs/catalog-format.md) into plain data, before anything touches the database.

Every refusal is a `CatalogError` naming the file, the place in it and the reason, e.g.
`iso-9001-2015.yaml: $.clauses[0].children[2].ref: duplicate clause ref '4.3' (first at $.clauses[0].children[1])`.
Importers (CISO Assistant, OSCAL) produce the same `CatalogData`, so one loader writes them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.conf import settings

from conformo.core.cleaning import (
    CONTROL_CHARACTER_MESSAGE,
    MAX_DOCUMENT_DEPTH,
    control_character_places,
    nesting_depth,
    too_deep_message,
)
from conformo.core.errors import ValidationFailed
from conformo.domain.editions import SuccessionKind, SuccessionProblem, SuccessionRow
from conformo.standards.models import ClauseKind, MandatoryDocument, StandardSource

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SCHEMA_PATH = Path(settings.BASE_DIR) / "catalogs" / "schema" / "catalog.schema.json"


class CatalogError(ValidationFailed):
    """A catalog or import file is refused: `file: place: reason`. Nothing of it is loaded."""

    default_code = "catalog_invalid"

    def __init__(self, file: str, place: str, reason: str) -> None:
        self.file = file
        self.place = place
        self.reason = reason
        super().__init__(f"{file}: {place}: {reason}", fields={place: [reason]})

    @classmethod
    def several(cls, file: str, problems: list[SuccessionProblem]) -> CatalogError:
        """One error reporting every problem: the message lists them all, `fields` maps each place to its reasons."""
        error = cls(file, problems[0].place, problems[0].reason)
        fields: dict[str, list[str]] = {}
        for problem in problems:
            fields.setdefault(problem.place, []).append(problem.reason)
        error.fields = fields
        if len(problems) > 1:
            listed = "; ".join(f"{p.place}: {p.reason}" for p in problems)
            error.message = f"{file}: {len(problems)} problems: {listed}"
            error.args = (error.message,)
        return error


@dataclass(frozen=True)
class NodeData:
    """One clause or annex control, flattened in document order; `parent_ref` is in the same kind's namespace."""

    kind: str
    ref: str
    title: str
    untitled: bool = False
    guidance: str = ""
    theme: str = ""
    hs_ref: str = ""
    parent_ref: str | None = None
    depth: int = 1
    position: int = 0


@dataclass(frozen=True)
class DocumentData:
    clause_ref: str
    what: str
    kind: str = MandatoryDocument.Kind.DOCUMENT
    condition: str = ""
    position: int = 0


@dataclass(frozen=True)
class TransitionData:
    """The new edition's publication and, when a body decided it, the transition end (else the default)."""

    published: str
    ends: str | None = None
    source: str = ""


def node_key(kind: str, ref: str) -> str:
    """A node's ref as written in succession maps: annex controls with an `A.` prefix."""
    return f"A.{ref}" if kind == ClauseKind.CONTROL else ref


@dataclass
class CatalogData:
    """A whole catalog, validated and ready for `catalog_load`."""

    code: str
    designation: str
    title: str
    version: int = 1
    edition_year: int | None = None
    status: str = "current"
    source: str = StandardSource.SHIPPED
    is_harmonized_structure: bool = False
    replaces: str | None = None
    succession_map: dict[str, str] = field(default_factory=dict)
    succession: list[SuccessionRow] = field(default_factory=list)
    transition: TransitionData | None = None
    source_info: dict[str, Any] = field(default_factory=dict)
    nodes: list[NodeData] = field(default_factory=list)
    documents: list[DocumentData] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for node in self.nodes if node.kind == kind)


@cache
def catalog_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(catalog_schema())


def yaml_parse(content: bytes | str, *, file: str) -> Any:
    """Parse YAML safely; a syntax error names the line and column. Nesting deeper than `MAX_DOCUMENT_DEPTH` and
    control characters in any string are refused (core/cleaning.py)."""
    try:
        data = yaml.load(content, Loader=SafeLoader)  # noqa: S506 - the safe loader (libyaml's when available)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "document"
        raise CatalogError(file, place, f"not valid YAML ({exc.problem or exc.context})") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(file, "document", f"not valid YAML ({exc})") from exc
    except (RecursionError, ValueError, TypeError) as exc:
        raise CatalogError(file, "document", f"not valid YAML ({exc.__class__.__name__})") from exc
    refuse_unreadable(data, file=file)
    return data


def refuse_unreadable(data: Any, *, file: str) -> None:
    """Refuse a parsed document that nests too deep or holds a control character, naming the first place."""
    if nesting_depth(data) > MAX_DOCUMENT_DEPTH:
        raise CatalogError(file, "document", too_deep_message())
    places = control_character_places(data)
    if places:
        raise CatalogError(file, f"$.{places[0]}", CONTROL_CHARACTER_MESSAGE)


def _schema_error(file: str, data: Any) -> CatalogError | None:
    errors = list(_validator().iter_errors(data))
    if not errors:
        return None
    best = jsonschema.exceptions.best_match(errors) or errors[0]
    return CatalogError(file, best.json_path, best.message)


def catalog_parse(data: Any, *, file: str, source: str = StandardSource.SHIPPED) -> CatalogData:
    """Validate a catalog document (already parsed from YAML) against the schema and its own cross-references."""
    data = _dates_as_text(data)
    error = _schema_error(file, data)
    if error:
        raise error
    nodes: list[NodeData] = []
    seen: dict[tuple[str, str], str] = {}
    position = 0

    def walk(items: list[dict[str, Any]], kind: str, parent: str | None, depth: int, path: str) -> None:
        nonlocal position
        for index, item in enumerate(items):
            place = f"{path}[{index}]"
            ref = str(item["ref"])
            key = (kind, ref)
            if key in seen:
                raise CatalogError(file, f"{place}.ref", f"duplicate {kind} ref '{ref}' (first at {seen[key]})")
            seen[key] = place
            nodes.append(
                NodeData(
                    kind=kind,
                    ref=ref,
                    title=item.get("title", ""),
                    untitled=bool(item.get("untitled", False)),
                    guidance=item.get("guidance", ""),
                    theme=item.get("theme", ""),
                    hs_ref=item.get("hs", ""),
                    parent_ref=parent,
                    depth=depth,
                    position=position,
                )
            )
            position += 1
            walk(item.get("children", []), kind, ref, depth + 1, f"{place}.children")

    walk(data["clauses"], ClauseKind.CLAUSE, None, 1, "$.clauses")
    walk(data.get("controls", []), ClauseKind.CONTROL, None, 1, "$.controls")

    themes = data.get("themes")
    if themes is not None:
        for node in nodes:
            if node.kind == ClauseKind.CONTROL and node.theme and node.theme not in themes:
                raise CatalogError(file, f"control {node.ref}", f"theme '{node.theme}' is not declared under themes")

    clause_refs = {n.ref for n in nodes if n.kind == ClauseKind.CLAUSE}
    documents: list[DocumentData] = []
    for index, doc in enumerate(data.get("mandatory_documents", [])):
        base_ref = doc["ref"].split()[0]
        if base_ref not in clause_refs:
            raise CatalogError(
                file, f"$.mandatory_documents[{index}].ref", f"clause '{base_ref}' is not in this catalog"
            )
        documents.append(
            DocumentData(
                clause_ref=doc["ref"],
                what=doc["what"],
                kind=doc.get("kind", MandatoryDocument.Kind.DOCUMENT),
                condition=doc.get("condition", ""),
                position=index,
            )
        )
    succession, succession_map = succession_parse(data, file=file, new_refs={node_key(n.kind, n.ref) for n in nodes})
    transition = transition_parse(data, file=file)

    source_info: dict[str, Any] = {"file": file}
    for key in ("edition", "sources", "themes", "hs_mapping"):
        if data.get(key) is not None:
            source_info[key] = data[key]
    if data.get("replaces"):
        source_info["replaces"] = data["replaces"]
    return CatalogData(
        code=data["id"],
        designation=data["designation"],
        title=data["title"],
        version=data["version"],
        edition_year=data.get("edition_year"),
        status=data["status"],
        source=source,
        is_harmonized_structure=bool(data.get("harmonized_structure", False)),
        replaces=data.get("replaces"),
        succession_map=succession_map,
        succession=succession,
        transition=transition,
        source_info=source_info,
        nodes=nodes,
        documents=documents,
    )


def _dates_as_text(data: Any) -> Any:
    """YAML reads an unquoted `2022-10-25` as a date: the transition block takes it as text."""
    transition = data.get("transition") if isinstance(data, dict) else None
    if isinstance(transition, dict) and any(isinstance(v, date) for v in transition.values()):
        fixed = {k: v.isoformat() if isinstance(v, date) else v for k, v in transition.items()}
        return {**data, "transition": fixed}
    return data


def _refs(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def succession_parse(
    data: dict[str, Any], *, file: str, new_refs: set[str]
) -> tuple[list[SuccessionRow], dict[str, str]]:
    """The declared succession rows (list form `succession`, or the flat `succession_map`) and the flat map of
    one-to-one renumberings kept on the standard. Refs of this edition must exist; every problem is reported.
    Refs of the replaced edition are checked when both editions are loaded (`succession_check`)."""
    rows: list[SuccessionRow] = []
    if "succession" in data and "succession_map" in data:
        raise CatalogError(file, "$.succession_map", "give either 'succession' (rows) or 'succession_map', not both")
    for old, new in data.get("succession_map", {}).items():
        place = f"$.succession_map['{old}']"
        if new is None:
            rows.append(SuccessionRow(str(old), None, SuccessionKind.REMOVED, place))
        else:
            kind = SuccessionKind.SAME if str(old) == str(new) else SuccessionKind.RENUMBERED
            rows.append(SuccessionRow(str(old), str(new), kind, place))
    for index, item in enumerate(data.get("succession", [])):
        place = f"$.succession[{index}]"
        kind = SuccessionKind(item["kind"])
        olds: list[str | None] = [*_refs(item.get("old"))] or [None]
        news: list[str | None] = [*_refs(item.get("new"))] or [None]
        rows.extend(SuccessionRow(old, new, kind, place) for old in olds for new in news)
    if rows and not data.get("replaces"):
        where = "$.succession" if "succession" in data else "$.succession_map"
        raise CatalogError(file, where, "a succession map needs 'replaces' (the previous edition's id)")
    problems = [
        SuccessionProblem(row.place, f"'{row.new}' is not in this catalog")
        for row in rows
        if row.new is not None and row.new not in new_refs
    ]
    if problems:
        raise CatalogError.several(file, problems)
    flat = {row.old: row.new for row in rows if row.kind == SuccessionKind.RENUMBERED and row.old and row.new}
    return rows, flat


def transition_parse(data: dict[str, Any], *, file: str) -> TransitionData | None:
    """The `transition` block: publication date, optional end date (default: publication + 36 months)."""
    block = data.get("transition")
    if block is None:
        return None
    if not data.get("replaces"):
        raise CatalogError(file, "$.transition", "a transition needs 'replaces' (the previous edition's id)")
    dates: dict[str, date] = {}
    for key in ("published", "ends"):
        if block.get(key) is None:
            continue
        try:
            dates[key] = date.fromisoformat(block[key])
        except ValueError:
            raise CatalogError(file, f"$.transition.{key}", f"'{block[key]}' is not a date (YYYY-MM-DD)") from None
    if "ends" in dates and dates["ends"] < dates["published"]:
        raise CatalogError(file, "$.transition.ends", "the transition cannot end before the publication")
    return TransitionData(published=block["published"], ends=block.get("ends"), source=block.get("source", ""))


SUCCESSION_KEYS = ("replaces", "transition", "succession", "succession_map")


@cache
def _succession_validator() -> jsonschema.Draft202012Validator:
    schema = catalog_schema()
    return jsonschema.Draft202012Validator(
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["replaces"],
            "properties": {key: schema["properties"][key] for key in SUCCESSION_KEYS},
            "$defs": schema["$defs"],
        }
    )


def succession_file_apply(catalog: CatalogData, content: bytes | str, *, filename: str) -> CatalogData:
    """An imported catalog (CISO Assistant, OSCAL) with the edition it replaces, its succession map and its
    transition taken from a separate YAML file holding only those keys of the catalog format
    (`replaces`, `transition`, `succession` or `succession_map`); refs are the imported catalog's own."""
    data = _dates_as_text(yaml_parse(content, file=filename))
    errors = list(_succession_validator().iter_errors(data))
    if errors:
        best = jsonschema.exceptions.best_match(errors) or errors[0]
        raise CatalogError(filename, best.json_path, best.message)
    rows, flat = succession_parse(data, file=filename, new_refs={node_key(n.kind, n.ref) for n in catalog.nodes})
    return replace(
        catalog,
        replaces=data["replaces"],
        succession=rows,
        succession_map=flat,
        transition=transition_parse(data, file=filename),
        source_info={**catalog.source_info, "succession_file": filename},
    )


def catalog_read(path: Path | str, *, source: str = StandardSource.FILE) -> CatalogData:
    """Read and validate one catalog file."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CatalogError(str(path), "file", exc.strerror or "cannot be read") from exc
    return catalog_parse(yaml_parse(content, file=path.name), file=path.name, source=source)


def shipped_catalog_paths() -> list[Path]:
    """The catalogs shipped in `catalogs/`, the Harmonized Structure first."""
    paths = sorted((Path(settings.BASE_DIR) / "catalogs").glob("*.yaml"))
    return sorted(paths, key=lambda p: (p.stem != "harmonized-structure", p.stem))
