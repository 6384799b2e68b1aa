"""The figures under /api/v1/certification-bodies/{id}/figures/: the same numbers as the pages (the same
`Figure`), for the CB's administrators and programme managers. A CB the caller is not a member of is a 404;
a member in another role gets a 403; a bad filter a 422 naming the field."""

# No `from __future__ import annotations`: ninja resolves query types at import time.

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from conformo.core.schemas import ErrorOut
from conformo.figures.filters import FigureFilter, cb_for_figures, figure_filter
from conformo.figures.schemas import (
    AuditDaysOut,
    AuditorsOut,
    CertificatesOut,
    ComplaintsAppealsOut,
    FigureQuery,
    LeadTimesOut,
    NonconformitiesOut,
    OverdueSurveillanceOut,
    SuspensionsOut,
)
from conformo.figures.selectors import figure_for
from conformo.figures.tables import Figure

router = Router(tags=["figures"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PREFIX = "/certification-bodies/{cb_id}/figures"


def _figure(request: HttpRequest, cb_id: UUID, query: FigureQuery, slug: str) -> tuple[FigureFilter, Figure]:
    cb = cb_for_figures(request.user, cb_id)
    chosen = figure_filter(cb=cb, today=timezone.localdate(), **query.model_dump())
    return chosen, figure_for(slug, chosen, full=True)


def _rows(figure: Figure, key: str) -> list[dict[str, Any]]:
    table = figure.table(key)
    assert table is not None, f"{figure.slug} has no table {key}"
    return table.rows


@router.get(f"{PREFIX}/audit-days", response={200: AuditDaysOut, **ERRORS})
def audit_days(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Audit days of the audits completed in the range, by period × standard × principal IAF code × audit kind."""
    chosen, figure = _figure(request, cb_id, query, "audit-days")
    return {
        "filters": chosen.as_dict(),
        "total_audits": figure.totals["audits"],
        "total_days": figure.totals["days"],
        "rows": _rows(figure, "audit_days"),
    }


@router.get(f"{PREFIX}/certificates", response={200: CertificatesOut, **ERRORS})
def certificates(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """The CB's certificates (current revisions) by standard and status as read today."""
    chosen, figure = _figure(request, cb_id, query, "certificates")
    return {"filters": chosen.as_dict(), "rows": _rows(figure, "certificates")}


@router.get(f"{PREFIX}/lead-times", response={200: LeadTimesOut, **ERRORS})
def lead_times(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Days from the end of stage 2 (renewal: recertification audit) to the decision, by standard and kind."""
    chosen, figure = _figure(request, cb_id, query, "lead-times")
    return {"filters": chosen.as_dict(), "rows": _rows(figure, "lead_times")}


@router.get(f"{PREFIX}/nonconformities", response={200: NonconformitiesOut, **ERRORS})
def nonconformities(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Major and minor nonconformities per audit day, by standard and grade, of the audits completed in the range."""
    chosen, figure = _figure(request, cb_id, query, "nonconformities")
    return {"filters": chosen.as_dict(), "rows": _rows(figure, "nonconformities")}


@router.get(f"{PREFIX}/overdue-surveillance", response={200: OverdueSurveillanceOut, **ERRORS})
def overdue_surveillance(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Surveillance audits past their due date today and not done: counts by standard and kind, and every audit."""
    chosen, figure = _figure(request, cb_id, query, "overdue-surveillance")
    return {
        "filters": chosen.as_dict(),
        "counts": _rows(figure, "overdue_counts"),
        "audits": _rows(figure, "overdue_list"),
    }


@router.get(f"{PREFIX}/suspensions", response={200: SuspensionsOut, **ERRORS})
def suspensions(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Suspensions and withdrawals decided in the range: counts by standard, kind and reason, and the list."""
    chosen, figure = _figure(request, cb_id, query, "suspensions")
    return {
        "filters": chosen.as_dict(),
        "counts": _rows(figure, "ending_counts"),
        "decisions": _rows(figure, "ending_list"),
    }


@router.get(f"{PREFIX}/complaints-appeals", response={200: ComplaintsAppealsOut, **ERRORS})
def complaints_appeals(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Complaints and appeals received in the range: received, open, closed, days to close; counts by status."""
    chosen, figure = _figure(request, cb_id, query, "complaints-appeals")
    return {
        "filters": chosen.as_dict(),
        "handling": _rows(figure, "handling"),
        "by_status": _rows(figure, "by_status"),
    }


@router.get(f"{PREFIX}/auditors", response={200: AuditorsOut, **ERRORS})
def auditors(request: HttpRequest, cb_id: UUID, query: Query[FigureQuery]) -> dict[str, Any]:
    """Active auditors with a qualification valid on `on` (default today), by standard and role."""
    chosen, figure = _figure(request, cb_id, query, "auditors")
    return {"filters": chosen.as_dict(), "rows": _rows(figure, "auditors")}
