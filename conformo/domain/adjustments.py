"""The factors a CB offers when it adjusts audit time (IAF MD 5), and the levels of integration (IAF MD 11).

IAF MD 5 lets the CB increase or reduce the table time for the organization's characteristics, and requires the
determination *and its justification* to be recorded and given to the client (MD 5:2015 cl. 4.4, EA FAQ 34.6).
The factors below are MD 5's typical examples in Conformo's own words (reference/cb-rules.md 2.4; the clause
number of the list is not confirmed [?]); ``other`` is any other factor the CB names in its justification.
Reductions from the table value never exceed 30 % in total (the cap is applied by ``audit_time``).

IAF MD 11 (integrated management systems) allows a reduction of at most 20 % for the level of integration,
applied after MD 5 and MD 1 (EA FAQ 37.5, 37.23, 43070). The bands of the levels below are one CB's practice
([P], cb-rules.md 4.1, one secondary source [?]): a percent outside its level's band gets a warning, not a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MD5_FACTORS_SOURCE = "IAF MD 5:2019 (factors for adjustment of audit time; clause number not confirmed [?])"
MD11_SOURCE = "IAF MD 11:2019 (integration reduction at most 20 %; EA FAQ 37.5, 37.23, 43070)"

MIN_JUSTIFICATION = 10
"""Characters a written justification needs at least: a word or two is not a justification (MD 5 asks for the
determination *and its justification* on record). The same length as a combined audit's justification."""


class Direction(StrEnum):
    """Which way a factor moves audit time."""

    INCREASE = "increase"
    DECREASE = "decrease"
    EITHER = "either"


class Md5Factor(StrEnum):
    """MD 5's typical adjustment factors (codes of ``MD5_FACTORS``)."""

    LOGISTICS = "logistics"
    LANGUAGES = "languages"
    LARGE_SITE = "large_site"
    REGULATION = "regulation"
    COMPLEX_PROCESSES = "complex_processes"
    HIGH_RISK = "high_risk"
    TEMPORARY_SITES = "temporary_sites"
    LOW_RISK = "low_risk"
    SMALL_SITE = "small_site"
    AUTOMATION = "automation"
    OFF_LOCATION_STAFF = "off_location_staff"
    MATURITY = "maturity"
    SINGLE_ACTIVITY = "single_activity"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor: its code, the direction it moves audit time, and what it means (our words)."""

    code: Md5Factor
    direction: Direction
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "direction": self.direction.value, "label": self.label}


MD5_FACTORS: tuple[Factor, ...] = (
    Factor(Md5Factor.LOGISTICS, Direction.INCREASE, "Complicated logistics: more than one building or location"),
    Factor(Md5Factor.LANGUAGES, Direction.INCREASE, "Staff speak several languages (interpreters or extra auditors)"),
    Factor(Md5Factor.LARGE_SITE, Direction.INCREASE, "Very large site for the number of personnel"),
    Factor(Md5Factor.REGULATION, Direction.INCREASE, "High degree of regulation of the activities"),
    Factor(Md5Factor.COMPLEX_PROCESSES, Direction.INCREASE, "Highly complex or unique processes or activities"),
    Factor(Md5Factor.HIGH_RISK, Direction.INCREASE, "High-risk products, processes or activities (QMS risk: high)"),
    Factor(Md5Factor.TEMPORARY_SITES, Direction.INCREASE, "Activities that need visits to temporary sites"),
    Factor(Md5Factor.LOW_RISK, Direction.DECREASE, "Low-risk products, processes or activities (QMS risk: low)"),
    Factor(Md5Factor.SMALL_SITE, Direction.DECREASE, "Very small site for the number of personnel"),
    Factor(Md5Factor.AUTOMATION, Direction.DECREASE, "High level of automation"),
    Factor(
        Md5Factor.OFF_LOCATION_STAFF,
        Direction.DECREASE,
        "Staff working off location (drivers, sales staff) whose conformity can be reviewed through records",
    ),
    Factor(Md5Factor.MATURITY, Direction.DECREASE, "Maturity of the management system, or prior knowledge of it"),
    Factor(Md5Factor.SINGLE_ACTIVITY, Direction.DECREASE, "One general activity, or very few processes"),
    Factor(Md5Factor.OTHER, Direction.EITHER, "Another factor, named in the justification"),
)
"""MD 5's typical factors, increases first; ``other`` may go either way."""

FACTORS_BY_CODE: dict[str, Factor] = {factor.code.value: factor for factor in MD5_FACTORS}


class IntegrationLevel(StrEnum):
    """The level of integration of a combined audit's management systems (IAF MD 11)."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


INTEGRATION_BANDS: dict[IntegrationLevel, tuple[Decimal, Decimal]] = {
    IntegrationLevel.NONE: (Decimal(0), Decimal(0)),
    IntegrationLevel.LOW: (Decimal(0), Decimal(5)),
    IntegrationLevel.MEDIUM: (Decimal(5), Decimal(15)),
    IntegrationLevel.HIGH: (Decimal(15), Decimal(20)),
}
"""Typical reduction per level [P]/[?] (cb-rules.md 4.1): a percent outside its band gets a warning."""

INTEGRATION_LABELS: dict[IntegrationLevel, str] = {
    IntegrationLevel.NONE: "Separate systems (no integration reduction)",
    IntegrationLevel.LOW: "Low: some documents and processes shared",
    IntegrationLevel.MEDIUM: "Medium: most processes, internal audit and management review integrated",
    IntegrationLevel.HIGH: "High: one integrated system (policy, objectives, processes, audits, review)",
}


def justified(text: str) -> bool:
    """Whether ``text`` is a written justification (at least ``MIN_JUSTIFICATION`` characters, not blank)."""
    return len(text.strip()) >= MIN_JUSTIFICATION
