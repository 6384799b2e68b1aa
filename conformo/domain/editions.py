"""Editions of a standard: the transition window and the succession map from one edition to the next.

Transition window: three years from the new edition's publication, the period set for the 2015 revisions
of ISO 9001 and ISO 14001 (IAF Resolution 2014-11 for ISO 14001, the IAF–ISO joint communiqué for ISO 9001;
both published 15 Sept 2015, transitions ended 15 Sept 2018) — reference/cb-rules.md §8c. An accreditation
body's or CB's later decision (e.g. IAF MD 26's 31 Oct 2025 for ISO/IEC 27001:2022) overrides the default.

Succession map: rows `old ref → new ref` with a kind. Refs are written as in the catalogs, annex controls
with an `A.` prefix (`A.5.1.1`) so they never collide with clause numbers. `succession_check` completes a
declared map (an unlisted old ref that exists with the same number in the new edition is `same`; an unreached
new ref is `new`) and reports every problem at once; `carry_plan` says what each new ref inherits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from conformo.domain.cycle import add_months
from conformo.domain.readiness import Status

#: Months from publication to the transition end (reference/cb-rules.md §8c: three years, the 2015 revisions).
TRANSITION_MONTHS = 36
TRANSITION_SOURCE = (
    "Three years from publication, as for the 2015 revisions of ISO 9001 and ISO 14001 "
    "(IAF Resolution 2014-11; IAF–ISO joint communiqué) — reference/cb-rules.md §8c"
)


def transition_end(publication: date, months: int = TRANSITION_MONTHS) -> date:
    """The default transition end: `months` calendar months after the new edition's publication."""
    return add_months(publication, months)


class SuccessionKind(StrEnum):
    SAME = "same"  # the same number, carried unchanged
    RENUMBERED = "renumbered"  # one old ref → one new ref with another number
    MERGED = "merged"  # two or more old refs → one new ref
    SPLIT = "split"  # one old ref → two or more new refs
    NEW = "new"  # a new-edition ref with no predecessor
    REMOVED = "removed"  # an old ref with no successor


ONE_TO_ONE = frozenset({SuccessionKind.SAME, SuccessionKind.RENUMBERED})


@dataclass(frozen=True, slots=True)
class SuccessionRow:
    """One row of a succession map; `place` names where it was declared (empty for implicit rows)."""

    old: str | None
    new: str | None
    kind: SuccessionKind
    place: str = ""


@dataclass(frozen=True, slots=True)
class SuccessionProblem:
    place: str
    reason: str


def _shape_problem(row: SuccessionRow) -> str | None:
    if row.kind is SuccessionKind.NEW:
        return None if row.old is None and row.new is not None else "a 'new' row names a new ref and no old ref"
    if row.kind is SuccessionKind.REMOVED:
        return None if row.new is None and row.old is not None else "a 'removed' row names an old ref and no new ref"
    if row.old is None or row.new is None:
        return f"a '{row.kind}' row needs both an old and a new ref"
    if row.kind is SuccessionKind.SAME and row.old != row.new:
        return f"'same' needs equal refs ('{row.old}' → '{row.new}'); use 'renumbered'"
    if row.kind is SuccessionKind.RENUMBERED and row.old == row.new:
        return f"'renumbered' needs different refs ('{row.old}' → '{row.new}'); use 'same'"
    return None


def succession_check(
    rows: Iterable[SuccessionRow], old_refs: Sequence[str], new_refs: Sequence[str]
) -> tuple[list[SuccessionRow], list[SuccessionProblem]]:
    """The completed map (declared rows, then implicit `same` and `new` rows) and every problem found.

    Problems: a ref missing from its edition, a row of the wrong shape, a duplicate row, an old ref both
    removed and mapped, a one-to-one row whose old ref has other targets or whose target has other sources,
    a split with fewer than two targets, a merge with fewer than two sources, a `new` ref that also has a
    predecessor, and an old ref that is neither mapped nor removed.
    """
    declared = list(rows)
    old_set, new_set = set(old_refs), set(new_refs)
    problems: list[SuccessionProblem] = []
    seen: dict[tuple[str | None, str | None], str] = {}
    targets: dict[str, list[SuccessionRow]] = {}
    sources: dict[str, list[SuccessionRow]] = {}
    for row in declared:
        shape = _shape_problem(row)
        if shape:
            problems.append(SuccessionProblem(row.place, shape))
            continue
        if row.old is not None and row.old not in old_set:
            problems.append(SuccessionProblem(row.place, f"the replaced edition has no '{row.old}'"))
        if row.new is not None and row.new not in new_set:
            problems.append(SuccessionProblem(row.place, f"this edition has no '{row.new}'"))
        key = (row.old, row.new)
        if key in seen:
            problems.append(SuccessionProblem(row.place, f"duplicate row (first at {seen[key]})"))
            continue
        seen[key] = row.place
        if row.old is not None:
            targets.setdefault(row.old, []).append(row)
        if row.new is not None:
            sources.setdefault(row.new, []).append(row)
    for row in declared:
        if _shape_problem(row) or seen.get((row.old, row.new)) != row.place:
            continue
        out = targets.get(row.old, []) if row.old is not None else []
        into = sources.get(row.new, []) if row.new is not None else []
        if row.kind is SuccessionKind.REMOVED and len(out) > 1:
            problems.append(SuccessionProblem(row.place, f"'{row.old}' is marked removed but is also mapped"))
        elif row.kind is SuccessionKind.NEW and len(into) > 1:
            problems.append(SuccessionProblem(row.place, f"'{row.new}' is marked new but also has a predecessor"))
        elif row.kind in ONE_TO_ONE:
            if len(out) > 1:
                problems.append(
                    SuccessionProblem(row.place, f"'{row.old}' is {row.kind} but has {len(out)} targets: use 'split'")
                )
            if len(into) > 1:
                problems.append(
                    SuccessionProblem(row.place, f"'{row.new}' is {row.kind} but has {len(into)} sources: use 'merged'")
                )
        elif row.kind is SuccessionKind.SPLIT and len(out) < 2:
            problems.append(SuccessionProblem(row.place, f"'{row.old}' is split but has only one target"))
        elif row.kind is SuccessionKind.MERGED and len(into) < 2:
            problems.append(SuccessionProblem(row.place, f"'{row.new}' is merged but has only one source"))
    complete = list(declared)
    for ref in old_refs:
        if ref in targets:
            continue
        if ref in new_set and ref not in sources:
            complete.append(SuccessionRow(ref, ref, SuccessionKind.SAME))
            sources[ref] = [complete[-1]]
        else:
            problems.append(
                SuccessionProblem(f"'{ref}'", f"'{ref}' of the replaced edition is neither mapped nor removed")
            )
    for ref in new_refs:
        if ref not in sources:
            complete.append(SuccessionRow(None, ref, SuccessionKind.NEW))
    return complete, problems


class CarryState(StrEnum):
    CARRIED = "carried"  # one predecessor, same or renumbered: carried over, to confirm
    REVIEW = "review"  # merged or split: fed by several old answers, or one shared with other targets
    OPEN = "open"  # new: no predecessor


@dataclass(frozen=True, slots=True)
class CarryPlan:
    """For every new ref: its state and the old refs that feed it; `dropped` are old refs without successor."""

    targets: dict[str, tuple[CarryState, tuple[str, ...]]]
    dropped: tuple[str, ...]


def carry_plan(rows: Iterable[SuccessionRow]) -> CarryPlan:
    """What each new ref inherits from a complete, valid succession map (see `succession_check`)."""
    feeds: dict[str, list[str]] = {}
    review: set[str] = set()
    dropped: list[str] = []
    for row in rows:
        if row.kind is SuccessionKind.REMOVED:
            if row.old is not None:
                dropped.append(row.old)
            continue
        if row.new is None:
            continue
        feeds.setdefault(row.new, [])
        if row.old is not None:
            feeds[row.new].append(row.old)
        if row.kind in (SuccessionKind.MERGED, SuccessionKind.SPLIT):
            review.add(row.new)
    targets: dict[str, tuple[CarryState, tuple[str, ...]]] = {}
    for new, olds in feeds.items():
        if not olds:
            state = CarryState.OPEN
        elif new in review or len(olds) > 1:
            state = CarryState.REVIEW
        else:
            state = CarryState.CARRIED
        targets[new] = (state, tuple(olds))
    return CarryPlan(targets=targets, dropped=tuple(dropped))


_PROGRESS = (Status.NOT_STARTED, Status.PLANNED, Status.PARTIAL, Status.IMPLEMENTED)


def merged_status(statuses: Sequence[str]) -> Status:
    """The status a new ref starts from when several old answers feed it (merged or split, to review).

    Not applicable only when every source is (the Statement of Applicability keeps a control out only if all
    the controls it replaces were out); otherwise the least advanced status among the applicable sources, so
    nothing reads as further along than its weakest part. No source: not started.
    """
    applicable = [Status(s) for s in statuses if s != Status.NOT_APPLICABLE]
    if not statuses:
        return Status.NOT_STARTED
    if not applicable:
        return Status.NOT_APPLICABLE
    return min(applicable, key=_PROGRESS.index)
