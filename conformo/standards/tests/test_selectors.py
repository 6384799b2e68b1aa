"""Reading the catalog: cross-standard correspondences through the Harmonized Structure, the tree, search."""

from __future__ import annotations

from typing import Any

import pytest

from conformo.standards.models import Clause, ClauseKind, Standard
from conformo.standards.selectors import (
    clause_search,
    clause_tree,
    correspondence_map,
    corresponding_clauses,
    standard_document,
    standard_get,
    standard_list,
)


def _clause(code: str, ref: str, kind: str = ClauseKind.CLAUSE) -> Clause:
    return Clause.objects.get(standard__code=code, ref=ref, kind=kind)


def _refs(clauses: list[Clause]) -> set[tuple[str, str]]:
    return {(c.standard.code, c.ref) for c in clauses}


def test_9001_continual_improvement_corresponds_to_27001_10_1_and_hs_10_1(shipped: dict[str, Standard]) -> None:
    found = corresponding_clauses(
        _clause("iso-9001-2015", "10.3"), [shipped["iso-iec-27001-2022"], shipped["harmonized-structure"]]
    )
    assert _refs(found) == {("iso-iec-27001-2022", "10.1"), ("harmonized-structure", "10.1")}


def test_the_mapping_works_backwards_and_across_every_hs_standard(shipped: dict[str, Standard]) -> None:
    found = _refs(corresponding_clauses(_clause("iso-iec-27001-2022", "10.1")))
    assert ("iso-9001-2015", "10.3") in found
    assert ("iso-22301-2019", "10.2") in found  # 22301 keeps the 2012 order: 10.2 is continual improvement
    assert ("iso-iec-27001-2022", "10.1") not in found


def test_nonconformity_maps_across_the_swapped_clause_10(shipped: dict[str, Standard]) -> None:
    found = _refs(corresponding_clauses(_clause("iso-9001-2015", "10.2")))
    assert {("iso-iec-27001-2022", "10.2"), ("iso-22301-2019", "10.1"), ("iso-22000-2018", "10.1")} <= found


def test_only_the_selected_standards_are_searched(shipped: dict[str, Standard]) -> None:
    found = corresponding_clauses(_clause("iso-9001-2015", "5.2"), [shipped["iso-14001-2015"]])
    assert _refs(found) == {("iso-14001-2015", "5.2")}
    assert corresponding_clauses(_clause("iso-9001-2015", "5.2"), []) == []


def test_a_clause_without_an_hs_link_and_an_annex_control_have_no_correspondence(shipped: dict[str, Standard]) -> None:
    assert corresponding_clauses(_clause("iso-9001-2015", "8.5.1")) == []
    assert corresponding_clauses(_clause("iso-iec-27001-2022", "5.1", ClauseKind.CONTROL)) == []


def test_retired_clauses_are_not_offered(shipped: dict[str, Standard]) -> None:
    Clause.objects.filter(standard__code="iso-14001-2015", ref="10.3").update(retired=True)
    assert ("iso-14001-2015", "10.3") not in _refs(corresponding_clauses(_clause("iso-9001-2015", "10.3")))


def test_the_correspondence_map_takes_one_query(shipped: dict[str, Standard], django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        mapping = correspondence_map(shipped["iso-9001-2015"])
    assert ("iso-iec-27001-2022", "10.1") in _refs(mapping["10.1"])


def test_the_tree_nests_children_in_order_with_clauses_before_controls(
    shipped: dict[str, Standard], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        forest = clause_tree(shipped["iso-iec-27001-2022"])
    assert [n.clause.ref for n in forest[:7]] == ["4", "5", "6", "7", "8", "9", "10"]
    assert len(forest) == 7 + 93
    assert all(n.clause.kind == ClauseKind.CONTROL for n in forest[7:])
    planning = forest[2]
    assert [c.clause.ref for c in planning.children] == ["6.1", "6.2", "6.3"]
    assert [c.clause.ref for c in planning.children[0].children] == ["6.1.1", "6.1.2", "6.1.3"]


def test_standard_list_counts_clauses_and_controls(
    shipped: dict[str, Standard], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        counts = {s.code: (s.clause_count, s.control_count) for s in standard_list()}  # type: ignore[attr-defined]
    assert counts["iso-iec-27001-2022"] == (41, 93)
    assert counts["iso-9001-2015"] == (91, 0)


def test_the_show_document_nests_every_node_under_children(shipped: dict[str, Standard]) -> None:
    document = standard_document(standard_get(code="iso-9001-2015"))
    seen = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            assert {"ref", "title", "children"} <= set(node)
            seen.append(node["ref"])
            walk(node["children"])

    walk(document["children"])
    assert len(seen) == 91
    assert document["clauses"] == 91


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("8.5.1", ("iso-9001-2015", "clause", "8.5.1")),
        ("internal audit", ("iso-9001-2015", "clause", "9.2")),
        ("A.5.7", ("iso-iec-27001-2022", "control", "5.7")),
        ("threat intel", ("iso-iec-27001-2022", "control", "5.7")),
    ],
)
def test_search_finds_clauses_by_ref_or_title(
    shipped: dict[str, Standard], q: str, expected: tuple[str, str, str]
) -> None:
    assert expected in {(c.standard.code, c.kind, c.ref) for c in clause_search(q=q)}


def test_an_annex_ref_search_returns_only_controls(shipped: dict[str, Standard]) -> None:
    assert {c.kind for c in clause_search(q="A.5.1")} == {ClauseKind.CONTROL}
    assert clause_search(q="   ") == []


@pytest.mark.parametrize(
    "q", ["iso-9001-2015:9.2", "iso-9001-2015 9.2", "ISO 9001:2015 9.2", "ISO 9001:2015 clause 9.2"]
)
def test_search_reads_a_whole_clause_reference_in_any_accepted_form(shipped: dict[str, Standard], q: str) -> None:
    found = {(c.standard.code, c.kind, c.ref) for c in clause_search(q=q)}
    assert ("iso-9001-2015", "clause", "9.2") in found
    assert ("iso-9001-2015", "clause", "9.2.1") in found
    assert {code for code, _, _ in found} == {"iso-9001-2015"}


def test_search_reads_a_whole_control_reference(shipped: dict[str, Standard]) -> None:
    found = {(c.standard.code, c.kind, c.ref) for c in clause_search(q="ISO/IEC 27001:2022 A.5.7")}
    assert found == {("iso-iec-27001-2022", "control", "5.7")}
