"""Parsing of command-line and form text into domain values, with one-sentence errors.

These make the CLI trivial: each function turns text into a value or raises ``InvalidInput`` naming
what is valid. Dates: ``conformo.domain.cycle.parse_iso_date``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from conformo.domain.audit_time import check_standard
from conformo.domain.errors import InvalidInput


def parse_decimal(text: str, what: str) -> Decimal:
    """A finite decimal number from ``text`` (``"5.2"``, ``"-10"``), or ``InvalidInput``."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(f"{what} must be a number, got {text!r}") from None
    if not value.is_finite():
        raise InvalidInput(f"{what} must be a finite number, got {text!r}")
    return value


def parse_personnel(text: str) -> Decimal:
    """Effective personnel: a number above 0 (fractions allowed; rounded up later)."""
    value = parse_decimal(text, "personnel")
    if value <= 0:
        raise InvalidInput(f"personnel must be a number greater than 0, got {text!r}")
    return value


def parse_adjustment(text: str) -> tuple[str, Decimal]:
    """``ID=PERCENT`` (e.g. ``iso-9001-2015=-10``) into a checked standard id and a percent."""
    standard, sep, percent = text.partition("=")
    if not sep:
        raise InvalidInput(f"an adjustment is written ID=PERCENT (e.g. iso-9001-2015=-10), got {text!r}")
    check_standard(standard.strip())
    return standard.strip(), parse_decimal(percent, f"the adjustment for {standard.strip()}")


def parse_sites(text: str) -> int:
    """A number of sites: a whole number of at least 1."""
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidInput(f"the number of sites must be a whole number of at least 1, got {text!r}") from None
    if value < 1:
        raise InvalidInput(f"the number of sites must be a whole number of at least 1, got {text!r}")
    return value
