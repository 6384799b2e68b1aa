"""Transition pages: move an assessment to a new edition, confirm a carried-over answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from conformo.core.errors import Conflict, PermissionDenied
from conformo.core.forms import handle, posted
from conformo.organizations.tenancy import can_manage, org_context
from conformo.readiness import selectors
from conformo.readiness.forms import TransitionForm
from conformo.readiness.services import answer_confirm, assessment_transition
from conformo.readiness.views.assessments import _back_to_row, _item_saved


def _transition_page(request: HttpRequest, assessment: Any, form: TransitionForm, status: int) -> HttpResponse:
    return render(
        request,
        "readiness/assessment_transition.html",
        {**org_context(request, assessment.organization, "assessments"), "assessment": assessment, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_transition_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: choose the new edition to move to. POST: create the transition assessment and open it."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    if not can_manage(request.user, assessment.organization_id):
        raise PermissionDenied("Only a client administrator can move an assessment to a new edition.")
    form = TransitionForm(posted(request), choices=selectors.transition_choices(assessment=assessment))
    return handle(
        request,
        form,
        lambda data: assessment_transition(
            actor=request.user, assessment=assessment, standard=data["standard"], title=data["title"]
        ),
        success="Transition assessment created: carried-over answers are marked to confirm, merged and split ones "
        "to review, new clauses are open.",
        done=lambda new: reverse("readiness:assessment-detail", args=[new.public_id]),
        page=lambda status: _transition_page(request, assessment, form, status),
    )


@login_required
@require_POST
def item_confirm_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Confirm a carried-over or merged/split answer as it stands; returns the row (htmx) or the table."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    try:
        answer_confirm(actor=request.user, item=item)
    except Conflict as exc:
        if request.headers.get("HX-Request"):
            return _item_saved(request, assessment, item)
        messages.error(request, exc.message)
        return _back_to_row(request, assessment, item)
    if request.headers.get("HX-Request"):
        return _item_saved(request, assessment, item)
    messages.success(request, f"{item.clause} confirmed.")
    return _back_to_row(request, assessment, item)
