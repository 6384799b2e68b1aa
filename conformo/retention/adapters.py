"""What each record kind of the policy is in the database: how its closed records are found and what "anonymise"
and "delete" do to one (`records` for the registers and evidence, `file_records` for the certification file)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from conformo.domain.retention import RecordKind
from conformo.organizations.models import CertificationBody
from conformo.retention import file_records as f
from conformo.retention import records as r


@dataclass(frozen=True)
class KindAdapter:
    candidates: Callable[[CertificationBody, date, date], Iterator[r.Candidate]]
    anonymise: Callable[[Any], None] | None
    delete: Callable[[Any], None] | None


ADAPTERS: dict[RecordKind, KindAdapter] = {
    RecordKind.APPLICATIONS: KindAdapter(r._applications, r._anonymise_application, None),
    RecordKind.COMPLAINTS: KindAdapter(r._complaints, r._anonymise_complaint, r._delete),
    RecordKind.APPEALS: KindAdapter(r._appeals, r._anonymise_appeal, r._delete),
    RecordKind.FINDING_EVIDENCE: KindAdapter(r._finding_evidence, None, r._delete_with_file),
    RecordKind.AUDIT_PLANS: KindAdapter(f._audit_plans, f._anonymise_plan, None),
    RecordKind.AUDIT_REPORTS: KindAdapter(f._audit_reports, f._anonymise_report, None),
    RecordKind.FINDINGS: KindAdapter(f._findings, f._anonymise_finding, None),
    RecordKind.DECISIONS: KindAdapter(f._decisions, f._anonymise_decision, None),
    RecordKind.CERTIFICATES: KindAdapter(f._certificates, f._anonymise_certificate, None),
    RecordKind.AGREEMENTS: KindAdapter(f._agreements, f._anonymise_agreement, None),
    RecordKind.QUOTATIONS: KindAdapter(f._quotations, f._anonymise_quotation, None),
}
if set(ADAPTERS) != set(RecordKind):
    raise ImportError("Every record kind of conformo.domain.retention needs an adapter.")
