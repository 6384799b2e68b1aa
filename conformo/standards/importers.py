"""Import CISO Assistant libraries and OSCAL catalogs; export any catalog as an OSCAL catalog.

Both importers turn the file into the same `CatalogData` the YAML loader produces, validating everything
first: a refused file names the file, the place (a JSON path or a line) and the reason, and nothing of it is
loaded. OSCAL is parsed and built with compliance-trestle's pydantic models, so what we accept and what we
write is checked against the OSCAL catalog model rather than by hand.

Mapping (also in docs/catalog-format.md):

* CISO Assistant `objects.framework.requirement_nodes` → clauses: `ref_id` (else the urn's last segment)
  is the ref, `name` the title (no name → untitled), `description` the guidance, `parent_urn` the parent.
* OSCAL groups and controls (nested controls too) → clauses; the `label` property (else the id) is the ref.
  Groups carrying Conformo's `kind` property are containers (clauses / annex controls), not nodes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from conformo.core.cleaning import DocumentRefused, json_document
from conformo.standards.catalog import CatalogData, CatalogError, NodeData, refuse_unreadable, yaml_parse
from conformo.standards.models import Clause, ClauseKind, Standard, StandardSource

if TYPE_CHECKING:
    from trestle.oscal.catalog import Catalog, Control

CONFORMO_NS = "https://conformo.dev/ns/oscal"
MAX_REF = 40
MAX_TITLE = 500


def _derived_code(prefix: str, *candidates: Any) -> str:
    for candidate in candidates:
        slug = slugify(str(candidate or "").replace("/", "-").replace(":", "-").replace("_", "-"))
        if slug:
            return f"{prefix}-{slug}"[:100].rstrip("-")
    return prefix


def _check_node(file: str, place: str, ref: str, title: str) -> None:
    if not ref or len(ref) > MAX_REF or ref != ref.strip():
        raise CatalogError(file, place, f"ref '{ref}' must be 1–{MAX_REF} characters without surrounding spaces")
    if len(title) > MAX_TITLE:
        raise CatalogError(file, place, f"title is longer than {MAX_TITLE} characters")


# --- CISO Assistant ---------------------------------------------------------------------------------


def ciso_assistant_parse(content: bytes | str, *, filename: str) -> CatalogData:
    """A CISO Assistant library (YAML) → CatalogData. Refuses unknown parents, duplicate refs and bad shapes."""
    data = yaml_parse(content, file=filename)
    if not isinstance(data, dict):
        raise CatalogError(filename, "$", "expected a CISO Assistant library (a mapping with 'objects.framework')")
    objects = data.get("objects")
    framework = objects.get("framework") if isinstance(objects, dict) else None
    if not isinstance(framework, dict):
        raise CatalogError(filename, "$.objects.framework", "missing: a CISO Assistant library needs one framework")
    raw_nodes = framework.get("requirement_nodes")
    base = "$.objects.framework.requirement_nodes"
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise CatalogError(filename, base, "expected a non-empty list of requirement nodes")

    by_urn: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    refs: dict[str, str] = {}
    for index, raw in enumerate(raw_nodes):
        place = f"{base}[{index}]"
        if not isinstance(raw, dict):
            raise CatalogError(filename, place, "expected a mapping")
        urn = raw.get("urn")
        if not isinstance(urn, str) or not urn.strip():
            raise CatalogError(filename, f"{place}.urn", "missing urn")
        if urn in by_urn:
            raise CatalogError(filename, f"{place}.urn", f"duplicate urn '{urn}'")
        ref = str(raw["ref_id"]).strip() if raw.get("ref_id") not in (None, "") else urn.rsplit(":", 1)[-1]
        name = raw.get("name")
        if name is not None and not isinstance(name, str | int | float):
            raise CatalogError(filename, f"{place}.name", "expected text")
        title = str(name).strip() if name is not None else ""
        _check_node(filename, place, ref, title)
        if ref in refs:
            raise CatalogError(filename, f"{place}.ref_id", f"duplicate ref '{ref}' (first at {refs[ref]})")
        refs[ref] = place
        parent = raw.get("parent_urn")
        if parent is not None and not isinstance(parent, str):
            raise CatalogError(filename, f"{place}.parent_urn", "expected a urn")
        depth = raw.get("depth")
        if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 1):
            raise CatalogError(filename, f"{place}.depth", "expected a positive whole number")
        description = raw.get("description")
        by_urn[urn] = {
            "place": place,
            "ref": ref,
            "title": title,
            "parent": parent,
            "depth": depth,
            "guidance": str(description).strip() if description is not None else "",
        }
        order.append(urn)

    depths: dict[str, int] = {}
    for urn in order:
        node = by_urn[urn]
        chain: list[str] = []
        current: str | None = urn
        while current is not None and current not in depths:
            if current in chain:
                raise CatalogError(filename, node["place"], "parent_urn forms a cycle")
            chain.append(current)
            parent = by_urn[current]["parent"]
            if parent is not None and parent not in by_urn:
                raise CatalogError(filename, f"{by_urn[current]['place']}.parent_urn", f"unknown parent '{parent}'")
            current = parent
        level = depths[current] if current is not None else 0
        for item in reversed(chain):
            level += 1
            depths[item] = level
    for urn in order:
        node = by_urn[urn]
        if node["depth"] is not None and node["depth"] != depths[urn]:
            raise CatalogError(
                filename,
                f"{node['place']}.depth",
                f"depth {node['depth']} does not match its place in the tree ({depths[urn]})",
            )

    nodes = [
        NodeData(
            kind=ClauseKind.CLAUSE,
            ref=by_urn[urn]["ref"],
            title=by_urn[urn]["title"],
            untitled=not by_urn[urn]["title"],
            guidance=by_urn[urn]["guidance"],
            parent_ref=by_urn[by_urn[urn]["parent"]]["ref"] if by_urn[urn]["parent"] else None,
            depth=depths[urn],
            position=position,
        )
        for position, urn in enumerate(order)
    ]
    library_urn = str(data.get("urn") or framework.get("urn") or "")
    name = str(framework.get("name") or data.get("name") or framework.get("ref_id") or library_urn or filename)
    version = data.get("version")
    return CatalogData(
        code=_derived_code("ciso", library_urn.rsplit(":", 1)[-1], framework.get("ref_id"), name),
        designation=str(framework.get("ref_id") or data.get("ref_id") or name)[:100],
        title=name[:MAX_TITLE],
        version=version if isinstance(version, int) and version > 0 else 1,
        source=StandardSource.CISO_ASSISTANT,
        source_info={
            "file": filename,
            "urn": library_urn,
            "provider": data.get("provider"),
            "packager": data.get("packager"),
            "copyright": data.get("copyright"),
        },
        nodes=nodes,
    )


# --- OSCAL ------------------------------------------------------------------------------------------


def _props(item: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(Conformo-namespace props, other props) of an OSCAL object, by name."""
    ours: dict[str, str] = {}
    other: dict[str, str] = {}
    for prop in getattr(item, "props", None) or []:
        target = ours if prop.ns is not None and str(prop.ns).rstrip("/") == CONFORMO_NS else other
        target.setdefault(prop.name, prop.value)
    return ours, other


def _guidance(item: Any) -> str:
    for part in getattr(item, "parts", None) or []:
        if part.name == "guidance" and part.prose:
            return str(part.prose).strip()
    return ""


def _pydantic_place(loc: Iterable[Any]) -> str:
    place = "$.catalog"
    for part in loc:
        if isinstance(part, int):
            place += f"[{part}]"
        elif not str(part).startswith(("Group1", "Group2", "function-")):
            place += f".{str(part).replace('_', '-') if part in ('last_modified', 'oscal_version') else part}"
    return place


def oscal_parse(content: bytes | str, *, filename: str) -> CatalogData:
    """An OSCAL catalog (JSON) → CatalogData, validated with trestle's OSCAL models."""
    from pydantic import ValidationError
    from trestle.oscal.catalog import Catalog

    try:
        raw = json_document(content)
    except DocumentRefused as exc:
        raise CatalogError(filename, exc.place, exc.reason) from exc
    refuse_unreadable(raw, file=filename)
    if not isinstance(raw, dict) or not isinstance(raw.get("catalog"), dict):
        raise CatalogError(filename, "$", "not an OSCAL catalog: expected a top-level 'catalog' object")
    try:
        catalog = Catalog.model_validate(raw["catalog"])
    except ValidationError as exc:
        error = exc.errors()[0]
        raise CatalogError(
            filename, _pydantic_place(error["loc"]), f"not a valid OSCAL catalog ({error['msg']})"
        ) from exc
    except Exception as exc:  # the OSCAL library's own checks raise other errors too: one message for all
        raise CatalogError(filename, "$.catalog", f"not a valid OSCAL catalog ({exc.__class__.__name__})") from exc

    nodes: list[NodeData] = []
    seen: dict[tuple[str, str], str] = {}

    def add(item: Any, place: str, kind: str, parent: str | None, depth: int) -> str:
        ours, other = _props(item)
        ref = other.get("label") or ours.get("label") or item.id
        if not ref:
            raise CatalogError(filename, place, "a group needs an id or a label property")
        untitled = ours.get("untitled") == "true"
        title = "" if untitled else item.title
        _check_node(filename, place, ref, title)
        if (kind, ref) in seen:
            raise CatalogError(filename, place, f"duplicate ref '{ref}' (first at {seen[(kind, ref)]})")
        seen[(kind, ref)] = place
        nodes.append(
            NodeData(
                kind=kind,
                ref=ref,
                title=title,
                untitled=untitled,
                guidance=_guidance(item),
                theme=ours.get("theme", ""),
                hs_ref=ours.get("hs-ref", ""),
                parent_ref=parent,
                depth=depth,
                position=len(nodes),
            )
        )
        return str(ref)

    def controls(items: list[Control] | None, place: str, kind: str, parent: str | None, depth: int) -> None:
        for index, control in enumerate(items or []):
            here = f"{place}.controls[{index}]"
            control_kind = kind if parent is not None else _props(control)[0].get("kind", kind)
            if control_kind not in ClauseKind.values:
                raise CatalogError(filename, here, f"unknown Conformo kind '{control_kind}'")
            ref = add(control, here, control_kind, parent, depth)
            controls(control.controls, here, control_kind, ref, depth + 1)

    def groups(items: list[Any] | None, place: str, parent: str | None, depth: int) -> None:
        for index, group in enumerate(items or []):
            here = f"{place}.groups[{index}]"
            container = _props(group)[0].get("kind")
            if container is not None and parent is None:
                if container not in ClauseKind.values:
                    raise CatalogError(filename, here, f"unknown Conformo kind '{container}'")
                controls(getattr(group, "controls", None), here, container, None, 1)
                groups(getattr(group, "groups", None), here, None, 1)
                continue
            ref = add(group, here, ClauseKind.CLAUSE, parent, depth)
            controls(getattr(group, "controls", None), here, ClauseKind.CLAUSE, ref, depth + 1)
            groups(getattr(group, "groups", None), here, ref, depth + 1)

    groups(catalog.groups, "$.catalog", None, 1)
    controls(catalog.controls, "$.catalog", ClauseKind.CLAUSE, None, 1)
    if not nodes:
        raise CatalogError(filename, "$.catalog", "the catalog has no groups or controls")
    if not any(node.kind == ClauseKind.CLAUSE for node in nodes):
        raise CatalogError(filename, "$.catalog", "the catalog has controls but no clauses")

    meta = catalog.metadata
    ours, _ = _props(meta)
    title = meta.title
    version = meta.version
    return CatalogData(
        code=_derived_code("oscal", ours.get("catalog-id"), title),
        designation=(ours.get("designation") or title)[:100],
        title=title[:MAX_TITLE],
        version=int(version) if version.isdigit() and int(version) > 0 else 1,
        edition_year=int(ours["edition-year"]) if ours.get("edition-year", "").isdigit() else None,
        source=StandardSource.OSCAL,
        source_info={"file": filename, "oscal_uuid": str(catalog.uuid), "oscal_version": version},
        nodes=nodes,
    )


def _token(prefix: str, ref: str, used: set[str]) -> str:
    base = f"{prefix}-{re.sub(r'[^A-Za-z0-9._-]+', '-', ref).strip('-') or 'node'}"
    token, n = base, 1
    while token in used:
        n += 1
        token = f"{base}-{n}"
    used.add(token)
    return token


def oscal_export(standard: Standard) -> Catalog:
    """The standard as an OSCAL catalog (a trestle model: the document is validated against OSCAL on construction).

    Clauses 4–10 and annex controls are two groups marked with Conformo's `kind` property; each node is a
    control whose `label` is the ref and whose nested controls are its children, so the export re-imports
    with every ref and title intact.
    """
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.catalog import Catalog

    from conformo.standards.selectors import ClauseNode, clause_tree

    def prop(name: str, value: Any, ours: bool = True) -> dict[str, str]:
        return {"name": name, "ns": CONFORMO_NS, "value": str(value)} if ours else {"name": name, "value": str(value)}

    used: set[str] = set()

    def control(node: ClauseNode, parent_title: str) -> dict[str, Any]:
        clause: Clause = node.clause
        props = [prop("label", clause.ref, ours=False)]
        if clause.untitled or not clause.title:
            props.append(prop("untitled", "true"))
        if clause.theme:
            props.append(prop("theme", clause.theme))
        if clause.hs_ref:
            props.append(prop("hs-ref", clause.hs_ref))
        title = clause.title or (f"{clause.ref} ({parent_title})" if parent_title else clause.ref)
        item: dict[str, Any] = {
            "id": _token("c" if clause.kind == ClauseKind.CLAUSE else "a", clause.ref, used),
            "title": " ".join(title.split()),
            "props": props,
        }
        if clause.guidance.strip():
            item["parts"] = [{"name": "guidance", "prose": clause.guidance.strip()}]
        if node.children:
            item["controls"] = [control(child, clause.title or parent_title) for child in node.children]
        return item

    forest = clause_tree(standard)
    groups: list[dict[str, Any]] = []
    for kind, gid, label in (
        (ClauseKind.CLAUSE, "clauses", "Clauses"),
        (ClauseKind.CONTROL, "annex-controls", "Annex controls"),
    ):
        roots = [node for node in forest if node.clause.kind == kind]
        if roots:
            groups.append(
                {"id": gid, "title": label, "props": [prop("kind", kind)], "controls": [control(n, "") for n in roots]}
            )
    meta_props = [
        prop("catalog-id", standard.code),
        prop("designation", standard.designation),
        prop("status", standard.status),
    ]
    if standard.edition_year:
        meta_props.append(prop("edition-year", standard.edition_year))
    modified = standard.updated_at or datetime.now(UTC)
    document: dict[str, Any] = {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{CONFORMO_NS}/{standard.code}/{standard.version}")),
        "metadata": {
            "title": " ".join(f"{standard.designation} — {standard.title}".split()),
            "last-modified": modified.isoformat(),
            "version": str(standard.version),
            "oscal-version": OSCAL_VERSION,
            "props": meta_props,
            "remarks": "Clause numbers and titles only, with Conformo's own guidance; no text of the standard.",
        },
    }
    if groups:
        document["groups"] = groups
    return Catalog.model_validate(document)


def oscal_export_json(standard: Standard) -> str:
    """The OSCAL catalog as JSON text (`{"catalog": {...}}`)."""
    return oscal_export(standard).oscal_serialize_json(pretty=True)
