"""Pages of the audit report (17021-1 9.4.8) and the stage 1 report (9.3.1.2), a section of the audit page:
the lead auditor drafts, edits, issues and revises it, team members write their sections; each revision as a
PDF (the client: the issued ones)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits import forms, selectors, services
from conformo.audits.pdf import report_pdf as render_report_pdf
from conformo.audits.services.reports import report_kind_for
from conformo.audits.views.workflow import _audit_action


@login_required
@require_http_methods(["GET", "POST"])
def report_draft(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "report_draft_form",
        lambda audit, data: forms.EmptyForm(data),
        lambda audit, _: services.report_draft(actor=request.user, audit=audit),
        "Report drafted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_update(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "report_edit_form",
        lambda audit, data: forms.ReportEditForm(data, kind=report_kind_for(audit)),
        lambda audit, data: services.report_update(actor=request.user, audit=audit, **data),
        "Report saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_section_write(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "report_section_form",
        lambda audit, data: forms.ReportSectionForm(data),
        lambda audit, data: services.report_section_write(actor=request.user, audit=audit, **data),
        "Your section of the report is saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_issue(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "report_issue_form",
        lambda audit, data: forms.EmptyForm(data),
        lambda audit, _: services.report_issue(actor=request.user, audit=audit),
        "Report issued to the client.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_revise(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "report_revise_form",
        lambda audit, data: forms.ReportReviseForm(data),
        lambda audit, data: services.report_revise(actor=request.user, audit=audit, **data),
        "A new revision of the report is open as a draft.",
    )


@login_required
@require_safe
def report_pdf(request: HttpRequest, public_id: str, revision: int) -> HttpResponse:
    """One revision of the report as a PDF (the client: issued revisions only)."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    report = selectors.report_get(user=request.user, audit=audit, revision=revision)
    response = HttpResponse(render_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.kind}-report-rev{report.revision}.pdf"'
    return response
