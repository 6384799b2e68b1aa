"""Readiness rules for an organization preparing for certification: plain Python, no Django.

* **Readiness score** (docs/readiness.md): every clause or annex control answered in a gap assessment
  carries a status; each status is worth a fixed number of points::

      not started 0 · planned 0.25 · partially implemented 0.5 · implemented 1 · not applicable — excluded

  A group's score is ``100 × Σ points / number of applicable items`` (rounded to one decimal), computed
  the same way per clause group (first number of the clause, or the theme of an annex control), per
  standard and overall. A group with no applicable item has no score (``None``), never 0 or 100.
* **Internal-audit coverage** (ISO 19011 5.4.2, and clause 9.2.2 of every HS standard: the programme
  covers the whole management system): a clause is covered when an audit covered it or one of its
  parent clauses (auditing "7" covers 7.5.3.2).
* **Stage-1 readiness check** (ISO/IEC 17021-1 9.3.1.2: at stage 1 the CB reviews the documented
  information, the internal audits and the management review, and whether the client is prepared for
  stage 2): the items, and what each item needs to turn green.
* **Management-review inputs** (clause 9.3.2 of each standard, described in Conformo's own words).
* **Risk level** of a likelihood × impact matrix whose size and thresholds the organization configures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class ReadinessInputError(ValueError):
    """An input is outside what the readiness rules accept; the message says what is valid."""


class Status(StrEnum):
    """Implementation status of one clause or control in a gap assessment."""

    NOT_STARTED = "not_started"
    PLANNED = "planned"
    PARTIAL = "partial"
    IMPLEMENTED = "implemented"
    NOT_APPLICABLE = "not_applicable"


#: Points per status (see the module docstring). ``None`` = excluded from the denominator.
STATUS_POINTS: Mapping[Status, Decimal | None] = {
    Status.NOT_STARTED: Decimal(0),
    Status.PLANNED: Decimal("0.25"),
    Status.PARTIAL: Decimal("0.5"),
    Status.IMPLEMENTED: Decimal(1),
    Status.NOT_APPLICABLE: None,
}


def parse_status(value: Status | str) -> Status:
    """A ``Status`` from its value, or ``ReadinessInputError`` naming the valid values."""
    if isinstance(value, Status):
        return value
    try:
        return Status(value)
    except ValueError:
        valid = ", ".join(s.value for s in Status)
        raise ReadinessInputError(f"Unknown status {value!r}; use one of {valid}.") from None


@dataclass(frozen=True)
class ScoredItem:
    """One answered row: which standard and clause group it belongs to, and its status."""

    standard: str
    group: str
    status: Status


@dataclass(frozen=True)
class Score:
    """Points over applicable items. ``percent`` is ``None`` when nothing is applicable."""

    points: Decimal
    applicable: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        if self.applicable == 0:
            return None
        return (Decimal(100) * self.points / self.applicable).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score(statuses: Iterable[Status | str]) -> Score:
    """Score a set of statuses with the formula of the module docstring."""
    points = Decimal(0)
    applicable = total = 0
    for raw in statuses:
        status = parse_status(raw)
        total += 1
        value = STATUS_POINTS[status]
        if value is None:
            continue
        applicable += 1
        points += value
    return Score(points=points, applicable=applicable, total=total)


@dataclass(frozen=True)
class ReadinessSummary:
    """Scores overall, per standard and per (standard, clause group), in first-seen order."""

    overall: Score
    by_standard: dict[str, Score]
    by_group: dict[tuple[str, str], Score]


def readiness_summary(items: Sequence[ScoredItem]) -> ReadinessSummary:
    """Overall, per-standard and per-group scores of an assessment's items."""
    per_standard: dict[str, list[Status]] = {}
    per_group: dict[tuple[str, str], list[Status]] = {}
    for item in items:
        per_standard.setdefault(item.standard, []).append(item.status)
        per_group.setdefault((item.standard, item.group), []).append(item.status)
    return ReadinessSummary(
        overall=score(item.status for item in items),
        by_standard={key: score(values) for key, values in per_standard.items()},
        by_group={key: score(values) for key, values in per_group.items()},
    )


def clause_group(ref: str, *, theme: str = "") -> str:
    """The group a clause is reported under: its first number ("7.5.3" → "7"), or a control's theme."""
    if theme:
        return theme
    head = ref.strip().removeprefix("A.").split(".")[0]
    if not head:
        raise ReadinessInputError("A clause reference must not be empty.")
    return head


def ref_sort_key(ref: str) -> tuple[tuple[int, str], ...]:
    """Natural order of clause references: 4.2 < 4.10 < 10.1."""
    return tuple((int(part), "") if part.isdigit() else (10**6, part) for part in ref.removeprefix("A.").split("."))


def is_covered(ref: str, audited_refs: Iterable[str]) -> bool:
    """Whether an audit of `audited_refs` covered clause `ref` (itself or one of its parents)."""
    audited = set(audited_refs)
    parts = ref.split(".")
    return any(".".join(parts[:n]) in audited for n in range(1, len(parts) + 1))


def uncovered(refs: Iterable[str], audited_refs: Iterable[str]) -> list[str]:
    """The clause refs (in natural order) that no audit covered."""
    audited = set(audited_refs)
    return sorted((ref for ref in refs if not is_covered(ref, audited)), key=ref_sort_key)


# --- Management review inputs (clause 9.3.2), in Conformo's words -----------------------------------

#: Inputs every Harmonized-Structure standard asks for (HS 9.3.2 a–g).
COMMON_REVIEW_INPUTS: tuple[tuple[str, str], ...] = (
    ("previous_actions", "Status of actions from previous management reviews"),
    ("context_changes", "Changes in external and internal issues relevant to the management system"),
    ("interested_parties", "Changes in needs and expectations of interested parties"),
    ("nonconformities", "Nonconformities and corrective actions"),
    ("monitoring_results", "Monitoring and measurement results"),
    ("audit_results", "Audit results"),
    ("objectives", "Extent to which objectives have been met"),
    ("resources", "Adequacy of resources"),
    ("risk_actions", "Effectiveness of actions taken to address risks and opportunities"),
    ("improvement", "Opportunities for continual improvement"),
)

#: Inputs particular to one standard (keyed by its number), in addition to the common ones.
STANDARD_REVIEW_INPUTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "9001": (
        ("customer_satisfaction", "Customer satisfaction and feedback from relevant interested parties"),
        ("process_performance", "Process performance and conformity of products and services"),
        ("external_providers", "Performance of external providers"),
    ),
    "14001": (
        ("compliance_obligations", "Compliance obligations and the evaluation of compliance"),
        ("significant_aspects", "Significant environmental aspects"),
        ("environmental_communication", "Relevant communication from interested parties, including complaints"),
    ),
    "45001": (
        ("worker_consultation", "Results of consultation and participation of workers"),
        ("incidents", "Incidents, and the OH&S performance trends"),
        ("legal_compliance", "Legal and other requirements and the evaluation of compliance"),
    ),
    "27001": (
        ("risk_assessment", "Results of risk assessment and status of the risk treatment plan"),
        ("security_feedback", "Feedback on information security performance"),
    ),
}


def standard_number(code: str) -> str:
    """The standard's number from a catalog code: "iso-iec-27001-2022" → "27001"."""
    for part in code.replace("_", "-").split("-"):
        digits = "".join(ch for ch in part if ch.isdigit())
        if digits:
            return digits
    return code


@dataclass(frozen=True)
class ReviewInput:
    key: str
    label: str
    standards: tuple[str, ...] = field(default=())


def management_review_inputs(standard_codes: Iterable[str]) -> list[ReviewInput]:
    """The inputs a management review must consider for the given standards (common ones first)."""
    codes = list(standard_codes)
    numbers = [standard_number(code) for code in codes]
    inputs = [ReviewInput(key, label, tuple(codes)) for key, label in COMMON_REVIEW_INPUTS]
    for code, number in zip(codes, numbers, strict=True):
        inputs.extend(ReviewInput(key, label, (code,)) for key, label in STANDARD_REVIEW_INPUTS.get(number, ()))
    return inputs


# --- Stage-1 readiness check ------------------------------------------------------------------------


class Stage1Key(StrEnum):
    DOCUMENTS = "documented_information"
    INTERNAL_AUDIT = "internal_audit"
    MANAGEMENT_REVIEW = "management_review"
    MAJOR_NCS = "major_nonconformities"


@dataclass(frozen=True)
class Stage1Item:
    """One line of the stage-1 readiness check: green when nothing is missing."""

    key: Stage1Key
    label: str
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing


def stage1_check(
    *,
    documents_missing: Sequence[str],
    clauses_not_audited: Sequence[str],
    review_held: bool,
    review_inputs_missing: Sequence[str],
    open_major_ncs: Sequence[str],
) -> list[Stage1Item]:
    """What a CB checks at stage 1 (ISO/IEC 17021-1 9.3.1.2), each with what is still missing."""
    review_missing = list(review_inputs_missing) if review_held else ["No management review has been held"]
    return [
        Stage1Item(
            Stage1Key.DOCUMENTS, "Mandatory documented information exists and is approved", tuple(documents_missing)
        ),
        Stage1Item(Stage1Key.INTERNAL_AUDIT, "Internal audits have covered every clause", tuple(clauses_not_audited)),
        Stage1Item(
            Stage1Key.MANAGEMENT_REVIEW,
            "A management review took place with all required inputs",
            tuple(review_missing),
        ),
        Stage1Item(Stage1Key.MAJOR_NCS, "No open major internal nonconformity", tuple(open_major_ncs)),
    ]


# --- Risk matrix ------------------------------------------------------------------------------------


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class RiskMatrix:
    """A likelihood × impact matrix: levels 1..likelihood_levels and 1..impact_levels; a rating
    (likelihood × impact) up to ``low_max`` is low, up to ``medium_max`` medium, above it high."""

    likelihood_levels: int = 5
    impact_levels: int = 5
    low_max: int = 6
    medium_max: int = 14

    def __post_init__(self) -> None:
        if not (2 <= self.likelihood_levels <= 10 and 2 <= self.impact_levels <= 10):
            raise ReadinessInputError("A risk matrix has 2 to 10 levels of likelihood and of impact.")
        top = self.likelihood_levels * self.impact_levels
        if not (1 <= self.low_max < self.medium_max < top):
            raise ReadinessInputError(
                f"Thresholds must satisfy 1 ≤ low ({self.low_max}) < medium ({self.medium_max}) < {top}."
            )

    def level(self, likelihood: int, impact: int) -> RiskLevel:
        """The level of a rating; ``ReadinessInputError`` when a value is off the matrix."""
        if not 1 <= likelihood <= self.likelihood_levels:
            raise ReadinessInputError(f"Likelihood must be between 1 and {self.likelihood_levels}.")
        if not 1 <= impact <= self.impact_levels:
            raise ReadinessInputError(f"Impact must be between 1 and {self.impact_levels}.")
        rating = likelihood * impact
        if rating <= self.low_max:
            return RiskLevel.LOW
        if rating <= self.medium_max:
            return RiskLevel.MEDIUM
        return RiskLevel.HIGH


# --- Age buckets for the dashboard ------------------------------------------------------------------

AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("< 30 days", 30),
    ("30–89 days", 90),
    ("90–179 days", 180),
    ("≥ 180 days", None),
)


def age_buckets(ages_in_days: Iterable[int]) -> list[tuple[str, int]]:
    """How many open items fall in each age bucket (label, count), youngest first."""
    counts = [0] * len(AGE_BUCKETS)
    for age in ages_in_days:
        if age < 0:
            raise ReadinessInputError("An age in days cannot be negative.")
        for index, (_, limit) in enumerate(AGE_BUCKETS):
            if limit is None or age < limit:
                counts[index] += 1
                break
    return [(label, counts[i]) for i, (label, _) in enumerate(AGE_BUCKETS)]
