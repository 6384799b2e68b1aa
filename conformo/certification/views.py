"""Pages for certifications and decisions."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from conformo.audits.selectors import application_get
from conformo.audits.services import appeal_lodge
from conformo.certification.forms import AppealLodgeForm
from conformo.certification.models import DecisionChoice
from conformo.certification.selectors import (
    certification_get,
    certification_list,
    decision_list,
    suspension_proposals,
)
from conformo.certification.services import application_accept, current_programme, decision_maker_on_team, decision_take
from conformo.core.errors import ApplicationError
from conformo.core.forms import apply_errors
from conformo.core.tenancy import reach
from conformo.domain.certificate_states import CONDITIONS, CertificateState, Decision, allowed_decisions


@login_required
def certification_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "certification/list.html",
        {
            "certifications": [(c, c.effective_state(today)) for c in certification_list(user=request.user)[:200]],
            "decisions": decision_list(user=request.user)[:50],
            "proposals": suspension_proposals(user=request.user, today=today),
        },
    )


@login_required
def certification_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = certification_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        try:
            decision_take(
                actor=request.user,
                certification=certification,
                kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""),
                scope=request.POST.get("scope") or None,
                issue_resolved=request.POST.get("issue_resolved") == "yes",
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Decision recorded.")
        return redirect("certification:detail", certification.public_id)
    programme = current_programme(certification)
    r = reach(request.user)
    is_dm = "decision_maker" in r.roles_by_cb.get(certification.certification_body_id, frozenset())
    allowed = [d for d in allowed_decisions(CertificateState(certification.state)) if d is not Decision.EXPIRE]
    return render(
        request,
        "certification/detail.html",
        {
            "certification": certification,
            "state": certification.effective_state(timezone.localdate()),
            "programme": programme,
            "decisions": certification.decisions.select_related("decided_by"),
            "can_decide": is_dm,
            "on_team": decision_maker_on_team(request.user, programme),
            "choices": [(d.value, DecisionChoice(d.value).label, CONDITIONS[d]) for d in allowed],
        },
    )


@login_required
@require_POST
def application_accept_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Accept a reviewed application (the button on the application's page): opens the certification record and
    its 3-year programme, then shows the programme; a refusal goes back to the application with its reason."""
    application = application_get(user=request.user, public_id=public_id)
    try:
        programme = application_accept(actor=request.user, application=application)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("audits:application-detail", application.public_id)
    messages.success(request, "Accepted: the 3-year programme is created.")
    return redirect("audits:programme-detail", programme.public_id)


@login_required
def appeal_lodge_view(request: HttpRequest) -> HttpResponse:
    """Lodge an appeal against a decision the user can see (client administrator, or CB staff for the client)."""
    form = AppealLodgeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_lodge(
                actor=request.user,
                decision=form.cleaned_data["decision"],
                subject=form.cleaned_data["subject"],
                grounds=form.cleaned_data["grounds"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Appeal lodged.")
            return redirect("audits:appeals")
    status = 422 if form.errors else 200
    return render(request, "certification/appeal_lodge.html", {"form": form}, status=status)
