"""The records-retention page (ISO/IEC 17021-1 9.9): the policy in force (the CB administrator changes it), the
records past retention today for review, and the runs with their log. Records are removed by the operator's
`conformo retention --apply`, not from the page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits.views.setup import with_cb
from conformo.core.forms import handle, posted
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role
from conformo.impartiality.views import office_cb
from conformo.organizations.models import CertificationBody
from conformo.retention import selectors, services
from conformo.retention.forms import PolicyForm


def _page(request: HttpRequest, cb: CertificationBody, status: int = 200, form: Any = None) -> HttpResponse:
    policy = selectors.policy_in_force(cb)
    today = timezone.localdate()
    return render(
        request,
        "retention/retention.html",
        {
            "cb": cb,
            "policy": policy,
            "due": selectors.due_records(cb, today),
            "today": today,
            "runs": selectors.runs(user=request.user, cb=cb)[:20],
            "can_edit": has_cb_role(request.user, cb.pk, Role.CB_ADMIN.value),
            "form": form or PolicyForm(policy=policy),
        },
        status=status,
    )


@login_required
@require_safe
def retention(request: HttpRequest) -> HttpResponse:
    """The retention policy in force, the records past it today, the latest runs and their log."""
    return _page(request, office_cb(request))


@login_required
@require_http_methods(["GET", "POST"])
def policy_update(request: HttpRequest) -> HttpResponse:
    """Set the retention policy (the CB administrator)."""
    cb = office_cb(request)
    form = PolicyForm(posted(request), policy=selectors.policy_in_force(cb))
    return handle(
        request,
        form,
        lambda _: services.policy_update(actor=request.user, certification_body=cb, rows=form.rows()),
        success="Retention policy saved.",
        done=with_cb("retention:home", cb),
        page=lambda status: _page(request, cb, status, form),
    )
