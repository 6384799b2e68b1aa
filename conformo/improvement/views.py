"""Improvement log pages: the log (own NCs and the CB's findings) and a nonconformity with its
corrective action and effectiveness checks. Each action has its own URL and form; bad input shows
on the same page with the user's input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from conformo.core.forms import attempt, form_status, posted
from conformo.core.listing import list_page
from conformo.improvement.filters import NonconformityFilter
from conformo.improvement.forms import (
    CompletionForm,
    CorrectiveActionForm,
    EffectivenessCheckForm,
    NonconformityForm,
)
from conformo.improvement.models import Nonconformity
from conformo.improvement.selectors import cb_findings, nonconformity_get, nonconformity_list
from conformo.improvement.services import (
    corrective_action_complete,
    corrective_action_set,
    effectiveness_check_record,
    nonconformity_raise,
)
from conformo.organizations.models import Organization
from conformo.organizations.tenancy import org_context, organization_for


def _log_page(request: HttpRequest, org: Organization, form: NonconformityForm) -> HttpResponse:
    """The log with search, filters, sort and pages (core/listing.py); the CB's findings beside it."""
    return list_page(
        request,
        NonconformityFilter,
        nonconformity_list(user=request.user, organization=org),
        "improvement/log.html",
        {
            **org_context(request, org, "improvement"),
            "cb_findings": cb_findings(user=request.user, organization=org),
            "form": form,
            "today": timezone.localdate(),
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def log_view(request: HttpRequest, org_id: str) -> HttpResponse:
    return _log_page(request, organization_for(request.user, org_id), NonconformityForm())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def raise_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Log a nonconformity. GET shows the log with the form."""
    org = organization_for(request.user, org_id)
    form = NonconformityForm(posted(request))
    if request.method == "POST":
        nc = attempt(form, lambda data: nonconformity_raise(actor=request.user, organization=org, **data))
        if nc is not None:
            return redirect("improvement:detail", public_id=nc.public_id)
    return _log_page(request, org, form)


def _detail_page(request: HttpRequest, nc: Nonconformity, **forms: Any) -> HttpResponse:
    forms.setdefault("plan_form", CorrectiveActionForm(nonconformity=nc))
    forms.setdefault("complete_form", CompletionForm())
    forms.setdefault("check_form", EffectivenessCheckForm())
    return render(
        request,
        "improvement/detail.html",
        {
            **org_context(request, nc.organization, "improvement"),
            "nc": nc,
            "ca": getattr(nc, "corrective_action", None),
            "today": timezone.localdate(),
            **forms,
        },
        status=form_status(*forms.values()),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_page(request, nonconformity_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_plan_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Plan or revise the corrective action."""
    nc = nonconformity_get(user=request.user, public_id=public_id)
    form = CorrectiveActionForm(posted(request), nonconformity=nc)
    if request.method == "POST":

        def plan(data: dict[str, Any]) -> Any:
            return corrective_action_set(
                actor=request.user,
                nonconformity=nc,
                correction=data["correction"],
                root_cause=data["root_cause"],
                action=data["corrective_action"],
                owner=data["owner"],
                due_date=data["due_date"],
            )

        if attempt(form, plan) is not None:
            messages.success(request, "Corrective action saved.")
            return redirect("improvement:detail", public_id=nc.public_id)
    return _detail_page(request, nc, plan_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_complete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    nc = nonconformity_get(user=request.user, public_id=public_id)
    form = CompletionForm(posted(request))
    if request.method == "POST":
        done = attempt(form, lambda data: corrective_action_complete(actor=request.user, nonconformity=nc, **data))
        if done is not None:
            messages.success(request, "Corrective action completed; check its effectiveness next.")
            return redirect("improvement:detail", public_id=nc.public_id)
    return _detail_page(request, nc, complete_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def effectiveness_check_view(request: HttpRequest, public_id: str) -> HttpResponse:
    nc = nonconformity_get(user=request.user, public_id=public_id)
    form = EffectivenessCheckForm(posted(request))
    if request.method == "POST":
        check = attempt(form, lambda data: effectiveness_check_record(actor=request.user, nonconformity=nc, **data))
        if check is not None:
            messages.success(request, "Effectiveness check recorded.")
            return redirect("improvement:detail", public_id=nc.public_id)
    return _detail_page(request, nc, check_form=form)
