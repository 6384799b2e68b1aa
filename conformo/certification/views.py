"""Pages for certifications and decisions. Taking a decision is a form with its own URL
(certification:decision-take); bad input or a refused decision comes back on the page, input kept."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits.forms import AcceptApplicationForm
from conformo.audits.scope_display import lines_snapshot, scope_groups
from conformo.audits.selectors import application_get
from conformo.audits.services import appeal_lodge, scope_lines
from conformo.audits.services.scope import line_dict
from conformo.audits.views.workflow import _application_page
from conformo.certificates.selectors import certificate_of_certification
from conformo.certification.filters import AwaitingDecisionFilter, CertificationFilter
from conformo.certification.forms import AppealLodgeForm, DecisionForm
from conformo.certification.models import Certification
from conformo.certification.selectors import (
    awaiting_decision_queryset,
    awaiting_decision_row,
    certification_get,
    certification_rows,
    decision_file,
    recent_decisions,
    suspension_proposals_shown,
)
from conformo.certification.services import (
    application_accept,
    current_programme,
    decision_maker_on_team,
    decision_options,
    decision_take,
)
from conformo.core.forms import handle, posted
from conformo.core.listing import list_page
from conformo.core.tenancy import reach


@login_required
@require_safe
def certification_list_view(request: HttpRequest) -> HttpResponse:
    """Certifications of the user's CB or organization: search, filters, sort and pages (core/listing.py); the
    recent decisions beside them, read only when the whole page is drawn (not for the htmx answer to the filters,
    which is the results alone). The suspension proposals above the list are asked for after the page is drawn
    (`suspension_proposals_view`, an htmx placeholder): they read every overdue audit and major nonconformity."""
    today = timezone.localdate()
    return list_page(
        request,
        CertificationFilter,
        certification_rows(user=request.user),
        "certification/list.html",
        {"decisions": lambda: recent_decisions(user=request.user)},  # a callable: the template calls it if shown
        rows=lambda page: [(c, c.effective_state(today)) for c in page],
    )


@never_cache
@require_safe
def suspension_proposals_view(request: HttpRequest) -> HttpResponse:
    """The certifications list's suspension proposals (`certification/_proposals.html`: the first ten with their
    reasons and how many there are; nothing when none), the fragment htmx puts in place of the list's
    placeholder: empty for someone no longer signed in (a session that ended while the page was open gets no
    sign-in page inside the list's page)."""
    if not request.user.is_authenticated:
        return render(request, "certification/_proposals.html", {"proposals": [], "proposal_count": 0})
    proposals, count = suspension_proposals_shown(user=request.user, today=timezone.localdate())
    return render(request, "certification/_proposals.html", {"proposals": proposals, "proposal_count": count})


@login_required
@require_safe
def awaiting_decision_view(request: HttpRequest) -> HttpResponse:
    """The decision makers' queue: grants and renewals whose report is issued and not yet decided on; search,
    filters, sort and pages (core/listing.py)."""
    return list_page(
        request,
        AwaitingDecisionFilter,
        awaiting_decision_queryset(user=request.user),
        "certification/awaiting.html",
        rows=lambda page: [awaiting_decision_row(report) for report in page],
    )


def _decision_form(certification: Certification, data: Any = None) -> DecisionForm:
    return DecisionForm(
        data,
        options=decision_options(certification=certification),
        standards=[(s.code, s.designation) for s in certification.standards.order_by("code")],
        sites=[(str(s.public_id), s.name) for s in certification.organization.sites.all()],
        lines=[line_dict(line) for line in scope_lines(certification)],
    )


def _certification_page(
    request: HttpRequest, certification: Certification, status: int = 200, form: DecisionForm | None = None
) -> HttpResponse:
    programme = current_programme(certification)
    r = reach(request.user)
    is_dm = "decision_maker" in r.roles_by_cb.get(certification.certification_body_id, frozenset())
    form = form or _decision_form(certification)
    file = (
        decision_file(user=request.user, certification=certification)
        if r.roles_by_cb.get(certification.certification_body_id) or r.superuser
        else None
    )
    return render(
        request,
        "certification/detail.html",
        {
            "certification": certification,
            "state": certification.effective_state(timezone.localdate()),
            "programme": programme,
            "certificate": certificate_of_certification(user=request.user, certification=certification),
            "decisions": file.decisions if file else certification.decisions.select_related("decided_by"),
            "file": file,
            "can_decide": is_dm,
            "on_team": decision_maker_on_team(request.user, programme),
            "form": form,
            "choices": form.offered,
            "unavailable": form.unavailable,
            "scope_groups": scope_groups(lines_snapshot(scope_lines(certification))),
        },
        status=status,
    )


@login_required
@require_safe
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


@login_required
@require_http_methods(["GET", "POST"])
def application_accept_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Accept a reviewed application (the form on the application's page, with its confirmation): opens the
    certification record and its 3-year programme, then shows the programme; an unconfirmed or refused
    acceptance comes back on the application's page with the reason."""
    application = application_get(user=request.user, public_id=public_id)
    form = AcceptApplicationForm(posted(request))
    return handle(
        request,
        form,
        lambda _: application_accept(actor=request.user, application=application),
        success="Accepted: the 3-year programme is created.",
        done=lambda programme: reverse("audits:programme-detail", args=[programme.public_id]),
        page=lambda status: _application_page(request, application, status, application_accept_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_lodge_view(request: HttpRequest) -> HttpResponse:
    """Lodge an appeal against a decision the user can see (client administrator, or CB staff for the client)."""
    form = AppealLodgeForm(posted(request), user=request.user)
    return handle(
        request,
        form,
        lambda data: appeal_lodge(actor=request.user, **data),
        success="Appeal lodged.",
        done=reverse("audits:appeals"),
        page=lambda status: render(request, "certification/appeal_lodge.html", {"form": form}, status=status),
    )


@login_required
@require_safe
def certification_file_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The certification file as one ZIP (conformo.certification.export): CB-wide staff of its CB only."""
    from conformo.certification.export import certification_file_build

    certification = certification_get(user=request.user, public_id=public_id)
    name, data = certification_file_build(user=request.user, certification=certification)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
