"""Pages for certifications and decisions. Taking a decision is a form with its own URL
(certification:decision-take); bad input or a refused decision comes back on the page, input kept."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from conformo.audits.permissions import reach
from conformo.audits.views.common import handle, posted
from conformo.certification.forms import DecisionForm
from conformo.certification.models import Certification
from conformo.certification.selectors import (
    certification_get,
    certification_list,
    decision_list,
    suspension_proposals,
)
from conformo.certification.services import current_programme, decision_maker_on_team, decision_take
from conformo.domain.certificate_states import CertificateState, Decision, allowed_decisions


@login_required
@require_GET
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


def _decision_form(certification: Certification, data: Any = None) -> DecisionForm:
    allowed = [d for d in allowed_decisions(CertificateState(certification.state)) if d is not Decision.EXPIRE]
    return DecisionForm(data, allowed=allowed)


def _certification_page(
    request: HttpRequest, certification: Certification, status: int = 200, form: DecisionForm | None = None
) -> HttpResponse:
    programme = current_programme(certification)
    r = reach(request.user)
    is_dm = "decision_maker" in r.roles_by_cb.get(certification.certification_body_id, frozenset())
    form = form or _decision_form(certification)
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
            "form": form,
            "choices": form.fields["kind"].choices,  # type: ignore[attr-defined]
        },
        status=status,
    )


@login_required
@require_GET
def certification_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _certification_page(request, certification_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "POST"])
def decision_take_view(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = certification_get(user=request.user, public_id=public_id)
    form = _decision_form(certification, posted(request))
    return handle(
        request,
        form,
        lambda data: decision_take(actor=request.user, certification=certification, **data),
        success="Decision recorded.",
        done=reverse("certification:detail", args=[certification.public_id]),
        page=lambda status: _certification_page(request, certification, status, form),
    )
