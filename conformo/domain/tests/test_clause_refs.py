"""One clause-reference syntax: every accepted form reads to the same reference, which formats to one form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.clause_refs import (
    ClauseRef,
    ClauseRefError,
    format_clause_ref,
    human_clause_ref,
    parse_clause_ref,
    standard_code,
)

QMS = ClauseRef("iso-9001-2015", "9.2")
CONTROL = ClauseRef("iso-iec-27001-2022", "5.1", control=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iso-9001-2015:9.2", QMS),
        ("iso-9001-2015 9.2", QMS),
        ("  ISO-9001-2015:  9.2 ", QMS),
        ("ISO 9001:2015 9.2", QMS),
        ("ISO 9001:2015 clause 9.2", QMS),
        ("ISO 9001:2015, clause 9.2", QMS),
        ("iso-iec-27001-2022:A.5.1", CONTROL),
        ("iso-iec-27001-2022 A.5.1", CONTROL),
        ("ISO/IEC 27001:2022 A.5.1", CONTROL),
        ("ISO/IEC 27001:2022 control 5.1", CONTROL),
        ("ISO/IEC 27001:2022 control A.5.1", CONTROL),
        ("iso-iec-27001-2022:6.1.3 d)", ClauseRef("iso-iec-27001-2022", "6.1.3 d)")),
        ("harmonized-structure:4.1", ClauseRef("harmonized-structure", "4.1")),
    ],
)
def test_it_reads_every_accepted_form(text: str, expected: ClauseRef) -> None:
    assert parse_clause_ref(text) == expected


@pytest.mark.parametrize("text", ["", "9.2", "iso-9001-2015", "iso-9001-2015:", "ISO 9001 9.2", "iso-9001-2015:x.1"])
def test_it_refuses_what_is_not_a_clause_reference_and_names_the_forms(text: str) -> None:
    with pytest.raises(ClauseRefError, match=r"iso-9001-2015:9\.2"):
        parse_clause_ref(text)


def test_it_formats_the_machine_and_the_human_forms() -> None:
    assert str(QMS) == format_clause_ref("iso-9001-2015", "9.2") == "iso-9001-2015:9.2"
    assert format_clause_ref("iso-iec-27001-2022", "5.1", control=True) == "iso-iec-27001-2022:A.5.1"
    assert human_clause_ref("ISO/IEC 27001:2022", "5.1", control=True) == "ISO/IEC 27001:2022 A.5.1"
    assert standard_code("ISO/IEC 27001:2022") == "iso-iec-27001-2022"


numbers = st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=5).map(
    lambda parts: ".".join(map(str, parts))
)
items = st.one_of(st.just(""), st.sampled_from("abcdefgh").map(lambda letter: f" {letter})"))
designations = st.tuples(
    st.sampled_from(["ISO", "ISO/IEC"]), st.integers(min_value=1, max_value=99999), st.integers(1900, 2099)
).map(lambda t: f"{t[0]} {t[1]}:{t[2]}")


@given(designation=designations, number=numbers, item=items, control=st.booleans())
def test_every_form_reads_back_to_the_same_reference(designation: str, number: str, item: str, control: bool) -> None:
    ref = ClauseRef(standard_code(designation), number + item, control)
    assert parse_clause_ref(str(ref)) == ref
    assert parse_clause_ref(f"{ref.standard} {ref.number}") == ref
    assert parse_clause_ref(human_clause_ref(designation, ref.ref, control=control)) == ref
    assert str(parse_clause_ref(human_clause_ref(designation, ref.ref, control=control))) == str(ref)
