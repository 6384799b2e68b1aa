"""Catalog pages (public): the list of standards, one standard's clause tree, and clause search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from conformo.standards.models import ClauseKind
from conformo.standards.selectors import (
    ClauseNode,
    clause_search,
    clause_tree,
    correspondence_map,
    current_transition,
    mandatory_documents,
    standard_get,
    standard_list,
    succession_links,
    transition_for,
)


def standard_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "standards/list.html", {"standards": standard_list()})


def _flatten(nodes: list[ClauseNode]) -> list[ClauseNode]:
    rows: list[ClauseNode] = []
    for node in nodes:
        rows.append(node)
        rows.extend(_flatten(node.children))
    return rows


def standard_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """The clause tree with HS links and correspondences, the annex controls by theme, the mandatory documents."""
    standard = standard_get(code=code)
    forest = clause_tree(standard)
    correspondences = correspondence_map(standard)
    clause_rows = [
        {"clause": node.clause, "others": correspondences.get(node.clause.hs_ref, []) if node.clause.hs_ref else []}
        for node in _flatten([n for n in forest if n.clause.kind == ClauseKind.CLAUSE])
    ]
    themes: dict[str, str] = standard.source_info.get("themes", {})
    controls = [node.clause for node in _flatten([n for n in forest if n.clause.kind == ClauseKind.CONTROL])]
    theme_counts: dict[str, int] = {}
    for control in controls:
        theme_counts[control.theme] = theme_counts.get(control.theme, 0) + 1
    return render(
        request,
        "standards/detail.html",
        {
            "standard": standard,
            "clause_rows": clause_rows,
            "controls": controls,
            "theme_counts": [(themes.get(key, key or "—"), count) for key, count in theme_counts.items()],
            "documents": mandatory_documents(standard),
            "transition": transition_for(standard),
            "successor": current_transition(standard),
            "replaced_by": standard.replaced_by.order_by("code").first(),
        },
    )


def standard_succession_view(request: HttpRequest, code: str) -> HttpResponse:
    """The succession map from the replaced edition to this one: every old and new clause with its kind."""
    standard = standard_get(code=code)
    links = succession_links(standard)
    kinds: dict[str, int] = {}
    for link in links:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    return render(
        request,
        "standards/succession.html",
        {"standard": standard, "links": links, "kinds": sorted(kinds.items()), "transition": transition_for(standard)},
    )


def clause_search_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "standards/search.html", {"q": q, "results": clause_search(q=q) if q else []})
