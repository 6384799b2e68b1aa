"""The result of an audit-time determination: per site, per audit of the cycle, warnings and the trace."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conformo.domain.audit_time import StandardTime
from conformo.domain.isms_complexity import IsmsComplexity
from conformo.domain.trace import TraceStep, to_json_number


@dataclass(frozen=True, slots=True)
class DeterminationWarning:
    """Something the CB should look at; not a refusal (e.g. ``reduction_capped``: cut to the 30 % cap)."""

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class SiteTime:
    """One site's effective personnel and audit time (initial, not rounded) and the audits that visit it."""

    key: str
    name: str
    central: bool
    personnel: Decimal
    persons: int
    table_days: Decimal
    adjusted_days: Decimal
    reduction_percent: Decimal
    days: Decimal
    audits: tuple[str, ...]
    standards: tuple[StandardTime, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "central": self.central,
            "personnel": to_json_number(self.personnel),
            "persons": self.persons,
            "table_days": to_json_number(self.table_days),
            "adjusted_days": to_json_number(self.adjusted_days),
            "reduction_percent": to_json_number(self.reduction_percent),
            "days": to_json_number(self.days),
            "audits": list(self.audits),
            "standards": [standard.as_dict() for standard in self.standards],
        }


@dataclass(frozen=True, slots=True)
class AuditDays:
    """The time of one audit of the cycle: days, of which on site and remote, and the sites it visits."""

    audit: str
    days: Decimal
    onsite_days: Decimal
    remote_days: Decimal
    remote_percent: Decimal
    sites: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "audit": self.audit,
            "days": to_json_number(self.days),
            "onsite_days": to_json_number(self.onsite_days),
            "remote_days": to_json_number(self.remote_days),
            "remote_percent": to_json_number(self.remote_percent),
            "sites": list(self.sites),
        }


@dataclass(frozen=True, slots=True)
class Determination:
    """The determined audit time: per standard (one organization) or per site (multi-site), per audit of the
    cycle, with warnings and the trace that justifies every figure."""

    purpose: str
    method: str
    personnel: Decimal
    standards: tuple[StandardTime, ...]
    isms: IsmsComplexity | None
    sites: tuple[SiteTime, ...]
    minimum_samples: dict[str, int] | None
    audits: tuple[AuditDays, ...]
    initial_days: Decimal | None
    surveillance_days: Decimal | None
    recertification_days: Decimal | None
    minimum_onsite_days: Decimal | None
    warnings: tuple[DeterminationWarning, ...]
    trace: tuple[TraceStep, ...]

    @property
    def total_days(self) -> Decimal:
        """The days of every audit determined, together (the cycle's total for an initial determination)."""
        return sum((row.days for row in self.audits), Decimal(0))

    def days_of(self, audit: str) -> AuditDays | None:
        return next((row for row in self.audits if row.audit == audit), None)

    def as_dict(self) -> dict[str, Any]:
        """The stored and published shape (the trace apart: ``trace_as_list``)."""

        def number(value: Decimal | None) -> int | float | None:
            return None if value is None else to_json_number(value)

        return {
            "purpose": self.purpose,
            "method": self.method,
            "personnel": to_json_number(self.personnel),
            "standards": [standard.as_dict() for standard in self.standards],
            "isms": None if self.isms is None else self.isms.as_dict(),
            "sites": [site.as_dict() for site in self.sites],
            "minimum_samples": self.minimum_samples,
            "audits": [row.as_dict() for row in self.audits],
            "initial_days": number(self.initial_days),
            "surveillance_days": number(self.surveillance_days),
            "recertification_days": number(self.recertification_days),
            "minimum_onsite_days": number(self.minimum_onsite_days),
            "total_days": to_json_number(self.total_days),
            "warnings": [warning.as_dict() for warning in self.warnings],
        }

    def trace_as_list(self) -> list[dict[str, str]]:
        return [step.as_dict() for step in self.trace]
