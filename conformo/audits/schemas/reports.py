"""API schemas of the audit report (17021-1 9.4.8) and the stage 1 report (9.3.1.2): revisions, the lead
auditor's edits, a team member's section, the reason for a revision, and when a report is due."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class ReportEditIn(Schema):
    representative: str | None = Field(None, max_length=200, description="The client's representative.")
    objectives: str | None = Field(None, max_length=5000)
    criteria: str | None = Field(None, max_length=5000)
    scope: str | None = Field(None, max_length=5000, description="Sites, functions, processes audited.")
    places: str | None = Field(None, max_length=5000, description="Where and when (on site, remote).")
    deviations: str | None = Field(None, max_length=5000, description="Deviations from the audit plan and why.")
    significant_issues: str | None = Field(None, max_length=5000)
    conclusions: str | None = Field(None, max_length=10000)
    scope_appropriate: bool | None = None
    objectives_met: bool | None = None
    surveillance_review: str | None = Field(
        None, max_length=5000, description="Surveillance/recertification: complaints, changes, use of marks."
    )
    recommendation: str | None = Field(None, description="grant, continue, renew, suspend or refuse.")
    conditions: str | None = Field(None, max_length=5000)
    soa_version: str | None = Field(None, max_length=100, description="ISMS: the SoA version reviewed.")
    stage2_ready: bool | None = Field(None, description="Stage 1: the client is ready for stage 2.")
    stage2_focus: str | None = Field(None, max_length=5000, description="Stage 1: what stage 2 must cover.")


class ReportSectionIn(Schema):
    text: str = Field(..., max_length=20000, description="The member's own section; empty removes it.")


class ReportReviseIn(Schema):
    reason: str = Field(..., max_length=5000, description="Why the issued report is corrected.")


class ReportSectionOut(Schema):
    auditor_id: UUID
    name: str
    text: str


class ReportSummaryOut(Schema):
    revision: int
    kind: str
    status: str
    issued_at: datetime | None
    revision_reason: str


class ReportOut(Schema):
    id: UUID = Field(alias="public_id")
    audit_id: UUID
    kind: str
    revision: int
    status: str
    representative: str
    objectives: str
    criteria: str
    scope: str
    places: str
    deviations: str
    significant_issues: str
    conclusions: str
    scope_appropriate: bool | None
    objectives_met: bool | None
    surveillance_review: str
    recommendation: str
    conditions: str
    soa_version: str
    stage2_ready: bool | None
    stage2_focus: str
    sections: list[ReportSectionOut]
    facts: dict[str, Any] = Field(description="At issue: CB, client, dates, sites, team, findings.")
    revision_reason: str
    issued_at: datetime | None
    issued_by: str | None

    @staticmethod
    def resolve_audit_id(obj: Any) -> UUID:
        return obj.audit.public_id

    @staticmethod
    def resolve_issued_by(obj: Any) -> str | None:
        return str(obj.issued_by) if obj.issued_by else None


class ReportDueOut(Schema):
    issued: bool
    due_on: date | None = Field(description="A completed audit's report is due then (CB setting report_due_days).")
    overdue: bool
