"""Pages of the certification path: applications and their review, programmes, audits with
their teams, findings with the client's response and the auditor's review and verification.

Every action has its own URL and form (conformo.audits.forms); GET of an action's URL shows its page. Bad
input, or a refusal for the object's state, comes back on the same page: the errors on the form, the user's
input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits import forms, selectors, services
from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.forms.transitions import TransitionAuditForm
from conformo.audits.models import Audit, Auditor
from conformo.audits.services.common import is_lead
from conformo.audits.views.common import agreement_section, is_manager, plan_section, report_section
from conformo.audits.views.determinations import determination_panel
from conformo.audits.views.scope import scope_panel
from conformo.core.forms import handle, posted
from conformo.core.tenancy import MANAGERS, has_cb_role, reach
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.tenancy import can_read, readiness_shared
from conformo.standards.models import Clause
from conformo.standards.pickers import clause_picker_response


def _applicable(request: HttpRequest) -> dict[str, Any]:
    orgs = Organization.objects.visible_to(request.user)
    return {"organizations": orgs, "cbs": CertificationBody.objects.filter(clients__organization__in=orgs).distinct()}


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    form = forms.ApplicationForm(
        posted(request), **_applicable(request), organization=request.GET.get("organization", "")
    )
    return handle(
        request,
        form,
        lambda data: services.application_submit(actor=request.user, **data),
        success="Application submitted.",
        done=lambda application: reverse("audits:application-detail", args=[application.public_id]),
        page=lambda status: render(request, "audits/application_form.html", {"form": form}, status=status),
    )


def _application_page(request: HttpRequest, application: Any, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "audits/application_detail.html",
        {
            "application": application,
            "review": services.latest_review(application),
            "panel": determination_panel(
                selectors.application_determination(user=request.user, application=application)
            ),
            "programme": application.programme.first(),
            "scope": scope_panel(application),
            "can_edit_scope": services.can_edit_scope(request.user, application),
            "is_manager": is_manager(request.user),
            "decide_form": bound.get("decide_form") or forms.EmptyForm(),
            "decline_form": bound.get("decline_form") or forms.DeclineForm(),
            "application_accept_form": bound.get("application_accept_form") or forms.AcceptApplicationForm(),
            **agreement_section(request.user, application, bound),
        },
        status=status,
    )


@login_required
@require_safe
def application_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, public_id=public_id)
    return _application_page(request, application)


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, public_id=public_id)
    form = forms.EmptyForm(posted(request))
    return handle(
        request,
        form,
        lambda _: services.application_review(actor=request.user, application=application),
        success="Review recorded.",
        done=reverse("audits:application-detail", args=[application.public_id]),
        page=lambda status: _application_page(request, application, status, decide_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, public_id=public_id)
    form = forms.DeclineForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.application_decline(actor=request.user, application=application, **data),
        success="Application declined.",
        done=reverse("audits:application-detail", args=[application.public_id]),
        page=lambda status: _application_page(request, application, status, decline_form=form),
    )


def transition_context(programme: Any, today: Any, manages: bool, form: Any, user: Any) -> dict[str, Any]:
    """The programme's editions being replaced (end, days left, transition audit, risk) and the form to plan
    the move, for those who manage the programme. The certificates are links for those who may open them (the
    CB's office; an auditor reads the programme of his audits, not the CB's register)."""
    r = reach(user)
    rows = services.clients_in_transition([programme.certification_body_id], today, programme_ids=[programme.pk])
    certificates = []
    if rows:  # the certificate still on the old edition, read through the certification's reverse relation
        certificates = list(
            programme.certification.certificates.filter(is_current=True).values_list("number", flat=True)
        )
    return {
        "transitions": rows,
        "old_certificates": certificates,
        "certificate_links": r.superuser or programme.certification_body_id in r.cb_wide,
        "transition_form": form or (TransitionAuditForm(programme=programme) if rows and manages else None),
    }


def _programme_page(request: HttpRequest, programme: Any, status: int = 200, **bound: Any) -> HttpResponse:
    today = timezone.localdate()
    manages = has_cb_role(request.user, programme.certification_body_id, *MANAGERS)
    audits = list(programme.audits.prefetch_related("sites", "team__auditor__user"))
    report_due = services.report_due_dates(audits, programme.certification_body)
    return render(
        request,
        "audits/programme_detail.html",
        {
            "programme": programme,
            "audits": [(a, a.timing(today), report_due.get(a.pk)) for a in audits],
            # An auditor reads the programme of an audit they are on, but opens only the audits they are on.
            "openable": set(
                Audit.objects.visible_to(request.user).filter(programme=programme).values_list("pk", flat=True)
            ),
            "today": today,
            "concerns": selectors.stage1_concerns(programme),
            "is_manager": is_manager(request.user),
            "panel": determination_panel(selectors.programme_determination(user=request.user, programme=programme)),
            "reasons": selectors.redetermination_reasons(programme) if manages else [],
            "combine_form": bound.get("combine_form") or forms.CombinedAuditForm(),
            "special_form": bound.get("special_form") or forms.SpecialAuditForm(),
            **transition_context(programme, today, manages, bound.get("transition_form"), request.user),
        },
        status=status,
    )


@login_required
@require_safe
def programme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _programme_page(request, selectors.programme_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "POST"])
def programme_combine(request: HttpRequest, public_id: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, public_id=public_id)
    form = forms.CombinedAuditForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.programme_record_combined_audit(actor=request.user, programme=programme, **data),
        success="Combined audit recorded.",
        done=reverse("audits:programme-detail", args=[programme.public_id]),
        page=lambda status: _programme_page(request, programme, status, combine_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def special_audit_create(request: HttpRequest, public_id: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, public_id=public_id)
    form = forms.SpecialAuditForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.special_audit_create(actor=request.user, programme=programme, **data),
        success="Special audit added.",
        done=reverse("audits:programme-detail", args=[programme.public_id]),
        page=lambda status: _programme_page(request, programme, status, special_form=form),
    )


def _team_form(audit: Any, data: Any = None) -> forms.TeamForm:
    auditors = list(
        Auditor.objects.filter(certification_body_id=audit.programme.certification_body_id, active=True).select_related(
            "user"
        )
    )
    current = {m.auditor_id: m.role for m in audit.team.all()}
    # Each auditor's eligibility, from the rule the assignment enforces; only a planned audit's team changes.
    eligibility = services.auditor_eligibility(audit, auditors) if audit.status == AuditStatus.PLANNED else {}
    return forms.TeamForm(data, auditors=auditors, current=current, eligibility=eligibility)


def _finding_form(audit: Any, data: Any = None) -> forms.FindingForm:
    programme = audit.programme
    return forms.FindingForm(
        data,
        clauses=Clause.objects.filter(standard__in=programme.standards.all()).select_related("standard"),
        sites=programme.organization.sites.all(),
        search_url=reverse("audits:clause-picker", args=[audit.public_id]),
    )


@login_required
@require_safe
def clause_picker(request: HttpRequest, public_id: str) -> HttpResponse:
    """The finding forms' clause search (htmx): the audit's clauses matching by number or title, the chosen kept."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    field = _finding_form(audit).fields["clauses"]
    assert isinstance(field, django_forms.ModelMultipleChoiceField)
    return clause_picker_response(request, field)


def _client_readiness(user: Any, audit: Any) -> dict[str, bool] | None:
    """Stage 1 only: whether the client shares its readiness work with the CB, and whether this user reads it
    (the rules live in organizations.tenancy). The page links to the readiness pages only when both hold."""
    if audit.kind != AuditKind.STAGE_1:
        return None
    programme = audit.programme
    shares = readiness_shared(programme.organization_id, programme.certification_body_id)
    return {"shares": shares, "readable": shares and can_read(user, programme.organization_id)}


def _start_section(user: Any, audit: Any) -> dict[str, Any]:
    """Whether this user may start the audit (the programme manager, the lead auditor) and, for a planned stage 1,
    why it cannot start yet for want of a certification agreement."""
    programme = audit.programme
    blocked = None
    if audit.kind == AuditKind.STAGE_1 and audit.status == "planned":
        blocked = services.stage1_agreement_block(programme.application)
    return {
        "can_start": has_cb_role(user, programme.certification_body_id, *MANAGERS) or is_lead(user, audit),
        "start_blocked": blocked,
    }


def _audit_page(request: HttpRequest, audit: Any, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "timing": audit.timing(timezone.localdate()),
            "team": audit.team.select_related("auditor__user"),
            "findings": audit.findings.prefetch_related("clauses__standard"),
            "is_manager": is_manager(request.user),
            "concerns": selectors.stage1_concerns(audit.programme) if audit.kind == "stage2" else [],
            "client_readiness": _client_readiness(request.user, audit),
            "plan_form": bound.get("plan_form") or forms.AuditPlanForm(initial=forms.AuditPlanForm.initial_for(audit)),
            "team_form": bound.get("team_form") or _team_form(audit),
            "start_form": bound.get("start_form") or forms.StartForm(),
            "complete_form": bound.get("complete_form") or forms.CompleteForm(),
            "finding_form": bound.get("finding_form") or _finding_form(audit),
            **_start_section(request.user, audit),
            **plan_section(request.user, audit, bound),
            **report_section(request.user, audit, bound),
        },
        status=status,
    )


@login_required
@require_safe
def audit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_page(request, selectors.audit_get(user=request.user, public_id=public_id))


def _audit_action(
    request: HttpRequest,
    public_id: str,
    key: str,
    make_form: Callable[[Any, Any], Form],
    call: Callable[[Any, Any], Any],
    success: str,
) -> HttpResponse:
    """An action on the audit page: `make_form(audit, data)`, then `call(audit, cleaned_data)`."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    form = make_form(audit, posted(request))
    return handle(
        request,
        form,
        lambda data: call(audit, data),
        success=success,
        done=reverse("audits:audit-detail", args=[audit.public_id]),
        page=lambda status: _audit_page(request, audit, status, **{key: form}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_plan(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "plan_form",
        lambda audit, data: forms.AuditPlanForm(data, initial=forms.AuditPlanForm.initial_for(audit)),
        lambda audit, data: services.audit_plan(actor=request.user, audit=audit, **data),
        "Plan saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    """Assign the team: one role per auditor of the CB, the form showing today's team."""
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    form = _team_form(audit, posted(request))
    return handle(
        request,
        form,
        lambda _: services.audit_team_assign(actor=request.user, audit=audit, members=form.members()),
        success="Team assigned.",
        done=reverse("audits:audit-detail", args=[audit.public_id]),
        page=lambda status: _audit_page(request, audit, status, team_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_start(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "start_form",
        lambda audit, data: forms.StartForm(data),
        lambda audit, _: services.audit_start(actor=request.user, audit=audit),
        "Audit started.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_complete(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "complete_form",
        lambda audit, data: forms.CompleteForm(data),
        lambda audit, data: services.audit_complete(actor=request.user, audit=audit, **data),
        "Audit completed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_raise(request: HttpRequest, public_id: str) -> HttpResponse:
    return _audit_action(
        request,
        public_id,
        "finding_form",
        _finding_form,
        lambda audit, data: services.finding_raise(actor=request.user, audit=audit, **data),
        "Finding raised.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition_audit_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Plan the client's move to a new edition: a transition audit, or a surveillance / recertification
    combined with it (conformo.audits.services.transitions.transition_audit_add)."""
    programme = selectors.programme_get(user=request.user, public_id=public_id)
    form = TransitionAuditForm(posted(request), programme=programme)
    return handle(
        request,
        form,
        lambda data: services.transition_audit_add(actor=request.user, programme=programme, **data),
        success="Transition audit planned.",
        done=reverse("audits:programme-detail", args=[programme.public_id]),
        page=lambda status: _programme_page(request, programme, status, transition_form=form),
    )
