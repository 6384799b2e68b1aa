"""Pages of the audit plan (17021-1 9.2.3), a section of the audit page: the CB drafts, edits and issues it,
the client accepts it or objects to a team member, the CB resolves an objection; each version as a PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from conformo.audits import forms, selectors, services
from conformo.audits.pdf import plan_pdf as render_plan_pdf
from conformo.audits.views.workflow import _audit_action, _audit_page
from conformo.core.errors import ValidationFailed
from conformo.core.forms import handle, posted


@login_required
@require_http_methods(["GET", "POST"])
def plan_draft(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "plan_draft_form",
        lambda audit, data: forms.EmptyForm(data),
        lambda audit, _: services.plan_draft(actor=request.user, audit=audit),
        "Audit plan drafted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "plan_edit_form",
        lambda audit, data: forms.PlanEditForm(data),
        lambda audit, data: services.plan_update(actor=request.user, audit=audit, **data),
        "Audit plan saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_issue(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "plan_issue_form",
        lambda audit, data: forms.PlanIssueForm(data),
        lambda audit, data: services.plan_issue(actor=request.user, audit=audit, **data),
        "Audit plan issued to the client.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "plan_accept_form",
        lambda audit, data: forms.EmptyForm(data),
        lambda audit, _: services.plan_accept(actor=request.user, audit=audit),
        "Audit plan accepted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_object(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's objection to a member of the issued plan's team."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    current = services.plan_current(audit)
    form = forms.PlanObjectForm(posted(request), team=current.facts.get("team", []) if current else [])

    def call(data: dict[str, str]) -> object:
        auditor = audit.programme.certification_body.auditors.filter(public_id=data["auditor"]).first()
        if auditor is None:
            raise ValidationFailed("That person is no longer on the CB's register.", fields={"auditor": ["Unknown."]})
        return services.plan_object(actor=request.user, audit=audit, auditor=auditor, reason=data["reason"])

    return handle(
        request,
        form,
        call,
        success="Objection sent to the certification body.",
        done=reverse("audits:audit-detail", args=[audit.public_id]),
        page=lambda status: _audit_page(request, audit, status, plan_object_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_resolve(request: HttpRequest, public_id: str) -> HttpResponse:
    objection = selectors.objection_get(user=request.user, public_id=public_id)
    audit = objection.plan.audit
    form = forms.ObjectionResolveForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.objection_resolve(actor=request.user, objection=objection, **data),
        success="Objection resolved.",
        done=reverse("audits:audit-detail", args=[audit.public_id]),
        page=lambda status: _audit_page(request, audit, status, resolve_form=form),
    )


@login_required
@require_GET
def plan_pdf(request: HttpRequest, public_id: str, version: int) -> HttpResponse:
    """One version of the plan as a PDF (the client: issued versions only)."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    plan = selectors.plan_get(user=request.user, audit=audit, version=version)
    response = HttpResponse(render_plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="audit-plan-v{plan.version}.pdf"'
    return response
