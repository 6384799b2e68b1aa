from __future__ import annotations

from decimal import Decimal

import pytest

from conformo.domain.errors import InvalidInput
from conformo.domain.parsing import parse_adjustment, parse_decimal, parse_personnel, parse_sites


def test_it_parses_personnel_adjustments_and_sites() -> None:
    assert parse_personnel("5.2") == Decimal("5.2")
    assert parse_adjustment("iso-9001-2015=-10") == ("iso-9001-2015", Decimal(-10))
    assert parse_sites(" 12 ") == 12
    assert parse_decimal("+7.5", "x") == Decimal("7.5")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: parse_personnel("0"), "greater than 0"),
        (lambda: parse_personnel("abc"), "must be a number"),
        (lambda: parse_personnel("inf"), "finite"),
        (lambda: parse_adjustment("iso-9001-2015"), "ID=PERCENT"),
        (lambda: parse_adjustment("9001=5"), "supported for audit time"),
        (lambda: parse_adjustment("iso-9001-2015=ten"), "must be a number"),
        (lambda: parse_sites("0"), "at least 1"),
        (lambda: parse_sites("2.5"), "at least 1"),
    ],
)
def test_bad_text_gives_one_line_naming_what_is_valid(call: object, match: str) -> None:
    with pytest.raises(InvalidInput, match=match) as raised:
        call()  # type: ignore[operator]
    assert "\n" not in str(raised.value)
