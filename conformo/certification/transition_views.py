"""The CB's edition transitions page: each transition with the CB's policy (the administrator edits it) and the
clients still on an old edition with their days left and risk (docs/cb-workflow.md, "Edition transitions")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits.views.setup import current_cb, with_cb
from conformo.certification.forms import TransitionPolicyForm
from conformo.certification.transitions import (
    PolicyRow,
    transition_clients,
    transition_policies,
    transition_policy_save,
)
from conformo.core.errors import NotFound
from conformo.core.forms import handle, posted
from conformo.core.tenancy import by_id, has_cb_role
from conformo.organizations.models import CertificationBody
from conformo.organizations.tenancy import cbs_of
from conformo.standards.models import Transition


def _form(row: PolicyRow, data: Any = None) -> TransitionPolicyForm:
    policy = row.policy
    initial = {
        "ends_on": policy.ends_on,
        "ends_on_basis": policy.ends_on_basis,
        "extra_percent": policy.extra_percent,
        "extra_days": policy.extra_days,
        "combine_with_surveillance": policy.combine_with_surveillance,
        "combine_with_recertification": policy.combine_with_recertification,
    }
    return TransitionPolicyForm(data, initial=initial, auto_id=f"policy{row.transition.pk}_%s")


def _page(
    request: HttpRequest,
    cb: CertificationBody,
    status: int = 200,
    bound: tuple[int, TransitionPolicyForm] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    can_edit = has_cb_role(request.user, cb.pk, "cb_admin")
    rows = transition_policies(actor=request.user, certification_body=cb)
    forms = {row.transition.pk: _form(row) for row in rows} if can_edit else {}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return render(
        request,
        "certification/transitions.html",
        {
            "cb": cb,
            "cbs": cbs_of(request.user),
            "rows": [(row, forms.get(row.transition.pk)) for row in rows],
            "clients": transition_clients(actor=request.user, certification_body=cb, today=today),
            "today": today,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_safe
def transitions_view(request: HttpRequest) -> HttpResponse:
    return _page(request, current_cb(request))


@login_required
@require_http_methods(["GET", "POST"])
def transition_policy_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save the CB's policy for one transition (CB administrators); refused input comes back on the page."""
    cb = current_cb(request)
    transition = by_id(Transition.objects.select_related("old_standard", "new_standard"), public_id)
    if transition is None:
        raise NotFound("No such edition transition.")
    form = TransitionPolicyForm(posted(request), auto_id=f"policy{transition.pk}_%s")
    return handle(
        request,
        form,
        lambda data: transition_policy_save(actor=request.user, certification_body=cb, transition=transition, **data),
        success=f"Transition policy for {transition.old_standard.designation} saved.",
        done=with_cb("certification:transitions", cb),
        page=lambda status: _page(request, cb, status, (transition.pk, form)),
    )
