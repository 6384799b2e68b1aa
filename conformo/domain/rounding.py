"""Rounding of audit time to the nearest half day (IAF MD 5 cl. 2.2.3, as quoted in EA FAQ 38.2).

MD 5 gives 5.3 -> 5.5 and 5.2 -> 5.0 but does not say what happens to exact quarter-day ties (x.25, x.75)
[?]; Conformo's default rounds them up (towards more audit time) and the CB may choose ``down``
(``RuleSettings.half_day_ties``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from conformo.domain.errors import InvalidInput

HALF = Decimal("0.5")


class TieBreak(StrEnum):
    """What to do with a value exactly between two half days (x.25, x.75)."""

    UP = "up"
    DOWN = "down"


def round_half_day(x: Decimal | Fraction | int, ties: TieBreak = TieBreak.UP) -> Decimal:
    """Round ``x`` days to the nearest multiple of 0.5; exact ties (x.25, x.75) go ``ties`` (default up).

    Exact for ``Decimal``, ``Fraction`` and ``int`` (the arithmetic is done on fractions, never floats).
    """
    if isinstance(x, Decimal) and not x.is_finite():
        raise InvalidInput(f"cannot round {x} to a half day; give a finite number of days")
    doubled = Fraction(x) * 2
    # ties up: floor(2x + 1/2); ties down: ceil(2x - 1/2)
    halves = math.floor(doubled + Fraction(1, 2)) if ties is TieBreak.UP else math.ceil(doubled - Fraction(1, 2))
    return Decimal(halves) * HALF


def floor_half_day(x: Decimal | Fraction | int) -> Decimal:
    """The largest multiple of 0.5 not above ``x`` (exact): a share of audit time that must not exceed a limit
    (the remote days of an audit) is rounded down, never to the nearest half day."""
    if isinstance(x, Decimal) and not x.is_finite():
        raise InvalidInput(f"cannot round {x} to a half day; give a finite number of days")
    return Decimal(math.floor(Fraction(x) * 2)) * HALF
