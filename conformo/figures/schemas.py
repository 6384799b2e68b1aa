"""Input and output of the figures API: the filter as query parameters, one output schema per figure whose
rows are the page's table rows (keys as stored; days and rates as decimal strings)."""

# No `from __future__ import annotations`: ninja resolves query types at import time.

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema


class FigureQuery(Schema):
    year: int | None = Field(None, ge=1900, le=9999, description="The year (the current one by default).")
    start: date | None = Field(None, description="First day of the range (default: 1 January of `year`).")
    end: date | None = Field(None, description="Last day of the range, included (default: 31 December of `year`).")
    period: Literal["year", "quarter", "month"] = Field("quarter", description="How audit days are grouped in time.")
    standard: str | None = Field(None, max_length=100, description="A standard's catalog id, e.g. iso-9001-2015.")
    on: date | None = Field(None, description="The day auditors' qualifications are read on (default: today).")


class FiltersOut(Schema):
    start: date
    end: date
    period: str
    standard: str | None
    on: date


class AuditDaysRow(Schema):
    period: str = Field(description="2026, 2026-Q2 or 2026-05.")
    standard: str
    iaf: str = Field(description="The programme's principal IAF code (its first); '—' when it has none.")
    kind: str
    audits: int
    days: Decimal


class AuditDaysOut(Schema):
    filters: FiltersOut
    total_audits: int = Field(description="Audits completed in the range, each once.")
    total_days: Decimal = Field(
        description="Their days, each audit once (rows count an integrated audit per standard)."
    )
    rows: list[AuditDaysRow]


class CertificatesRow(Schema):
    standard: str
    status: str = Field(description="As read today: active or suspended past the expiry date reads expired.")
    certificates: int


class CertificatesOut(Schema):
    filters: FiltersOut
    rows: list[CertificatesRow]


class LeadTimeRow(Schema):
    standard: str
    kind: str = Field(description="grant or renew.")
    decisions: int
    median_days: Decimal | None
    mean_days: Decimal | None
    max_days: int | None


class LeadTimesOut(Schema):
    filters: FiltersOut
    rows: list[LeadTimeRow]


class NonconformityRow(Schema):
    standard: str
    grade: str = Field(description="major or minor.")
    count: int
    days: Decimal
    per_day: Decimal | None


class NonconformitiesOut(Schema):
    filters: FiltersOut
    rows: list[NonconformityRow]


class OverdueCountRow(Schema):
    standard: str
    kind: str
    audits: int


class OverdueAuditRow(Schema):
    audit_id: UUID
    organization: str
    kind: str
    due_by: date
    days_overdue: int
    planned_start: date | None
    status: str


class OverdueSurveillanceOut(Schema):
    filters: FiltersOut
    counts: list[OverdueCountRow]
    audits: list[OverdueAuditRow]


class EndingCountRow(Schema):
    standard: str
    kind: str = Field(description="suspend or withdraw.")
    reason: str
    decisions: int


class EndingRow(Schema):
    decision_id: UUID
    decided_on: date
    organization: str
    kind: str
    reason: str


class SuspensionsOut(Schema):
    filters: FiltersOut
    counts: list[EndingCountRow]
    decisions: list[EndingRow]


class HandlingRow(Schema):
    case: Literal["complaint", "appeal"]
    received: int
    open: int
    closed: int
    median_days: Decimal | None
    mean_days: Decimal | None
    max_days: int | None


class RegisterStatusRow(Schema):
    case: Literal["complaint", "appeal"]
    status: str
    cases: int


class ComplaintsAppealsOut(Schema):
    filters: FiltersOut
    handling: list[HandlingRow]
    by_status: list[RegisterStatusRow]


class AuditorsRow(Schema):
    standard: str
    qualification: str = Field(description="lead_auditor, auditor or technical_expert.")
    auditors: int


class AuditorsOut(Schema):
    filters: FiltersOut
    rows: list[AuditorsRow]
