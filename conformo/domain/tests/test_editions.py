"""Edition rules: the default transition end, the succession map's completion and checks, what carries."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.editions import (
    CarryState,
    SuccessionKind,
    SuccessionRow,
    carry_plan,
    merged_status,
    succession_check,
    transition_end,
)
from conformo.domain.readiness import Status

K = SuccessionKind


def test_the_default_transition_ends_three_years_after_publication_as_for_the_2015_revisions() -> None:
    assert transition_end(date(2015, 9, 15)) == date(2018, 9, 15)
    assert transition_end(date(2024, 2, 29)) == date(2027, 2, 28)
    assert transition_end(date(2026, 4, 15), months=24) == date(2028, 4, 15)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_the_transition_end_is_never_before_publication(published: date) -> None:
    assert transition_end(published) > published


def test_unlisted_refs_complete_the_map_as_same_and_new() -> None:
    rows, problems = succession_check([SuccessionRow("1", "2", K.RENUMBERED, "r0")], ["1", "3"], ["2", "3", "4"])
    assert problems == []
    assert {(r.old, r.new, r.kind) for r in rows} == {("1", "2", K.RENUMBERED), ("3", "3", K.SAME), (None, "4", K.NEW)}


def test_every_problem_is_reported_with_its_row() -> None:
    rows = [
        SuccessionRow("1", "9", K.RENUMBERED, "r0"),  # 9 is not in the new edition
        SuccessionRow("2", "2", K.RENUMBERED, "r1"),  # equal refs
        SuccessionRow("3", "4", K.SPLIT, "r2"),  # one target
        SuccessionRow("5", "4", K.MERGED, "r3"),  # with r2: 4 has two sources, fine for a merge
        SuccessionRow("6", None, K.REMOVED, "r4"),
        SuccessionRow("6", "7", K.RENUMBERED, "r5"),  # removed and mapped
        SuccessionRow("6", "7", K.RENUMBERED, "r6"),  # duplicate
    ]
    _, problems = succession_check(rows, ["1", "2", "3", "5", "6", "8"], ["2", "4", "7"])
    places = {p.place for p in problems}
    assert {"r0", "r1", "r2", "r4", "r6", "'8'"} <= places
    assert "r3" not in places


def test_the_carry_plan_says_what_each_new_ref_inherits() -> None:
    rows = [
        SuccessionRow("a", "x", K.RENUMBERED),
        SuccessionRow("b", "y", K.MERGED),
        SuccessionRow("c", "y", K.MERGED),
        SuccessionRow("d", "z", K.SPLIT),
        SuccessionRow("d", "w", K.SPLIT),
        SuccessionRow(None, "n", K.NEW),
        SuccessionRow("e", None, K.REMOVED),
    ]
    plan = carry_plan(rows)
    assert plan.targets["x"] == (CarryState.CARRIED, ("a",))
    assert plan.targets["y"] == (CarryState.REVIEW, ("b", "c"))
    assert plan.targets["z"] == (CarryState.REVIEW, ("d",))
    assert plan.targets["n"] == (CarryState.OPEN, ())
    assert plan.dropped == ("e",)


def test_a_merged_answer_is_not_applicable_only_when_every_source_is() -> None:
    assert merged_status(["implemented", "planned"]) == Status.PLANNED
    assert merged_status(["not_applicable", "implemented"]) == Status.IMPLEMENTED
    assert merged_status(["not_applicable", "not_applicable"]) == Status.NOT_APPLICABLE
    assert merged_status([]) == Status.NOT_STARTED
