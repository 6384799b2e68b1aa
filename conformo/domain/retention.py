"""How long a certification body keeps its records (ISO/IEC 17021-1:2015 9.9; 8.4 confidentiality).

[N] Records are kept for at least the current certification cycle plus one full cycle (9.9, sub-clause 9.9.4
[?]; reference/cb-rules.md 8b "Retention"). A cycle is three years (a certificate's validity, 17021-1 9.1.3
and 8.2.2). Conformo reads "current cycle plus one" as: a record is kept until **two cycles (6 years)** after
the day it closed — for a record tied to a certification, the day the certification ended (withdrawn,
refused or expired); for a complaint or appeal, the day it was closed; for a declined application, the day it
was declined. Kept "until" means: on the last day of the period the record is still kept; it is due the day
after. A CB may keep records longer (a setting per kind), never shorter than the floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from conformo.domain.cycle import add_months
from conformo.domain.errors import InvalidInput

RETENTION_SOURCE = "ISO/IEC 17021-1:2015 9.9"
CYCLE_YEARS = 3
"""A certification cycle (17021-1 9.1.3: certificates are valid three years)."""
MIN_RETENTION_YEARS = 2 * CYCLE_YEARS
"""[N] The floor: the current cycle plus one full cycle, counted from the day the record closed."""
MAX_RETENTION_YEARS = 100
CERTIFICATION_ENDED = "the day the client's certification ended (withdrawn, refused or expired)"


class RetentionAction(StrEnum):
    """What happens to a record past retention."""

    ANONYMISE = "anonymise"
    """The row stays (its dates, status and numbers feed the figures); names, contacts and free text go."""
    DELETE = "delete"
    """The row and its file go; the audit log keeps the fact that it existed."""


class RecordKind(StrEnum):
    """The kinds of record a retention policy covers, with the day each closes (module docstring)."""

    APPLICATIONS = "applications"
    COMPLAINTS = "complaints"
    APPEALS = "appeals"
    FINDING_EVIDENCE = "finding_evidence"
    AUDIT_PLANS = "audit_plans"
    AUDIT_REPORTS = "audit_reports"
    FINDINGS = "findings"
    DECISIONS = "decisions"
    CERTIFICATES = "certificates"
    AGREEMENTS = "agreements"
    QUOTATIONS = "quotations"


@dataclass(frozen=True)
class KindRule:
    """The default and the allowed actions of a record kind, and the day its clock starts."""

    kind: RecordKind
    label: str
    closes: str
    actions: tuple[RetentionAction, ...]
    default_action: RetentionAction


KIND_RULES: dict[RecordKind, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule(
            RecordKind.APPLICATIONS,
            "Declined applications",
            "the day the application was declined",
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.COMPLAINTS,
            "Complaints",
            "the day the complaint was closed",
            (RetentionAction.ANONYMISE, RetentionAction.DELETE),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.APPEALS,
            "Appeals",
            "the day the appeal was closed",
            (RetentionAction.ANONYMISE, RetentionAction.DELETE),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.FINDING_EVIDENCE,
            "Uploaded evidence of findings",
            CERTIFICATION_ENDED,
            (RetentionAction.DELETE,),
            RetentionAction.DELETE,
        ),
        # The certification file (9.9; what an accreditation body samples). Anonymise only: the rows feed the
        # figures (audit days, nonconformities per audit day, decision lead times, certificates by status) and
        # are held by PROTECT keys (a decision's basis report, a certificate's decision, an appeal's decision).
        KindRule(
            RecordKind.AUDIT_PLANS,
            "Audit plans",
            CERTIFICATION_ENDED,
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.AUDIT_REPORTS,
            "Audit reports",
            CERTIFICATION_ENDED,
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.FINDINGS,
            "Findings, with their responses and verifications",
            CERTIFICATION_ENDED,
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.DECISIONS,
            "Certification decisions",
            CERTIFICATION_ENDED,
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.CERTIFICATES,
            "Certificates (superseded, expired, withdrawn)",
            "the day the revision was superseded, else the day the certification ended; an imported certificate:"
            " the day it was withdrawn or expired",
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.AGREEMENTS,
            "Certification agreements",
            CERTIFICATION_ENDED,
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
        KindRule(
            RecordKind.QUOTATIONS,
            "Quotations (fees)",
            "the day the certification ended; for a declined application, the day it was declined",
            (RetentionAction.ANONYMISE,),
            RetentionAction.ANONYMISE,
        ),
    )
}


def retention_years_refusal(years: int) -> str | None:
    """Why ``years`` cannot be a retention period (None when it can)."""
    if not isinstance(years, int) or years < MIN_RETENTION_YEARS:
        return (
            f"Records are kept at least the current cycle plus one full cycle ({RETENTION_SOURCE}): "
            f"{MIN_RETENTION_YEARS} years or more, not {years}."
        )
    if years > MAX_RETENTION_YEARS:
        return f"At most {MAX_RETENTION_YEARS} years."
    return None


def action_refusal(kind: RecordKind, action: str) -> str | None:
    """Why ``action`` cannot be taken on records of ``kind`` (None when it can)."""
    allowed = KIND_RULES[kind].actions
    if action not in allowed:
        return f"{KIND_RULES[kind].label} can be: {', '.join(a.value for a in allowed)}."
    return None


def keep_until(closed_on: date, years: int) -> date:
    """The last day a record closed on ``closed_on`` is kept (``years`` after it closed)."""
    if years < 0:
        raise InvalidInput("A retention period is not negative.", code="invalid_retention")
    return add_months(closed_on, 12 * years)


def is_due(closed_on: date | None, years: int, today: date) -> bool:
    """Whether a record is past retention on ``today`` (never while it is open)."""
    return closed_on is not None and today > keep_until(closed_on, years)


def candidates_closed_by(today: date, years: int) -> date:
    """A day such that every record due on ``today`` closed on or before it (a database filter; each candidate is
    then checked with ``is_due``, which decides at the month ends)."""
    return add_months(today, -12 * years) + timedelta(days=3)
