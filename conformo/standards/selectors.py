"""Reads from the catalog. The catalog holds no customer data, so every read is public.

Every function runs a fixed number of queries, whatever the size of the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from conformo.core.errors import NotFound
from conformo.domain.editions import SuccessionKind, SuccessionRow
from conformo.standards.models import Clause, ClauseKind, MandatoryDocument, Standard, Succession, Transition


def standard_list() -> QuerySet[Standard]:
    """All standards with `clause_count` and `control_count` (current nodes only), in id order."""
    return Standard.objects.annotate(
        clause_count=Count("clauses", filter=Q(clauses__kind=ClauseKind.CLAUSE, clauses__retired=False)),
        control_count=Count("clauses", filter=Q(clauses__kind=ClauseKind.CONTROL, clauses__retired=False)),
    ).order_by("code")


def standard_get(*, code: str) -> Standard:
    """One standard by its catalog id, with its counts; NotFound when there is none."""
    standard = standard_list().filter(code=code).select_related("replaces").first()
    if standard is None:
        raise NotFound(f"No standard with id '{code}'.")
    return standard


@dataclass
class ClauseNode:
    """A clause or control with its children, for rendering a tree."""

    clause: Clause
    children: list[ClauseNode] = field(default_factory=list)


def clause_tree(standard: Standard, *, kind: str | None = None, include_retired: bool = False) -> list[ClauseNode]:
    """The standard's clauses (then controls) as a forest of `ClauseNode`, in document order. One query."""
    clauses = Clause.objects.filter(standard=standard).order_by("kind", "position")
    if kind is not None:
        clauses = clauses.filter(kind=kind)
    if not include_retired:
        clauses = clauses.filter(retired=False)
    nodes: dict[int, ClauseNode] = {}
    roots: list[ClauseNode] = []
    for clause in clauses:
        node = nodes[clause.pk] = ClauseNode(clause)
        parent = nodes.get(clause.parent_id) if clause.parent_id else None
        if parent is not None:
            clause.parent = parent.clause
            parent.children.append(node)
        else:
            roots.append(node)
    # Clauses first, then annex controls.
    roots.sort(key=lambda n: (n.clause.kind != ClauseKind.CLAUSE, n.clause.position))
    return roots


def clause_get(*, standard: Standard, ref: str, kind: str = ClauseKind.CLAUSE) -> Clause:
    clause = Clause.objects.filter(standard=standard, kind=kind, ref=ref).select_related("standard").first()
    if clause is None:
        raise NotFound(f"{standard.designation} has no {kind} '{ref}'.")
    return clause


def corresponding_clauses(clause: Clause, standards: Iterable[Standard] | None = None) -> list[Clause]:
    """Clauses of the other `standards` (all standards when None) that implement the same Harmonized Structure clause.

    E.g. ISO 9001:2015 10.3 → ISO/IEC 27001:2022 10.1 and HS 10.1. A clause without an HS link has none.
    """
    if not clause.hs_ref:
        return []
    matches = Clause.objects.filter(kind=ClauseKind.CLAUSE, hs_ref=clause.hs_ref, retired=False).exclude(
        standard_id=clause.standard_id
    )
    if standards is not None:
        matches = matches.filter(standard__in=[s.pk for s in standards])
    return list(matches.select_related("standard").order_by("standard__code", "position"))


def correspondence_map(standard: Standard, standards: Iterable[Standard] | None = None) -> dict[str, list[Clause]]:
    """For every HS-linked clause of `standard`: hs_ref → the corresponding clauses elsewhere. One query."""
    hs_refs = Clause.objects.filter(standard=standard, retired=False).exclude(hs_ref="").values("hs_ref")
    others = (
        Clause.objects.filter(kind=ClauseKind.CLAUSE, retired=False, hs_ref__in=hs_refs)
        .exclude(standard=standard)
        .select_related("standard")
        .order_by("standard__code", "position")
    )
    if standards is not None:
        others = others.filter(standard__in=[s.pk for s in standards])
    result: dict[str, list[Clause]] = {}
    for other in others:
        result.setdefault(other.hs_ref, []).append(other)
    return result


def clause_filter(clauses: QuerySet[Clause], q: str) -> QuerySet[Clause]:
    """`clauses` whose ref starts with `q` or whose title contains it; `A.5.1` matches Annex controls only.
    An empty `q` keeps them all."""
    q = q.strip()
    if not q:
        return clauses
    if q[:2].upper() == "A." and len(q) > 2:
        return clauses.filter(kind=ClauseKind.CONTROL, ref__startswith=q[2:])
    return clauses.filter(Q(ref__startswith=q) | Q(title__icontains=q))


def clause_search(*, q: str, standards: Iterable[Standard] | None = None, limit: int = 100) -> list[Clause]:
    """Clauses and controls whose ref starts with `q` or whose title contains it; `A.5.1` searches controls only."""
    if not q.strip():
        return []
    matches = clause_filter(Clause.objects.filter(retired=False), q)
    if standards is not None:
        matches = matches.filter(standard__in=[s.pk for s in standards])
    return list(matches.select_related("standard", "parent").order_by("standard__code", "kind", "position")[:limit])


def mandatory_documents(standard: Standard) -> QuerySet[MandatoryDocument]:
    return MandatoryDocument.objects.filter(standard=standard, retired=False).order_by("position")


def standard_summary(standard: Any) -> dict[str, Any]:
    """The `catalog list --json` item for a standard from `standard_list()`."""
    return {
        "id": standard.code,
        "designation": standard.designation,
        "title": standard.title,
        "edition": standard.edition_year,
        "status": standard.status,
        "version": standard.version,
        "source": standard.source,
        "harmonized_structure": standard.is_harmonized_structure,
        "replaces": standard.source_info.get("replaces"),
        "clauses": standard.clause_count,
        "controls": standard.control_count,
    }


def node_dict(node: ClauseNode) -> dict[str, Any]:
    """A tree node as JSON: ref, title, kind, untitled, guidance, theme, hs, children."""
    clause = node.clause
    return {
        "ref": clause.ref,
        "title": clause.title,
        "kind": clause.kind,
        "untitled": clause.untitled,
        "guidance": clause.guidance,
        "theme": clause.theme,
        "hs": clause.hs_ref,
        "children": [node_dict(child) for child in node.children],
    }


def standard_document(standard: Any) -> dict[str, Any]:
    """The `catalog show --json` document: the standard (as in `catalog list`) with its tree under `children`.

    Top-level children are clauses 4–10 and then annex controls (`kind: control`), each nesting its own children.
    """
    successor = standard.replaced_by.order_by("code").values_list("code", flat=True).first()
    return {
        **standard_summary(standard),
        "replaced_by": successor,
        "transition": transition_dict(transition_for(standard)),
        "succession_map": standard.succession_map,
        "children": [node_dict(node) for node in clause_tree(standard)],
        "mandatory_documents": [
            {"ref": d.clause_ref, "what": d.what, "kind": d.kind, "condition": d.condition}
            for d in mandatory_documents(standard)
        ],
    }


def transition_for(standard: Standard) -> Transition | None:
    """The transition *into* `standard` (it is the new edition), with both standards; None when none is recorded."""
    return (
        Transition.objects.filter(new_standard=standard)
        .select_related("old_standard", "new_standard")
        .order_by("-published_on")
        .first()
    )


def current_transition(old_standard: Standard) -> Transition | None:
    """The latest transition *out of* `old_standard` (its successor's), with both standards; None when none."""
    return (
        Transition.objects.filter(old_standard=old_standard)
        .select_related("old_standard", "new_standard")
        .order_by("-published_on")
        .first()
    )


@dataclass(frozen=True)
class SuccessionLink:
    """One succession row with both clauses' ids and refs (`A.`-prefixed for controls). One query for a map."""

    kind: str
    old_id: int | None
    old_ref: str | None
    new_id: int | None
    new_ref: str | None

    def row(self) -> SuccessionRow:
        return SuccessionRow(self.old_ref, self.new_ref, SuccessionKind(self.kind))


def _key(kind: str | None, ref: str | None) -> str | None:
    if ref is None:
        return None
    return f"A.{ref}" if kind == ClauseKind.CONTROL else ref


def succession_links(standard: Standard) -> list[SuccessionLink]:
    """The complete succession map into `standard` (the new edition), in catalog order. One query."""
    rows = (
        Succession.objects.filter(standard=standard)
        .order_by("position")
        .values_list(
            "kind",
            "old_clause_id",
            "old_clause__kind",
            "old_clause__ref",
            "new_clause_id",
            "new_clause__kind",
            "new_clause__ref",
        )
    )
    return [
        SuccessionLink(kind, old_id, _key(old_kind, old_ref), new_id, _key(new_kind, new_ref))
        for kind, old_id, old_kind, old_ref, new_id, new_kind, new_ref in rows
    ]


def transition_dict(transition: Transition | None) -> dict[str, Any] | None:
    """A transition as JSON (dates as ISO text, for `catalog show --json` too): old_standard, new_standard,
    published_on, ends_on, source."""
    if transition is None:
        return None
    return {
        "old_standard": transition.old_standard.code,
        "new_standard": transition.new_standard.code,
        "published_on": transition.published_on.isoformat(),
        "ends_on": transition.ends_on.isoformat(),
        "source": transition.source,
    }


def succession_document(standard: Standard) -> dict[str, Any]:
    """The succession map into `standard` as JSON: replaces, transition, counts by kind, rows. Two queries."""
    links = succession_links(standard)
    kinds: dict[str, int] = {}
    for link in links:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    return {
        "id": standard.code,
        "replaces": standard.replaces.code if standard.replaces_id and standard.replaces else None,
        "transition": transition_dict(transition_for(standard)),
        "kinds": kinds,
        "rows": [{"old": link.old_ref, "new": link.new_ref, "kind": link.kind} for link in links],
    }
