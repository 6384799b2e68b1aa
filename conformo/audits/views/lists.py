"""The CB workspace and the full lists it leads to: applications, programmes, audits, findings.

Each list is a page with search, filters, sort and pages (conformo/core/listing.py, the filters in
conformo/audits/filters.py); the workspace shows the first rows of each with counts, and every count links to the
list filtered to exactly those rows (the same conditions of conformo/audits/filters.py count both)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conformo.audits import selectors
from conformo.audits.choices import ApplicationStatus
from conformo.audits.filters import (
    ApplicationFilter,
    AuditFilter,
    FindingFilter,
    ProgrammeFilter,
    at_risk_audit_q,
    open_audit_q,
    open_finding_q,
    overdue_audit_q,
    response_overdue_q,
)
from conformo.audits.models import Audit, Auditor, Finding
from conformo.audits.views.common import is_manager
from conformo.core.listing import list_page
from conformo.core.pagination import read_page
from conformo.core.schemas import list_values
from conformo.core.tenancy import reach
from conformo.standards.models import Clause, Standard

#: Rows of each list the workspace shows before its "See all" link.
WORKSPACE_ROWS = 10
#: Programmes whose audit time should be determined again the workspace lists (the first, by client name).
REDETERMINE_ROWS = 50


def _link(name: str, **params: str) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _can_apply(request: HttpRequest) -> bool:
    return bool(reach(request.user).organizations) or is_manager(request.user)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The workspace: counts and the first rows of the applications, open audits (with their timing) and open
    findings (with overdue responses), each with a link to its full list, filtered. A manager's programmes whose
    audit time should be determined again are asked for once the page is drawn (`redetermination_list`, an htmx
    placeholder): the rule reads each active programme's determination in Python."""
    today = timezone.localdate()
    r = reach(request.user)
    applications = (
        selectors.application_list(user=request.user)
        .prefetch_related(None)
        .prefetch_related(Prefetch("standards", queryset=Standard.objects.only("designation")))
        .order_by("-created_at")
    )
    # The open audits and findings are those the lists' `open=true` filter keeps (its condition, without the
    # filters' form: 3 ms of the page).
    audits = shown_audits(selectors.audit_list(user=request.user)).filter(open_audit_q(today))
    # The workspace's rows do not show the findings' clauses (the findings page does): not read here.
    findings = shown_findings(selectors.finding_list(user=request.user), clauses=False).filter(open_finding_q())
    findings = findings.order_by(F("response_due").asc(nulls_last=True), "raised_on", "pk")
    manager = is_manager(request.user)
    # Each section's first rows and its badges' counts in one statement (core.pagination.read_page); the
    # conditions are those of the filters their links apply.
    first_audits, audit_counts = read_page(
        audits,
        0,
        WORKSPACE_ROWS,
        overdue=overdue_audit_q(today),
        at_risk=at_risk_audit_q(today),
    )
    first_findings, finding_counts = read_page(findings, 0, WORKSPACE_ROWS, overdue=response_overdue_q(today))
    first_applications, application_counts = read_page(
        applications,
        0,
        WORKSPACE_ROWS,
        to_review=Q(status=ApplicationStatus.SUBMITTED),
        to_accept=Q(status=ApplicationStatus.REVIEWED),
    )
    return render(
        request,
        "audits/home.html",
        {
            "applications": first_applications,
            "application_counts": {
                "all": (application_counts["all"], _link("audits:applications")),
                "to_review": (application_counts["to_review"], _link("audits:applications", status="submitted")),
                "to_accept": (application_counts["to_accept"], _link("audits:applications", status="reviewed")),
            },
            "audits": [(a, a.timing(today)) for a in first_audits],
            "audit_counts": {
                "all": (audit_counts["all"], _link("audits:audits", open="true")),
                "overdue": (audit_counts["overdue"], _link("audits:audits", timing="overdue")),
                "at_risk": (audit_counts["at_risk"], _link("audits:audits", timing="at_risk")),
            },
            "findings": [(f, f.response_overdue(today)) for f in first_findings],
            "finding_counts": {
                "all": (finding_counts["all"], _link("audits:findings", open="true")),
                "overdue": (finding_counts["overdue"], _link("audits:findings", response_due="overdue")),
            },
            "is_decision_maker": any("decision_maker" in roles for roles in r.roles_by_cb.values()),
            "can_apply": _can_apply(request),
            "is_manager": manager,
            "cb_staff": bool(r.roles_by_cb) or r.superuser,
            "cb_wide": bool(r.cb_wide) or r.superuser,
            "my_auditor": Auditor.objects.filter(user_id=request.user.pk or 0, active=True).only("public_id").first(),
        },
    )


def _redetermine(request: HttpRequest) -> list[Any]:
    if not request.user.is_authenticated or not is_manager(request.user):
        return []
    return selectors.programmes_to_redetermine(user=request.user, limit=REDETERMINE_ROWS)


@never_cache
@require_safe
def redetermination_list(request: HttpRequest) -> HttpResponse:
    """The workspace's programmes whose audit time should be determined again (the first `REDETERMINE_ROWS`, by
    client name, with the reasons): to htmx, the fragment it puts in place of the workspace's placeholder
    (`audits/_redetermine.html`, nothing when there are none, nobody is signed in — a session that ended while the
    page was open gets no sign-in page inside the workspace — or the user manages no CB); without JavaScript, the
    placeholder's link opens the same list as a page."""
    if request.headers.get("HX-Request"):
        return render(request, "audits/_redetermine.html", {"redetermine": _redetermine(request)})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "audits/redetermine.html", {"redetermine": _redetermine(request)})


@login_required
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    """Every application the user may read: search, filters, sort and pages."""
    rows = selectors.application_list(user=request.user).order_by("-created_at", "-pk")
    return list_page(request, ApplicationFilter, rows, "audits/applications.html", {"can_apply": _can_apply(request)})


@login_required
@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    """Every audit programme the user may read (the current and the past cycles)."""
    rows = (
        selectors.programme_list(user=request.user)
        .prefetch_related("standards")
        .order_by("organization__legal_name", "-cycle", "pk")
    )
    return list_page(request, ProgrammeFilter, rows, "audits/programmes.html")


def shown_audits(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """`audits` reading what the audits page, the schedule and the workspace show, and what `Audit.timing` reads,
    not the rest of five tables (a programme's scope and cycle dates, the client's and the CB's records, the audit's
    plan and stored team check as JSON). A page's teams are read by `with_team_names`."""
    return audits.only(
        *("public_id", "programme_id", "kind", "purpose", "status", "due_by", "days"),
        *("planned_start", "planned_end", "started_on", "completed_on"),
        *("programme__organization__legal_name", "programme__organization__country"),
        *("programme__certification__state", "programme__certification__expires_on"),
        "programme__certification_body__audit_settings__at_risk_days",
    ).prefetch_related(None)


def with_team_names(audits: list[Audit]) -> list[Audit]:
    """`audits` (a page of the audits list or the schedule), each with its team as a list (`listed_team`, written as
    the members' names), read as values in one query (`selectors.team_members`): prefetched, each member was three
    model instances (the member, the auditor, the user), 3 ms of a page of 50 audits at N = 600; as values, 1.3 ms."""
    return list_values(audits, "team", selectors.team_members)


def shown_findings(findings: QuerySet[Finding], *, clauses: bool = True) -> QuerySet[Finding]:
    """`findings` reading what the findings page and the workspace show: the finding, its client's name and
    country, and with `clauses` its clauses' references with their standards' codes in one query, as a list
    (`shown_clauses`: a related manager and a queryset per row cost the page 2 ms) — not the statements' evidence
    and deadlines, the site, or the standards' catalog notes."""
    cited = Clause.objects.select_related("standard").only("ref", "standard__code")
    return (
        findings.select_related(None)
        .select_related("audit__programme__organization")
        .only(
            *("public_id", "reference", "grade", "statement", "status", "raised_on", "response_due", "audit_id"),
            *("audit__programme_id", "audit__programme__organization__legal_name"),
            "audit__programme__organization__country",
        )
        .prefetch_related(None)
        .prefetch_related(*([Prefetch("clauses", queryset=cited, to_attr="shown_clauses")] if clauses else []))
    )


def audit_badges(today: Any) -> Any:
    """The conditions a filtered list of audits counts beside its total (`list_page(counted=...)`)."""

    def badges(audits: QuerySet[Any]) -> Mapping[str, Q]:
        return {"overdue": overdue_audit_q(today), "at_risk": at_risk_audit_q(today)}

    return badges


@login_required
@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    """Every audit the user may read (an auditor: those they are on the team of), by due date."""
    today = timezone.localdate()
    rows = shown_audits(selectors.audit_list(user=request.user))
    return list_page(
        request,
        AuditFilter,
        rows,
        "audits/audits.html",
        rows=lambda page: [(a, a.timing(today)) for a in with_team_names(page)],
        counted=audit_badges(today),
        indexed=True,  # audit_list_order
    )


@login_required
@require_safe
def finding_list(request: HttpRequest) -> HttpResponse:
    """Every finding the user may read, the next response due first."""
    today = timezone.localdate()
    rows = shown_findings(selectors.finding_list(user=request.user)).order_by(
        F("response_due").asc(nulls_last=True), "-raised_on", "pk"
    )
    return list_page(
        request,
        FindingFilter,
        rows,
        "audits/findings.html",
        rows=lambda page: [(f, f.response_overdue(today)) for f in page],
        counted=lambda found: {"overdue": response_overdue_q(today)},
        indexed=True,  # finding_list_order
    )
