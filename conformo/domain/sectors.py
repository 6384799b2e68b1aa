"""IAF scope sector codes (IAF ID 1; ``reference/cb-rules.md`` section 5): the one place that says what a
sector code is, for every form, API, service and importer.

A code is a whole number from 1 to 39, written with ASCII digits (surrounding spaces and leading zeros are
fine: ``" 07 "`` is 7). Nothing else is a code: not ``"17a"`` or ``"28.1"`` (national or CB sub-divisions;
reading them as 17 or 28 would widen an accreditation or a qualification to the whole sector), not ``"+17"``
or ``"17.0"``, not a bool, not a non-ASCII digit. In a text, codes are separated by commas, semicolons or
spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from conformo.domain.errors import InvalidInput

FIRST, LAST = 1, 39
"""IAF ID 1 numbers 39 sectors."""
SOURCE = "IAF ID 1"
CODE = "iaf_code_invalid"

_SEPARATORS = re.compile(r"[,;\s]+")
_SUBDIVIDED = re.compile(r"[0-9]+\s*(?:[A-Za-z]|\.[0-9]+|\.?[A-Za-z])")


def _read(value: object) -> int | str:
    """The code, or why ``value`` is not one."""
    number: int
    if isinstance(value, bool):
        return f"{value!r} is not an IAF sector code; IAF sector codes run from {FIRST} to {LAST}"
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            if _SUBDIVIDED.fullmatch(text):
                return (
                    f"{text!r} is not an IAF sector code; IAF sector codes are whole numbers from {FIRST} to {LAST}, "
                    "without sub-divisions"
                )
            return f"{text!r} is not an IAF sector code; IAF sector codes run from {FIRST} to {LAST}"
        significant = text.lstrip("0") or "0"
        if len(significant) > 2:
            shown = significant if len(significant) <= 12 else f"{significant[:12]}…"
            return f"{shown} is not an IAF sector code; IAF sector codes run from {FIRST} to {LAST}"
        number = int(significant)
    else:
        return f"{value!r} is not an IAF sector code; IAF sector codes run from {FIRST} to {LAST}"
    if not FIRST <= number <= LAST:
        return f"{number} is not an IAF sector code; IAF sector codes run from {FIRST} to {LAST}"
    return number


def parse_iaf_code(value: object) -> int:
    """The IAF sector code ``value`` stands for (an int, or its text); ``InvalidInput`` saying why not."""
    read = _read(value)
    if isinstance(read, str):
        raise InvalidInput(read, code=CODE, clause=SOURCE)
    return read


def parse_iaf_codes(value: str | Iterable[object]) -> list[int]:
    """The distinct IAF sector codes of a list, or of a text with commas, semicolons or spaces between them,
    sorted. ``InvalidInput`` names every part that is not a code."""
    parts: Iterable[object] = [p for p in _SEPARATORS.split(value) if p] if isinstance(value, str) else value
    codes: set[int] = set()
    bad: list[str] = []
    for part in parts:
        read = _read(part)
        if isinstance(read, int):
            codes.add(read)
        else:
            bad.append(part.strip() if isinstance(part, str) else repr(part))
    if bad:
        subdivided = [part for part in bad if _SUBDIVIDED.fullmatch(part)]
        note = f" ({subdivided[0]}: sub-divisions are not IAF codes)" if subdivided else ""
        raise InvalidInput(
            f"IAF sector codes are whole numbers from {FIRST} to {LAST}; not valid: {', '.join(bad)}{note}",
            code=CODE,
            clause=SOURCE,
        )
    return sorted(codes)


NAMES: dict[int, str] = {
    1: "Agriculture, forestry and fishing",
    2: "Mining and quarrying",
    3: "Food products, beverages and tobacco",
    4: "Textiles and textile products",
    5: "Leather and leather products",
    6: "Wood and wood products",
    7: "Pulp, paper and paper products",
    8: "Publishing companies",
    9: "Printing companies",
    10: "Manufacture of coke and refined petroleum products",
    11: "Nuclear fuel",
    12: "Chemicals, chemical products and fibres",
    13: "Pharmaceuticals",
    14: "Rubber and plastic products",
    15: "Non-metallic mineral products",
    16: "Concrete, cement, lime, plaster etc.",
    17: "Basic metals and fabricated metal products",
    18: "Machinery and equipment",
    19: "Electrical and optical equipment",
    20: "Shipbuilding",
    21: "Aerospace",
    22: "Other transport equipment",
    23: "Manufacturing not elsewhere classified",
    24: "Recycling",
    25: "Electricity supply",
    26: "Gas supply",
    27: "Water supply",
    28: "Construction",
    29: "Wholesale and retail trade; repair of motor vehicles, motorcycles and personal and household goods",
    30: "Hotels and restaurants",
    31: "Transport, storage and communication",
    32: "Financial intermediation; real estate; renting",
    33: "Information technology",
    34: "Engineering services",
    35: "Other services",
    36: "Public administration",
    37: "Education",
    38: "Health and social work",
    39: "Other social services",
}
"""The sector names of IAF ID 1 (``reference/cb-rules.md`` section 5), for choice lists."""
