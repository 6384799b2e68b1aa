"""Pages of the registers: auditors, the schedule and the calendar feed, complaints and appeals.

Every action has its own URL and form; a per-row action (assign a handler, move a complaint on, decide an
appeal) is addressed by the row's id. Bad input comes back on the same page, on the row's form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.accounts.models import User
from conformo.audits import forms, selectors, services
from conformo.audits.filters import AppealFilter, AuditFilter, AuditorFilter, ComplaintFilter
from conformo.audits.ical import auditor_calendar
from conformo.audits.models import Auditor, ConflictOfInterest
from conformo.audits.views.common import is_manager
from conformo.audits.views.lists import audit_badges, shown_audits, with_team_names
from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.forms import handle, posted
from conformo.core.listing import list_page
from conformo.core.schemas import listed_as
from conformo.organizations.models import CertificationBody, Organization

# --- auditors -------------------------------------------------------------------------------------------


def _my_cb(request: HttpRequest) -> CertificationBody | None:
    return CertificationBody.objects.filter(memberships__user_id=getattr(request.user, "pk", 0) or 0).first()


def _auditors(request: HttpRequest) -> Any:
    """The register's rows: its auditors with, as a list, their conflicts of interest with the client's name (not
    its whole row); a page's qualifications are read by `selectors.with_qualifications`."""
    conflicts = ConflictOfInterest.objects.select_related("organization").only(
        "auditor_id", "kind", "started_on", "ended_on", "organization__legal_name"
    )
    listed = Prefetch("conflicts", queryset=conflicts, to_attr=listed_as("conflicts"))
    return selectors.auditor_list(user=request.user).prefetch_related(listed)


def _register_form(request: HttpRequest, data: Any = None) -> forms.AuditorRegisterForm:
    cb = _my_cb(request)
    members = User.objects.filter(memberships__certification_body=cb).distinct() if cb else User.objects.none()
    return forms.AuditorRegisterForm(data, members=members)


def _auditors_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    auditors = _auditors(request)
    return list_page(
        request,
        AuditorFilter,
        auditors.order_by("user__full_name", "user__email", "pk"),
        "audits/auditors.html",
        {
            "is_manager": is_manager(request.user),
            "base_url": request.build_absolute_uri("/")[:-1],
            "register_form": bound.get("register_form") or _register_form(request),
        },
        rows=selectors.with_qualifications,
        status=status,
    )


@login_required
@require_safe
def auditor_list(request: HttpRequest) -> HttpResponse:
    return _auditors_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def auditor_register(request: HttpRequest) -> HttpResponse:
    cb = _my_cb(request)
    form = _register_form(request, posted(request))

    def register(data: dict[str, Any]) -> Any:
        if cb is None:
            raise PermissionDenied("Auditors are registered by the staff of a certification body.")
        return services.auditor_register(actor=request.user, certification_body=cb, user=data["email"])

    return handle(
        request,
        form,
        register,
        success="Auditor registered.",
        done=reverse("audits:auditors"),
        page=lambda status: _auditors_page(request, status, register_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def qualification_add(request: HttpRequest) -> HttpResponse:
    """The old "add a qualification" action: a qualification is now granted only by a positive competence
    evaluation (17021-1 7.1.3), so the page sends people to the evaluation form (nothing is recorded here)."""
    return redirect(reverse("competence:evaluation-create"))


# --- schedule and calendar ------------------------------------------------------------------------------


@login_required
@require_safe
def schedule(request: HttpRequest) -> HttpResponse:
    """The audits of a period: from `start` (today if none) for `days` (90 if none), with the audit list's search,
    filters and sort. A bad date or number is shown on the filter, with no audits listed (422)."""
    today = timezone.localdate()
    period = forms.ScheduleForm(request.GET or None, initial={"start": today})
    if period.is_bound and not period.is_valid():
        return list_page(
            request,
            AuditFilter,
            selectors.audit_list(user=request.user).none(),
            "audits/schedule.html",
            {"form": period, "extra_form": period, "start": None, "end": None},
            status=422,
        )
    data = period.cleaned_data if period.is_bound else {}
    start = data.get("start") or today
    days = data.get("days") or 90
    end = start + timedelta(days=days)
    # The filter shows the period the list covers, including a default that filled a blank field.
    period = forms.ScheduleForm(initial={"start": start, "days": days})
    audits = shown_audits(selectors.schedule(user=request.user, start=start, end=end, today=today)).order_by(
        F("planned_start").asc(nulls_last=True), "due_by", "pk"
    )
    return list_page(
        request,
        AuditFilter,
        audits,
        "audits/schedule.html",
        {"form": period, "extra_form": period, "start": start, "end": end},
        rows=lambda page: [(a, a.timing(today)) for a in with_team_names(page)],
        counted=audit_badges(today),
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The auditor's iCalendar feed, addressed by the secret token that calendar apps subscribe to."""
    auditor = Auditor.objects.filter(calendar_token=token, active=True).first()
    if auditor is None:
        raise Http404
    response = HttpResponse(auditor_calendar(auditor), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audits.ics"'
    return response


# --- complaints -----------------------------------------------------------------------------------------


def _complaint_cb(request: HttpRequest) -> CertificationBody | None:
    """The CB a complaint goes to: the user's own CB, else the CB of one of their organizations."""
    return (
        _my_cb(request)
        or CertificationBody.objects.filter(
            clients__organization__in=Organization.objects.visible_to(request.user)
        ).first()
    )


def _row_form(form_class: type[forms.ActionForm], name: str, obj: Any, failed: Any) -> forms.ActionForm:
    """The `name` form of a row: the failed, bound one if it is this row's, else a fresh one."""
    if failed and failed[:2] == (name, obj.pk):
        return failed[2]
    return form_class(auto_id=f"{name}-{obj.public_id}_%s")


def _complaints_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    failed = bound.get("row")
    return list_page(
        request,
        ComplaintFilter,
        selectors.complaint_list(user=request.user),
        "audits/complaints.html",
        {
            "is_manager": is_manager(request.user),
            "form": bound.get("form")
            or forms.ComplaintForm(
                # The select shows each client's name (a CB's staff: every client, 600 in the scale demo).
                organizations=Organization.objects.visible_to(request.user).only("id", "public_id", "legal_name")
            ),
        },
        rows=lambda page: [
            (
                c,
                _row_form(forms.HandlerForm, "assign", c, failed),
                _row_form(forms.ComplaintAdvanceForm, "advance", c, failed),
            )
            for c in page
        ],
        status=status,
    )


@login_required
@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    return _complaints_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_receive(request: HttpRequest) -> HttpResponse:
    form = forms.ComplaintForm(posted(request), organizations=Organization.objects.visible_to(request.user))

    def receive(data: dict[str, Any]) -> Any:
        cb = _complaint_cb(request)
        if cb is None:
            raise NotFound("No certification body to complain to.")
        return services.complaint_receive(
            actor=request.user,
            certification_body=cb,
            **{**data, "complainant": data["complainant"] or str(request.user)},
        )

    return handle(
        request,
        form,
        receive,
        success="Complaint registered.",
        done=reverse("audits:complaints"),
        page=lambda status: _complaints_page(request, status, form=form),
    )


def _complaint_action(
    request: HttpRequest, public_id: str, name: str, form_class: type[forms.ActionForm], call: Any, success: str
) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, public_id=public_id)
    form = form_class(posted(request), auto_id=f"{name}-{complaint.public_id}_%s")
    return handle(
        request,
        form,
        lambda data: call(complaint, data),
        success=success,
        done=reverse("audits:complaints"),
        page=lambda status: _complaints_page(request, status, row=(name, complaint.pk, form)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    return _complaint_action(
        request,
        public_id,
        "assign",
        forms.HandlerForm,
        lambda complaint, data: services.complaint_assign(actor=request.user, complaint=complaint, **data),
        "Handler assigned.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_advance(request: HttpRequest, public_id: str) -> HttpResponse:
    return _complaint_action(
        request,
        public_id,
        "advance",
        forms.ComplaintAdvanceForm,
        lambda complaint, data: services.complaint_advance(actor=request.user, complaint=complaint, **data),
        "Complaint updated.",
    )


# --- appeals --------------------------------------------------------------------------------------------


def _appeals_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    failed = bound.get("row")
    return list_page(
        request,
        AppealFilter,
        selectors.appeal_list(user=request.user),
        "audits/appeals.html",
        {"is_manager": is_manager(request.user)},
        rows=lambda page: [
            (
                a,
                _row_form(forms.HandlerForm, "assign", a, failed),
                _row_form(forms.AppealDecideForm, "decide", a, failed),
            )
            for a in page
        ],
        status=status,
    )


@login_required
@require_safe
def appeals(request: HttpRequest) -> HttpResponse:
    return _appeals_page(request)


def _appeal_action(
    request: HttpRequest, public_id: str, name: str, form_class: type[forms.ActionForm], call: Any, success: str
) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, public_id=public_id)
    form = form_class(posted(request), auto_id=f"{name}-{appeal.public_id}_%s")
    return handle(
        request,
        form,
        lambda data: call(appeal, data),
        success=success,
        done=reverse("audits:appeals"),
        page=lambda status: _appeals_page(request, status, row=(name, appeal.pk, form)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    return _appeal_action(
        request,
        public_id,
        "assign",
        forms.HandlerForm,
        lambda appeal, data: services.appeal_assign(actor=request.user, appeal=appeal, **data),
        "Handler assigned.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    return _appeal_action(
        request,
        public_id,
        "decide",
        forms.AppealDecideForm,
        lambda appeal, data: services.appeal_decide(actor=request.user, appeal=appeal, **data),
        "Appeal decided.",
    )
