"""Pages for certifications and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conformo.audits.permissions import reach
from conformo.certification.models import DecisionChoice
from conformo.certification.selectors import (
    certification_get,
    certification_list,
    decision_list,
    suspension_proposals,
)
from conformo.certification.services import current_programme, decision_maker_on_team, decision_take
from conformo.core.errors import ApplicationError
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
