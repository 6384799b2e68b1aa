"""Figures of the audits done: audit days, nonconformities per audit day, overdue surveillance.

Each is one or two aggregate queries (`values().annotate()`); Python only adds up the rows the database
grouped. An audit counts in the range when it was *completed* in it (its `completed_on`), so that its days
and its findings fall in the same period. An integrated audit (several standards) counts its days under each
of its standards: a row says how much auditing each standard received, and the rows by standard add up to more
than the days spent (the total is given apart). The IAF code of an audit is its programme's *principal* code,
the first of its sector codes (the one the audit time was determined for); "—" when it has none."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Trunc

from conformo.audits.choices import NONCONFORMITY_GRADES, AuditKind, AuditStatus, FindingStatus
from conformo.audits.models import Audit, Finding
from conformo.domain.figures import per_day, period_label
from conformo.figures.filters import FigureFilter
from conformo.figures.tables import Column, Figure, Table, plain, sum_by

STANDARD = Column("standard", "Standard", "label")
KIND = Column("kind", "Audit kind", "label", "audits.Audit.kind")
NO_CODE = "—"


def completed_audits(f: FigureFilter) -> QuerySet[Audit]:
    """The CB's audits completed in the range (of the standard, when one is chosen)."""
    audits = Audit.objects.filter(
        programme__certification_body_id=f.cb_id,
        status=AuditStatus.COMPLETED,
        completed_on__range=(f.start, f.end),
    )
    return audits.filter(programme__standards__code=f.standard) if f.standard else audits


def audit_days(f: FigureFilter) -> Figure:
    """Audit days by period × standard × principal IAF code × audit kind (ISO/IEC 17021-1 9.1.4; what an
    accreditation body asks to plan its assessment). Two queries: the rows, and the total without counting an
    integrated audit once per standard."""
    rows = plain(
        completed_audits(f)
        .annotate(
            period_start=Trunc("completed_on", f.period.value),
            standard=F("programme__standards__code"),
            iaf=KeyTextTransform("0", "programme__sector_codes"),
        )
        .values("period_start", "standard", "iaf", "kind")
        .annotate(audits=Count("id"), days=Sum("days"))
        # Without a code last, on SQLite as on PostgreSQL (their default places of NULL differ).
        .order_by("period_start", "standard", F("iaf").asc(nulls_last=True), "kind")
    )
    for row in rows:
        start = row.pop("period_start")
        row["period"] = period_label(start if isinstance(start, date) else start.date(), f.period)
        row["iaf"] = str(row["iaf"]) if row["iaf"] else NO_CODE
    # Each audit once, however many standards it has: the sum over the audits the range selects.
    total = Audit.objects.filter(pk__in=completed_audits(f).values("pk")).aggregate(
        audits=Count("id"), days=Sum("days")
    )
    table = Table(
        "audit_days",
        "Audit days",
        (
            Column("period", "Period"),
            STANDARD,
            Column("iaf", "IAF code"),
            KIND,
            Column("audits", "Audits", "number"),
            Column("days", "Audit days", "number"),
        ),
        rows,
        note=f"{total['audits']} audits completed, {total['days'] or Decimal(0)} audit days in all (an integrated "
        "audit counts under each of its standards in the rows, once in this total).",
    )
    return Figure(
        "audit-days",
        "Audit days",
        [table],
        bars=sum_by(rows, "standard", "days", STANDARD),
        chart_title="Audit days by standard",
        unit="days",
        totals={"audits": total["audits"], "days": total["days"] or Decimal(0)},
    )


def nonconformities(f: FigureFilter) -> Figure:
    """Nonconformities (major, minor; not withdrawn) per audit day, by standard and grade, of the audits
    completed in the range: two grouped queries, the findings and the days."""
    findings = Finding.objects.filter(
        audit__in=completed_audits(f).values("pk"), grade__in=sorted(NONCONFORMITY_GRADES)
    ).exclude(status=FindingStatus.WITHDRAWN)
    counts = plain(
        findings.annotate(standard=F("audit__programme__standards__code"))
        .filter(Q(standard=f.standard) if f.standard else Q())
        .values("standard", "grade")
        .annotate(count=Count("id"))
        .order_by("standard", "grade")
    )
    days = {
        row["standard"]: row["days"]
        for row in completed_audits(f)
        .annotate(standard=F("programme__standards__code"))
        .values("standard")
        .annotate(days=Sum("days"))
        .order_by()
    }
    rows: list[dict[str, Any]] = []
    for row in counts:
        spent = days.get(row["standard"]) or Decimal(0)
        rows.append({**row, "days": spent, "per_day": per_day(row["count"], spent)})
    table = Table(
        "nonconformities",
        "Nonconformities per audit day",
        (
            STANDARD,
            Column("grade", "Grade", "label", "audits.Finding.grade"),
            Column("count", "Nonconformities", "number"),
            Column("days", "Audit days", "number"),
            Column("per_day", "Per audit day", "number"),
        ),
        rows,
        note="Of the audits completed in the range; withdrawn findings are left out.",
    )
    bars = [
        (f"{STANDARD.words(row['standard'])} {'major' if row['grade'] == 'major' else 'minor'}", row["per_day"])
        for row in rows
    ]
    return Figure(
        "nonconformities",
        "Nonconformities per audit day",
        [table],
        bars=bars,
        chart_title="Nonconformities per audit day",
        unit="",
    )


SURVEILLANCE = [AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2]
OVERDUE_LISTED = 200


def overdue_surveillance_audits(f: FigureFilter) -> QuerySet[Audit]:
    """Surveillance audits past their due date on `today` and not done, of live certifications — the rule of
    `Audit.timing` ("overdue": today after `due_by`, which `conformo.domain.cycle.cycle_dates` set: the first
    surveillance within 12 months of the decision, 17021-1 9.1.3.3) and of the suspension proposals."""
    audits = (
        Audit.objects.live(f.today)
        .filter(
            programme__certification_body_id=f.cb_id,
            programme__active=True,
            kind__in=SURVEILLANCE,
            due_by__lt=f.today,
        )
        .exclude(status__in=[AuditStatus.COMPLETED, AuditStatus.CANCELLED])
    )
    return audits.filter(programme__standards__code=f.standard) if f.standard else audits


def overdue_surveillance(f: FigureFilter, *, listed: int = OVERDUE_LISTED) -> Figure:
    """Overdue surveillance audits on `today` (not a range: it is the state today): counts by standard and kind,
    and the list, longest overdue first (the page shows the first `listed`; the downloads and the API all)."""
    audits = overdue_surveillance_audits(f)
    counts = plain(
        audits.annotate(standard=F("programme__standards__code"))
        .values("standard", "kind")
        .annotate(audits=Count("id"))
        .order_by("standard", "kind")
    )
    ordered = audits.order_by("due_by", "pk").values(
        "public_id", "kind", "due_by", "status", "planned_start", organization=F("programme__organization__legal_name")
    )
    listing = plain(ordered[:listed] if listed else ordered)
    for row in listing:
        row["days_overdue"] = (f.today - row["due_by"]).days
        row["audit_id"] = row.pop("public_id")
    return Figure(
        "overdue-surveillance",
        "Overdue surveillance",
        [
            Table(
                "overdue_counts",
                "Overdue surveillance audits by standard",
                (STANDARD, KIND, Column("audits", "Audits", "number")),
                counts,
                note=f"On {f.today}: surveillance audits past their due date and not done (17021-1 9.1.3.3).",
            ),
            Table(
                "overdue_list",
                "Overdue surveillance audits",
                (
                    Column("organization", "Organization"),
                    KIND,
                    Column("due_by", "Due by", "date"),
                    Column("days_overdue", "Days overdue", "number"),
                    Column("planned_start", "Planned start", "date"),
                    Column("status", "Status", "label", "audits.Audit.status"),
                ),
                listing,
                note=f"The {listed} longest overdue." if listed and len(listing) == listed else "",
            ),
        ],
        bars=sum_by(counts, "standard", "audits", STANDARD),
        chart_title="Overdue surveillance audits by standard",
        unit="audits",
    )
