from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_code, parse_iaf_codes


@pytest.mark.parametrize(("value", "code"), [(1, 1), (39, 39), ("17", 17), (" 07 ", 7), ("039", 39)])
def test_a_code_is_a_whole_number_from_1_to_39_given_as_a_number_or_its_digits(value: object, code: int) -> None:
    assert parse_iaf_code(value) == code


@pytest.mark.parametrize(
    "value",
    [
        0,
        40,
        -1,
        "0",
        "40",
        "",
        " ",
        "+17",
        "-3",
        "17.0",
        "١٧",
        "x",
        True,
        False,
        17.0,
        None,
        "9" * 5000,
    ],
    ids=lambda value: f"{len(value)} characters" if isinstance(value, str) and len(value) > 20 else repr(value),
)
def test_anything_else_is_refused_with_the_range(value: object) -> None:
    with pytest.raises(InvalidInput, match="1 to 39") as refused:
        parse_iaf_code(value)
    assert refused.value.code == "iaf_code_invalid"
    assert refused.value.clause == "IAF ID 1"


def test_leading_zeros_are_read_however_many_there_are() -> None:
    assert parse_iaf_code("0" * 5000 + "7") == 7  # past int()'s 4300-digit limit


@pytest.mark.parametrize("value", ["17a", "28.1", "3 b", "17A"])
def test_a_sub_divided_code_is_refused_not_widened_to_the_whole_sector(value: str) -> None:
    with pytest.raises(InvalidInput, match="without sub-divisions"):
        parse_iaf_code(value)


def test_a_list_is_separated_by_commas_semicolons_or_spaces_and_comes_back_sorted_and_distinct() -> None:
    assert parse_iaf_codes("17, 18;3  17\t39") == [3, 17, 18, 39]
    assert parse_iaf_codes([30, "3", 3]) == [3, 30]
    assert parse_iaf_codes("") == []
    assert parse_iaf_codes(" , ") == []


def test_a_list_names_every_part_that_is_not_a_code() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_iaf_codes("17, 40, 17a, forty")
    assert refused.value.message.endswith("not valid: 40, 17a, forty (17a: sub-divisions are not IAF codes)")
    with pytest.raises(InvalidInput, match="not valid: 0, True"):
        parse_iaf_codes([17, 0, True])


@given(st.integers())
def test_an_integer_is_a_code_exactly_when_it_is_between_1_and_39(number: int) -> None:
    if 1 <= number <= 39:
        assert parse_iaf_code(number) == number
        assert parse_iaf_code(str(number)) == number
    else:
        with pytest.raises(InvalidInput):
            parse_iaf_code(number)
        with pytest.raises(InvalidInput):
            parse_iaf_code(str(number))


@given(st.text(max_size=8))
def test_a_text_is_a_code_only_when_it_is_ascii_digits_naming_1_to_39(text: str) -> None:
    stripped = text.strip()
    expected = stripped.isascii() and stripped.isdigit() and 1 <= int(stripped) <= 39
    try:
        code = parse_iaf_code(text)
    except InvalidInput:
        assert not expected
    else:
        assert expected
        assert code == int(stripped)


@given(st.lists(st.integers(1, 39)), st.sampled_from([",", ", ", ";", " ", "\n"]))
def test_writing_codes_as_text_and_parsing_them_gives_the_sorted_set(codes: list[int], separator: str) -> None:
    assert parse_iaf_codes(separator.join(map(str, codes))) == sorted(set(codes))


def test_no_other_module_states_the_1_to_39_bound_or_parses_sector_codes_itself() -> None:
    package = Path(__file__).resolve().parents[2]
    bound = re.compile(r"(?<!:)(<=|<|>=|>)\s*(39|40)\b|\b(39|40)\s*(<=|<|>=|>)")
    own_parse = re.compile(r"sector_codes.{0,120}(int\(|isdigit)", re.DOTALL)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "sectors.py"
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and (bound.search(text := path.read_text()) or own_parse.search(text))
    ]
    assert offenders == [], "use conformo.domain.sectors.parse_iaf_code(s)"
