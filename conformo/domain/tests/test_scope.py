"""The structured scope: normalizing, the subset rule of a reduction, grouping and the generated statement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain import scope
from conformo.domain.errors import InvalidInput
from conformo.domain.scope import ALL_SITES, ScopeLine

STANDARDS = ["iso-9001-2015", "iso-14001-2015", "iso-45001-2018"]
SITES = [ALL_SITES, "plant-a", "plant-b", "office"]
ACTIVITIES = ["Design of pumps", "Assembly of valves", "Maintenance services"]

lines = st.builds(
    ScopeLine,
    standard=st.sampled_from(STANDARDS),
    site=st.sampled_from(SITES),
    activity=st.sampled_from(ACTIVITIES),
    codes=st.frozensets(st.integers(1, 39), max_size=4),
)
scopes = st.lists(lines, min_size=1, max_size=8)


def test_a_line_collapses_spacing_and_reads_codes_from_text() -> None:
    made = scope.line("iso-9001-2015", "  ", "  Design   of pumps ", "18, 17")
    assert made == ScopeLine("iso-9001-2015", ALL_SITES, "Design of pumps", frozenset({17, 18}))


@pytest.mark.parametrize(
    ("activity", "codes", "code"),
    [("", "", "scope_activity_required"), ("x" * 2001, "", "scope_activity_invalid"), ("ok", "40", "iaf_code_invalid")],
)
def test_a_line_refuses_a_missing_activity_an_overlong_one_and_a_bad_code(activity: str, codes: str, code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        scope.line("iso-9001-2015", None, activity, codes)
    assert raised.value.code == code


def test_normalize_merges_lines_of_one_activity_whatever_their_case() -> None:
    merged = scope.normalize(
        [
            ScopeLine("iso-9001-2015", None, "Design of pumps", frozenset({18})),
            ScopeLine("iso-9001-2015", None, "design  of pumps", frozenset({17})),
        ]
    )
    assert merged == (ScopeLine("iso-9001-2015", None, "Design of pumps", frozenset({17, 18})),)


def test_a_line_for_one_site_is_covered_by_the_same_activity_for_all_sites() -> None:
    current = [ScopeLine("iso-9001-2015", ALL_SITES, "Design of pumps", frozenset({17, 18}))]
    assert scope.is_subset([ScopeLine("iso-9001-2015", "plant-a", "design of pumps", frozenset({18}))], current)


def test_each_part_that_is_not_covered_is_named() -> None:
    current = [ScopeLine("iso-9001-2015", "plant-a", "Design of pumps", frozenset({18}))]
    new = [
        ScopeLine("iso-14001-2015", "plant-a", "Design of pumps", frozenset()),
        ScopeLine("iso-9001-2015", "plant-b", "Design of pumps", frozenset()),
        ScopeLine("iso-9001-2015", "plant-a", "Assembly of valves", frozenset()),
        ScopeLine("iso-9001-2015", "plant-a", "Design of pumps", frozenset({18, 19})),
        ScopeLine("iso-9001-2015", ALL_SITES, "Design of pumps", frozenset()),
    ]
    gaps = scope.not_covered(new, current)
    assert sorted((gap.what, gap.line.standard, gap.line.site or "*", tuple(gap.codes)) for gap in gaps) == sorted(
        [
            ("standard", "iso-14001-2015", "plant-a", ()),
            ("site", "iso-9001-2015", "plant-b", ()),
            ("activity", "iso-9001-2015", "plant-a", ()),
            ("codes", "iso-9001-2015", "plant-a", (19,)),
            ("site", "iso-9001-2015", "*", ()),
        ]
    )
    described = [gap.describe({"iso-9001-2015": "ISO 9001:2015"}, {"plant-b": "Plant B"}) for gap in gaps]
    assert "Plant B is not in the current scope of ISO 9001:2015" in described
    assert "IAF code(s) 19 of “Design of pumps” (ISO 9001:2015, plant-a) are not in the current scope" in described


@given(current=scopes, data=st.data())
def test_any_part_of_a_scope_is_a_subset_of_it(current: list[ScopeLine], data: st.DataObject) -> None:
    kept = data.draw(st.lists(st.sampled_from(current), min_size=1))
    narrowed = []
    for item in kept:
        codes = data.draw(st.frozensets(st.sampled_from(sorted(item.codes)))) if item.codes else frozenset()
        site = (
            data.draw(st.sampled_from(SITES[1:])) if item.site is ALL_SITES and data.draw(st.booleans()) else item.site
        )
        narrowed.append(ScopeLine(item.standard, site, item.activity.upper(), codes))
    assert scope.not_covered(narrowed, current) == []


@given(current=scopes, code=st.integers(1, 39), data=st.data())
def test_a_code_the_current_scope_lacks_is_refused(current: list[ScopeLine], code: int, data: st.DataObject) -> None:
    held = frozenset().union(*(item.codes for item in current))
    if code in held:
        return
    base = data.draw(st.sampled_from(current))
    gaps = scope.not_covered([ScopeLine(base.standard, base.site, base.activity, base.codes | {code})], current)
    assert [(gap.what, gap.codes) for gap in gaps] == [("codes", frozenset({code}))]


@given(current=scopes, data=st.data())
def test_a_standard_site_or_activity_the_current_scope_lacks_is_refused(
    current: list[ScopeLine], data: st.DataObject
) -> None:
    base = data.draw(st.sampled_from(current))
    new_standard = ScopeLine("iso-27001-2022", base.site, base.activity, base.codes)
    assert [gap.what for gap in scope.not_covered([new_standard], current)] == ["standard"]
    new_activity = ScopeLine(base.standard, base.site, "Catering", base.codes)
    assert [gap.what for gap in scope.not_covered([new_activity], current)] == ["activity"]
    new_site = ScopeLine(base.standard, "warehouse", base.activity, base.codes)
    if not any(item.standard == base.standard and item.site is ALL_SITES for item in current):
        assert [gap.what for gap in scope.not_covered([new_site], current)] == ["site"]


def test_the_statement_groups_lines_by_standard_then_site_with_their_codes() -> None:
    text = scope.statement(
        [
            ScopeLine("iso-9001-2015", "b", "Assembly", frozenset({18})),
            ScopeLine("iso-9001-2015", ALL_SITES, "Design of pumps", frozenset({18, 17})),
            ScopeLine("iso-14001-2015", ALL_SITES, "Design of pumps", frozenset()),
        ],
        {"iso-9001-2015": "ISO 9001:2015", "iso-14001-2015": "ISO 14001:2015"},
        {"b": "Plant B"},
    )
    assert text == (
        "ISO 14001:2015 — all sites: Design of pumps.\n"
        "ISO 9001:2015 — all sites: Design of pumps (IAF 17, 18); Plant B: Assembly (IAF 18)."
    )


def test_too_many_lines_are_refused() -> None:
    many = [ScopeLine("iso-9001-2015", None, f"Activity {n}", frozenset()) for n in range(scope.LINES_MAX + 1)]
    with pytest.raises(InvalidInput) as raised:
        scope.normalize(many)
    assert raised.value.code == "scope_too_long"
