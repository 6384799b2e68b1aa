"""Figures of the CB's registers: complaints and appeals with their handling times (17021-1 9.7, 9.8), and
auditors per qualification (7.1, 7.2).

Complaints and appeals are read by the day they were received (in the range); each register is one grouped
query that gives both the count by status and the histogram of days from receipt to closing. They belong to
no standard: the standard filter does not apply to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from conformo.audits.models import Appeal, Complaint, Qualification
from conformo.domain.figures import summarize
from conformo.figures.filters import FigureFilter
from conformo.figures.tables import Column, Figure, Table, plain

REGISTER = Column("case", "Case", "label")


def _register(model: Any, f: FigureFilter) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(count by status, summary row) of the complaints or appeals received in the range."""
    grouped = (
        model.objects.filter(certification_body_id=f.cb_id, received_on__range=(f.start, f.end))
        .annotate(
            handling=ExpressionWrapper(F("closed_on") - F("received_on"), output_field=DurationField()),
        )
        .values("status", "handling")
        .annotate(cases=Count("id"))
        .order_by("status", "handling")
    )
    name = model._meta.model_name
    by_status: dict[str, int] = {}
    histogram: list[tuple[int, int]] = []
    for row in grouped:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["cases"]
        if row["handling"] is not None:
            histogram.append((row["handling"].days, row["cases"]))
    summary = summarize(histogram)
    received = sum(by_status.values())
    status_rows = [{"case": name, "status": status, "cases": cases} for status, cases in by_status.items()]
    return status_rows, {
        "case": name,
        "received": received,
        "closed": summary.count,
        "open": received - summary.count,
        "median_days": summary.median,
        "mean_days": summary.mean,
        "max_days": summary.maximum,
    }


def complaints_appeals(f: FigureFilter) -> Figure:
    complaint_status, complaint_row = _register(Complaint, f)
    appeal_status, appeal_row = _register(Appeal, f)
    summary = [complaint_row, appeal_row]
    return Figure(
        "complaints-appeals",
        "Complaints and appeals",
        [
            Table(
                "handling",
                "Complaints and appeals: received, closed, days to close",
                (
                    REGISTER,
                    Column("received", "Received", "number"),
                    Column("open", "Open", "number"),
                    Column("closed", "Closed", "number"),
                    Column("median_days", "Median days to close", "number"),
                    Column("mean_days", "Mean days to close", "number"),
                    Column("max_days", "Longest (days)", "number"),
                ),
                summary,
                note="Received in the range; days from receipt to closing of those closed.",
            ),
            Table(
                "by_status",
                "Complaints and appeals by status",
                (REGISTER, Column("status", "Status", "label"), Column("cases", "Cases", "number")),
                complaint_status + appeal_status,
            ),
        ],
        bars=[(str(REGISTER.words(row["case"])), row["received"]) for row in summary],
        chart_title="Complaints and appeals received",
        unit="",
    )


def auditors(f: FigureFilter) -> Figure:
    """Active auditors of the CB holding a qualification valid on `on`, by standard and role (one query)."""
    current = Qualification.objects.filter(
        auditor__certification_body_id=f.cb_id, auditor__active=True, valid_from__lte=f.on
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=f.on))
    if f.standard:
        current = current.filter(standard__code=f.standard)
    rows = plain(
        current.values(code=F("standard__code"), qualification=F("role"))
        .annotate(auditors=Count("auditor", distinct=True))
        .order_by("code", "qualification")
    )
    for row in rows:
        row["standard"] = row.pop("code")  # `standard` is the qualification's foreign key: no alias of that name
    standard = Column("standard", "Standard", "label")
    role = Column("qualification", "Role", "label", "audits.Qualification.role")
    return Figure(
        "auditors",
        "Auditors per qualification",
        [
            Table(
                "auditors",
                "Auditors per qualification",
                (standard, role, Column("auditors", "Auditors", "number")),
                rows,
                note=f"Active auditors with a qualification valid on {f.on}.",
            )
        ],
        bars=[
            (f"{standard.words(r['standard'])} {role.words(r['qualification']).lower()}", r["auditors"]) for r in rows
        ],
        chart_title="Auditors per qualification",
        unit="",
    )
