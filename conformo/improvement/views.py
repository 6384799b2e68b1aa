"""Improvement log pages: the log (own NCs and the CB's findings) and a nonconformity with its
corrective action and effectiveness checks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from conformo.core.errors import ValidationFailed
from conformo.improvement.choices import Grade, Source
from conformo.improvement.selectors import cb_findings, nonconformity_get, nonconformity_list
from conformo.improvement.services import (
    corrective_action_complete,
    corrective_action_set,
    effectiveness_check_record,
    nonconformity_raise,
)
from conformo.readiness.forms import member_choices
from conformo.readiness.permissions import organization_for
from conformo.readiness.views.common import org_context


@login_required
def log_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    if request.method == "POST":
        try:
            nc = nonconformity_raise(
                actor=request.user,
                organization=org,
                source=request.POST.get("source", ""),
                grade=request.POST.get("grade", ""),
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                raised_on=parse_date(request.POST.get("raised_on", "") or "") or timezone.localdate(),
            )
        except ValidationFailed as exc:
            messages.error(request, f"{exc.message} " + " ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()))
        else:
            return redirect("improvement:detail", public_id=nc.public_id)
    return render(
        request,
        "improvement/log.html",
        {
            **org_context(request, org, "improvement"),
            "nonconformities": nonconformity_list(user=request.user, organization=org),
            "cb_findings": cb_findings(user=request.user, organization=org),
            "sources": [c for c in Source.choices if c[0] != Source.CB_FINDING],
            "grades": Grade.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    nc = nonconformity_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "plan":
                owner_id = request.POST.get("owner") or None
                owner = member_choices(nc.organization).filter(pk=owner_id).first() if owner_id else None
                due = parse_date(request.POST.get("due_date", "") or "")
                if due is None:
                    raise ValidationFailed("Give a due date.", fields={"due_date": ["Required."]})
                corrective_action_set(
                    actor=request.user,
                    nonconformity=nc,
                    correction=request.POST.get("correction", ""),
                    root_cause=request.POST.get("root_cause", ""),
                    action=request.POST.get("corrective_action", ""),
                    owner=owner,
                    due_date=due,
                )
            elif action == "complete":
                corrective_action_complete(
                    actor=request.user,
                    nonconformity=nc,
                    completed_on=parse_date(request.POST.get("completed_on", "") or "") or timezone.localdate(),
                )
            elif action == "check":
                effectiveness_check_record(
                    actor=request.user,
                    nonconformity=nc,
                    effective=request.POST.get("effective") == "yes",
                    notes=request.POST.get("notes", ""),
                )
            messages.success(request, "Saved.")
        except ValidationFailed as exc:
            messages.error(request, f"{exc.message} " + " ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()))
        return redirect("improvement:detail", public_id=nc.public_id)
    ca = getattr(nc, "corrective_action", None)
    return render(
        request,
        "improvement/detail.html",
        {
            **org_context(request, nc.organization, "improvement"),
            "nc": nc,
            "ca": ca,
            "members": member_choices(nc.organization),
            "today": timezone.localdate(),
        },
    )
