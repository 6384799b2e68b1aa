"""Clause references on `Clause` rows: the one machine form (`iso-9001-2015:9.2`) every answer carries, the form
people read (`ISO 9001:2015 9.2`), and the clauses named by references in any accepted form
(`conformo.domain.clause_refs`; docs/api.md, "Clause references")."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from conformo.core.errors import ValidationFailed
from conformo.domain.clause_refs import ClauseRef, ClauseRefError, format_clause_ref, human_clause_ref, parse_clause_ref
from conformo.standards.models import Clause, ClauseKind


def clause_ref(clause: Clause) -> str:
    """The machine form of the clause's reference: `iso-9001-2015:9.2`, `iso-iec-27001-2022:A.5.1`."""
    return format_clause_ref(clause.standard.code, clause.ref, control=clause.kind == ClauseKind.CONTROL)


def clause_ref_label(clause: Clause) -> str:
    """The form people read: `ISO 9001:2015 9.2`, `ISO/IEC 27001:2022 A.5.1`."""
    return human_clause_ref(clause.standard.designation, clause.ref, control=clause.kind == ClauseKind.CONTROL)


def clauses_by_refs(refs: Sequence[str | ClauseRef], *, field: str = "clauses", controls: bool = True) -> list[Clause]:
    """The current clauses (and, with `controls`, Annex A controls) named by `refs`, in their order, in one query.
    A reference no accepted form reads, or one naming no clause, is a 422 on `field` naming each."""
    wanted: list[ClauseRef] = []
    unreadable: list[str] = []
    for raw in refs:
        try:
            wanted.append(raw if isinstance(raw, ClauseRef) else parse_clause_ref(raw))
        except ClauseRefError as exc:
            unreadable.append(exc.message)
    if unreadable:
        raise ValidationFailed("A clause reference cannot be read.", fields={field: unreadable})
    query = Q(pk__in=[])
    for ref in wanted:
        kind = ClauseKind.CONTROL if ref.control else ClauseKind.CLAUSE
        query |= Q(standard__code=ref.standard, ref=ref.ref, kind=kind, retired=False)
    found = {
        format_clause_ref(c.standard.code, c.ref, control=c.kind == ClauseKind.CONTROL): c
        for c in Clause.objects.filter(query).select_related("standard")
    }
    unknown = [str(ref) for ref in wanted if str(ref) not in found or (ref.control and not controls)]
    if unknown:
        what = "clause or control" if controls else "clause"
        raise ValidationFailed(f"Unknown {what}.", fields={field: [f"Unknown: {', '.join(unknown)}."]})
    return [found[str(ref)] for ref in wanted]
