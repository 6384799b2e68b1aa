"""The audit report under /api/v1/ (17021-1 9.4.8; the stage 1 report, 9.3.1.2): its revisions, drafting,
editing and issuing by the lead auditor, a team member's section, a revision with its reason, and when a
completed audit's report is due. The client reads the issued revisions."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E
from conformo.audits.models import AuditReport
from conformo.audits.schemas import (
    ReportDueOut,
    ReportEditIn,
    ReportOut,
    ReportReviseIn,
    ReportSectionIn,
    ReportSummaryOut,
)
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, PositiveInt32

router = Router()


@router.get("/audits/{audit_id}/reports", response={200: list[ReportSummaryOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def report_revisions(request: HttpRequest, audit_id: UUID, **kwargs: Any) -> QuerySet[AuditReport]:
    """The report's revisions, newest first (the client sees the issued ones)."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.report_revisions(user=request.user, audit=audit)


@router.get("/audits/{audit_id}/reports/current", response={200: ReportOut, 404: ErrorOut})
def report_current(request: HttpRequest, audit_id: UUID) -> AuditReport:
    """The issued revision."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.report_get(user=request.user, audit=audit)


@router.get("/audits/{audit_id}/reports/due", response={200: ReportDueOut, 404: ErrorOut})
def report_due(request: HttpRequest, audit_id: UUID) -> dict[str, Any]:
    """Whether the report is issued and, for a completed audit without one, when it is due."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    due_on = services.report_due_on(audit)
    return {
        "issued": services.report_is_issued(audit),
        "due_on": due_on,
        "overdue": due_on is not None and due_on < timezone.localdate(),
    }


@router.get("/audits/{audit_id}/reports/{int:revision}", response={200: ReportOut, 404: ErrorOut})
def report_revision(request: HttpRequest, audit_id: UUID, revision: PositiveInt32) -> AuditReport:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return selectors.report_get(user=request.user, audit=audit, revision=revision)


@router.post("/audits/{audit_id}/reports/draft", response={201: ReportOut, **E})
def report_draft(request: HttpRequest, audit_id: UUID) -> Status[AuditReport]:
    """The lead auditor opens the report (the stage 1 report for a stage 1), filled from the issued plan."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return Status(201, services.report_draft(actor=request.user, audit=audit))


@router.post("/audits/{audit_id}/reports/edit", response={200: ReportOut, **E})
def report_edit(request: HttpRequest, audit_id: UUID, payload: ReportEditIn) -> AuditReport:
    """The lead auditor edits the draft; fields left out stay as they are."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.report_update(actor=request.user, audit=audit, **payload.model_dump(exclude_unset=True))


@router.post("/audits/{audit_id}/reports/section", response={200: ReportOut, **E})
def report_section(request: HttpRequest, audit_id: UUID, payload: ReportSectionIn) -> AuditReport:
    """A team member writes their own section of the draft."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.report_section_write(actor=request.user, audit=audit, text=payload.text)


@router.post("/audits/{audit_id}/reports/issue", response={200: ReportOut, **E})
def report_issue(request: HttpRequest, audit_id: UUID) -> AuditReport:
    """The lead auditor issues the draft of a completed audit; it is immutable from then on."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.report_issue(actor=request.user, audit=audit)


@router.post("/audits/{audit_id}/reports/revise", response={201: ReportOut, **E})
def report_revise(request: HttpRequest, audit_id: UUID, payload: ReportReviseIn) -> Status[AuditReport]:
    """The lead auditor opens the next revision of the issued report, with the reason for the correction."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return Status(201, services.report_revise(actor=request.user, audit=audit, reason=payload.reason))
