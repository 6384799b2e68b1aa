"""ISMS complexity (ISO/IEC 27006-1:2024 Annex C): business and IT complexity factors -> the range of the
adjustment of the Table C.1 time.

Three business factors and three IT factors are each scored 1 (low) to 3 (high). Each sum (3 to 9) gives a
category: 3-4 low, 5-6 medium, 7-9 high. The business category (row) and the IT category (column) select a
cell of the impact matrix, a range of percent by which the CB adjusts the table time; the CB chooses the
percent within the range and justifies it. Structure [N]; the factor titles and the matrix values were read from
one reproduction [?] (reference/cb-rules.md section 3). The factor labels are our words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conformo.domain.trace import TraceStep, fmt, to_json_number

SOURCE = "ISO/IEC 27006-1:2024 Annex C (business and IT complexity; impact matrix values [?])"

BUSINESS_FACTORS: tuple[tuple[str, str], ...] = (
    ("business_type", "Type of business and the regulatory requirements it is under"),
    ("processes", "Number and complexity of processes and tasks"),
    ("management_system", "How established the management system is (a new system scores high)"),
)
IT_FACTORS: tuple[tuple[str, str], ...] = (
    ("it_infrastructure", "Complexity of the IT infrastructure (platforms, networks, locations)"),
    ("outsourcing", "Dependency on outsourcing and suppliers, cloud services included"),
    ("development", "Information-system development done in house or for the organization"),
)
SCORES = (1, 2, 3)

LOW, MEDIUM, HIGH = "low", "medium", "high"

IMPACT: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    (HIGH, LOW): (Decimal(5), Decimal(20)),
    (HIGH, MEDIUM): (Decimal(10), Decimal(50)),
    (HIGH, HIGH): (Decimal(20), Decimal(100)),
    (MEDIUM, LOW): (Decimal(-10), Decimal(-5)),
    (MEDIUM, MEDIUM): (Decimal(0), Decimal(0)),
    (MEDIUM, HIGH): (Decimal(10), Decimal(50)),
    (LOW, LOW): (Decimal(-30), Decimal(-10)),
    (LOW, MEDIUM): (Decimal(-10), Decimal(-5)),
    (LOW, HIGH): (Decimal(5), Decimal(20)),
}
"""(business category, IT category) -> (lowest, highest) adjustment in percent of the Table C.1 time."""


def category(total: int) -> str:
    """The category of a sum of three scores: 3-4 low, 5-6 medium, 7-9 high."""
    if total <= 4:
        return LOW
    if total <= 6:
        return MEDIUM
    return HIGH


@dataclass(frozen=True, slots=True)
class IsmsComplexity:
    """The assessed categories and the range of adjustment they allow."""

    business: tuple[int, ...]
    it: tuple[int, ...]
    business_level: str
    it_level: str
    lowest: Decimal
    highest: Decimal

    def allows(self, percent: Decimal) -> bool:
        return self.lowest <= percent <= self.highest

    def range_text(self) -> str:
        if self.lowest == self.highest:
            return f"{fmt(self.lowest)} %"
        return f"{fmt(self.lowest)} % to {fmt(self.highest)} %"

    def as_dict(self) -> dict[str, Any]:
        return {
            "business": list(self.business),
            "it": list(self.it),
            "business_level": self.business_level,
            "it_level": self.it_level,
            "lowest_percent": to_json_number(self.lowest),
            "highest_percent": to_json_number(self.highest),
        }

    def trace(self) -> tuple[TraceStep, ...]:
        return (
            TraceStep(
                step="ISMS business complexity",
                rule=" + ".join(map(str, self.business)) + f" = {sum(self.business)} (3-4 low, 5-6 medium, 7-9 high)",
                source=SOURCE,
                value=self.business_level,
            ),
            TraceStep(
                step="ISMS IT complexity",
                rule=" + ".join(map(str, self.it)) + f" = {sum(self.it)} (3-4 low, 5-6 medium, 7-9 high)",
                source=SOURCE,
                value=self.it_level,
            ),
            TraceStep(
                step="ISMS complexity range",
                rule=f"impact matrix: business {self.business_level} x IT {self.it_level}",
                source=SOURCE,
                value=self.range_text(),
            ),
        )


def isms_complexity(business: tuple[int, ...], it: tuple[int, ...]) -> IsmsComplexity:
    """Categories and adjustment range for the scores (three of each, 1-3; checked by the caller)."""
    business_level, it_level = category(sum(business)), category(sum(it))
    lowest, highest = IMPACT[(business_level, it_level)]
    return IsmsComplexity(tuple(business), tuple(it), business_level, it_level, lowest, highest)
