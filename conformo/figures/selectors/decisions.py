"""Figures of the certification decisions and certificates: decision lead times, suspensions and
withdrawals with their reasons, certificates by status and standard.

Each is one grouped query (two for the suspension list). Lead times: the database gives one row per decision
(the end of the audit it rests on, by `Max` over a join); `conformo.domain.figures.summarize` reads median, mean
and maximum from their histogram (a median in SQL is PostgreSQL-only)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, F, Max, Q

from conformo.audits.choices import AuditKind, AuditStatus
from conformo.certificates.models import Certificate
from conformo.certificates.selectors import status_read_on
from conformo.certification.models import Decision, DecisionChoice
from conformo.domain.figures import summarize
from conformo.figures.filters import FigureFilter
from conformo.figures.tables import Column, Figure, Table, plain, sum_by

STANDARD = Column("standard", "Standard", "label")
DECISION = Column("kind", "Decision", "label", "certification.Decision.kind")

#: The audit each decision's lead time is counted from: a grant from its stage 2 (or the transfer review,
#: IAF MD 2), a renewal from its recertification audit (17021-1 9.5, 9.6.3).
BASIS = {
    DecisionChoice.GRANT: [AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW],
    DecisionChoice.RENEW: [AuditKind.RECERTIFICATION],
}


def lead_times(f: FigureFilter) -> Figure:
    """Days from the end of the audit a grant or renewal rests on (stage 2, transfer review; recertification)
    to the decision, for the decisions taken in the range: count, median, mean, maximum by standard and kind."""
    decisions = Decision.objects.filter(
        certification__certification_body_id=f.cb_id,
        kind__in=list(BASIS),
        decided_on__range=(f.start, f.end),
    )
    if f.standard:
        decisions = decisions.filter(certification__standards__code=f.standard)
    # One query, one row per decision and standard: the last day of the latest completed audit the decision rests
    # on (a join and `Max`, not a subquery per decision). The days are summarised in Python over these rows —
    # one per decision, already aggregated by the database.
    audits = "certification__programmes__audits__"
    basis = Q(**{"kind": DecisionChoice.GRANT, f"{audits}kind__in": BASIS[DecisionChoice.GRANT]}) | Q(
        **{"kind": DecisionChoice.RENEW, f"{audits}kind__in": BASIS[DecisionChoice.RENEW]}
    )
    per_decision = (
        decisions.filter(
            basis,
            **{f"{audits}status": AuditStatus.COMPLETED, f"{audits}completed_on__lte": F("decided_on")},
        )
        .values("pk", "kind", "decided_on", standard=F("certification__standards__code"))
        .annotate(basis_end=Max(f"{audits}completed_on"))
        .order_by()
    )
    groups: dict[tuple[str, str], Counter[int]] = {}
    for row in per_decision:
        days = (row["decided_on"] - row["basis_end"]).days
        groups.setdefault((row["standard"], row["kind"]), Counter())[days] += 1
    rows: list[dict[str, Any]] = []
    for (standard, kind), counts in sorted(groups.items()):
        summary = summarize(counts.items())
        rows.append(
            {
                "standard": standard,
                "kind": kind,
                "decisions": summary.count,
                "median_days": summary.median,
                "mean_days": summary.mean,
                "max_days": summary.maximum,
            }
        )
    table = Table(
        "lead_times",
        "Decision lead times",
        (
            STANDARD,
            DECISION,
            Column("decisions", "Decisions", "number"),
            Column("median_days", "Median days", "number"),
            Column("mean_days", "Mean days", "number"),
            Column("max_days", "Longest (days)", "number"),
        ),
        rows,
        note="From the last day of stage 2 (a transfer review; a renewal: the recertification audit) to the "
        "decision, for the decisions taken in the range.",
    )
    return Figure(
        "lead-times",
        "Decision lead times",
        [table],
        bars=[
            (f"{STANDARD.words(row['standard'])} {DECISION.words(row['kind']).lower()}", row["median_days"])
            for row in rows
        ],
        chart_title="Median days from the audit to the decision",
        unit="days",
    )


ENDINGS = [DecisionChoice.SUSPEND, DecisionChoice.WITHDRAW]


def suspensions(f: FigureFilter) -> Figure:
    """Suspensions and withdrawals decided in the range: counts by standard, decision and reason (a reason is
    free text, 17021-1 9.6.5: the same words count together), and the list."""
    decisions = Decision.objects.filter(
        certification__certification_body_id=f.cb_id, kind__in=ENDINGS, decided_on__range=(f.start, f.end)
    )
    if f.standard:
        decisions = decisions.filter(certification__standards__code=f.standard)
    counts = plain(
        decisions.annotate(standard=F("certification__standards__code"))
        .values("standard", "kind", "reason")
        .annotate(decisions=Count("id"))
        .order_by("standard", "kind", "-decisions", "reason")
    )
    listing = plain(
        decisions.order_by("-decided_on", "-pk").values(
            "decided_on",
            "kind",
            "reason",
            decision_id=F("public_id"),
            organization=F("certification__organization__legal_name"),
        )
    )
    return Figure(
        "suspensions",
        "Suspensions and withdrawals",
        [
            Table(
                "ending_counts",
                "Suspensions and withdrawals by reason",
                (STANDARD, DECISION, Column("reason", "Reason"), Column("decisions", "Decisions", "number")),
                counts,
            ),
            Table(
                "ending_list",
                "Suspensions and withdrawals",
                (
                    Column("decided_on", "Decided on", "date"),
                    Column("organization", "Organization"),
                    DECISION,
                    Column("reason", "Reason"),
                ),
                listing,
            ),
        ],
        bars=sum_by(counts, "kind", "decisions", DECISION),
        chart_title="Suspensions and withdrawals",
        unit="",
    )


def certificates(f: FigureFilter) -> Figure:
    """The CB's certificates (current revisions) by standard and status as read on `today` — an active or
    suspended certificate past its expiry reads expired (`certificates.selectors.status_read_on`). One query;
    a certificate of several standards counts under each; imported certificates count too."""
    found = Certificate.objects.filter(certification_body_id=f.cb_id, is_current=True)
    if f.standard:
        found = found.filter(standard_links__code=f.standard)
    rows = plain(
        found.annotate(standard=F("standard_links__code"), read_status=status_read_on(f.today))
        .values("standard", "read_status")
        .annotate(certificates=Count("id"))
        .order_by("standard", "read_status")
    )
    for row in rows:
        row["status"] = row.pop("read_status")
    status = Column("status", "Status", "label", "certificates.Certificate.status")
    return Figure(
        "certificates",
        "Certificates by status",
        [
            Table(
                "certificates",
                "Certificates by standard and status",
                (STANDARD, status, Column("certificates", "Certificates", "number")),
                rows,
                note=f"Status on {f.today}; a certificate of several standards counts under each.",
            )
        ],
        bars=sum_by(rows, "status", "certificates", status),
        chart_title="Certificates by status",
        unit="",
    )
