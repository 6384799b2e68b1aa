"""Pages of the registers: auditors, the schedule and the calendar feed, complaints and appeals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits import selectors, services
from conformo.audits.choices import QualificationRole
from conformo.audits.ical import auditor_calendar
from conformo.audits.models import Auditor
from conformo.audits.services.setup import check_sector_codes
from conformo.audits.views.common import act, by_id, is_manager, parse_date
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Standard


@login_required
def auditor_list(request: HttpRequest) -> HttpResponse:
    auditors = selectors.auditor_list(user=request.user).prefetch_related("conflicts__organization")
    if request.method == "POST":
        auditor = by_id(auditors, request.POST.get("auditor"))
        if request.POST.get("action") == "register":
            cb = CertificationBody.objects.filter(memberships__user_id=getattr(request.user, "pk", 0)).first()
            user = User.objects.filter(
                email__iexact=request.POST.get("email", ""), memberships__certification_body=cb
            ).first()
            if cb is None or user is None:
                messages.error(request, "No member of your CB has that address.")
            else:
                act(
                    request,
                    lambda: services.auditor_register(actor=request.user, certification_body=cb, user=user),
                    "Auditor registered.",
                )
        elif auditor is not None and request.POST.get("action") == "qualify":
            standard = Standard.objects.filter(code=request.POST.get("standard")).first()
            if standard is None:
                messages.error(request, "Choose a standard.")
            else:
                act(
                    request,
                    lambda: services.qualification_add(
                        actor=request.user,
                        auditor=auditor,
                        standard=standard,
                        sector_codes=check_sector_codes(request.POST.get("sector_codes", "")),
                        role=request.POST.get("role", "auditor"),
                        valid_from=parse_date(request.POST.get("valid_from")) or timezone.localdate(),
                        valid_until=parse_date(request.POST.get("valid_until")),
                    ),
                    "Qualification recorded.",
                )
        return redirect("audits:auditors")
    return render(
        request,
        "audits/auditors.html",
        {
            "auditors": auditors,
            "standards": Standard.objects.filter(is_harmonized_structure=False),
            "roles": QualificationRole.choices,
            "is_manager": is_manager(request.user),
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    start = parse_date(request.GET.get("start")) or timezone.localdate()
    end = start + timedelta(days=int(request.GET.get("days", "90")) if request.GET.get("days", "").isdigit() else 90)
    today = timezone.localdate()
    audits = selectors.schedule(user=request.user, start=start, end=end)
    return render(
        request,
        "audits/schedule.html",
        {
            "audits": [(a, a.timing(today)) for a in audits],
            "start": start,
            "end": end,
        },
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The auditor's iCalendar feed, addressed by the secret token that calendar apps subscribe to."""
    auditor = Auditor.objects.filter(calendar_token=token, active=True).first()
    if auditor is None:
        raise Http404
    response = HttpResponse(auditor_calendar(auditor), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audits.ics"'
    return response


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    items = selectors.complaint_list(user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "receive":
            cb = (
                CertificationBody.objects.filter(memberships__user_id=getattr(request.user, "pk", 0)).first()
                or CertificationBody.objects.filter(
                    clients__organization__in=Organization.objects.visible_to(request.user)
                ).first()
            )
            org = by_id(Organization.objects.visible_to(request.user), request.POST.get("organization"))
            if cb is None:
                messages.error(request, "No certification body to complain to.")
            else:
                act(
                    request,
                    lambda: services.complaint_receive(
                        actor=request.user,
                        certification_body=cb,
                        organization=org,
                        complainant=request.POST.get("complainant", "") or str(request.user),
                        subject=request.POST.get("subject", ""),
                        description=request.POST.get("description", ""),
                    ),
                    "Complaint registered.",
                )
        else:
            complaint = by_id(items, request.POST.get("complaint"))
            if complaint is None:
                raise Http404
            if action == "assign":
                _assign_handler(
                    request,
                    lambda handler: services.complaint_assign(actor=request.user, complaint=complaint, handler=handler),
                )
            elif action == "advance":
                act(
                    request,
                    lambda: services.complaint_advance(
                        actor=request.user,
                        complaint=complaint,
                        status=request.POST.get("status", ""),
                        outcome=request.POST.get("outcome", ""),
                    ),
                    "Complaint updated.",
                )
        return redirect("audits:complaints")
    return render(
        request,
        "audits/complaints.html",
        {
            "complaints": items,
            "organizations": Organization.objects.visible_to(request.user),
            "is_manager": is_manager(request.user),
        },
    )


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    from conformo.certification.selectors import decision_list

    items = selectors.appeal_list(user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "lodge":
            decision = by_id(decision_list(user=request.user), request.POST.get("decision"))
            if decision is None:
                messages.error(request, "Choose the decision you appeal against.")
            else:
                act(
                    request,
                    lambda: services.appeal_lodge(
                        actor=request.user,
                        decision=decision,
                        subject=request.POST.get("subject", ""),
                        grounds=request.POST.get("grounds", ""),
                    ),
                    "Appeal lodged.",
                )
        else:
            appeal = by_id(items, request.POST.get("appeal"))
            if appeal is None:
                raise Http404
            if action == "assign":
                _assign_handler(
                    request, lambda handler: services.appeal_assign(actor=request.user, appeal=appeal, handler=handler)
                )
            elif action == "decide":
                act(
                    request,
                    lambda: services.appeal_decide(
                        actor=request.user,
                        appeal=appeal,
                        upheld=request.POST.get("upheld") == "yes",
                        outcome=request.POST.get("outcome", ""),
                    ),
                    "Appeal decided.",
                )
        return redirect("audits:appeals")
    return render(
        request,
        "audits/appeals.html",
        {
            "appeals": items,
            "decisions": decision_list(user=request.user)[:100],
            "is_manager": is_manager(request.user),
        },
    )


def _assign_handler(request: HttpRequest, assign: Callable[[Any], object]) -> None:
    """Assign the handler named by email in the form (complaints and appeals alike)."""
    handler = User.objects.filter(email__iexact=request.POST.get("handler", "")).first()
    if handler is None:
        messages.error(request, "No user has that address.")
    else:
        act(request, lambda: assign(handler), "Handler assigned.")
