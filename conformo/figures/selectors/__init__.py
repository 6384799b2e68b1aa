"""The figures for the accreditation body and the CB's management review (docs/cb-workflow.md), each computed
by the database with aggregates; `FIGURES` names them in the order the pages show them."""

from __future__ import annotations

from collections.abc import Callable

from conformo.figures.filters import FigureFilter
from conformo.figures.selectors.activity import audit_days, nonconformities, overdue_surveillance
from conformo.figures.selectors.decisions import certificates, lead_times, suspensions
from conformo.figures.selectors.registers import auditors, complaints_appeals
from conformo.figures.tables import Figure

FIGURES: dict[str, tuple[str, Callable[[FigureFilter], Figure]]] = {
    "audit-days": ("Audit days", audit_days),
    "certificates": ("Certificates by status", certificates),
    "lead-times": ("Decision lead times", lead_times),
    "nonconformities": ("Nonconformities per audit day", nonconformities),
    "overdue-surveillance": ("Overdue surveillance", overdue_surveillance),
    "suspensions": ("Suspensions and withdrawals", suspensions),
    "complaints-appeals": ("Complaints and appeals", complaints_appeals),
    "auditors": ("Auditors per qualification", auditors),
}


def figure_for(slug: str, chosen: FigureFilter, *, full: bool = False) -> Figure:
    """The figure `slug` (a key of `FIGURES`) for the filter; `full`: every listed row (downloads, API), not only
    the first ones a page shows."""
    if full and slug == "overdue-surveillance":
        return overdue_surveillance(chosen, listed=0)
    return FIGURES[slug][1](chosen)


__all__ = [
    "FIGURES",
    "audit_days",
    "auditors",
    "certificates",
    "complaints_appeals",
    "figure_for",
    "lead_times",
    "nonconformities",
    "overdue_surveillance",
    "suspensions",
]
