"""Internal audit programme (with coverage matrix), management reviews and the risk register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conformo.core.errors import Conflict, NotFound
from conformo.core.forms import attempt, form_status, handle, posted
from conformo.core.listing import list_page
from conformo.domain.readiness import management_review_inputs
from conformo.improvement.services import nonconformity_raise
from conformo.organizations.tenancy import (
    can_manage,
    org_context,
    organization_for,
    organization_to_manage,
    require_manage,
)
from conformo.readiness import selectors
from conformo.readiness.filters import RiskFilter, with_rating
from conformo.readiness.forms import (
    InternalAuditCompleteForm,
    InternalAuditFindingForm,
    InternalAuditForm,
    ManagementReviewForm,
    ReviewActionForm,
    ReviewForm,
    RiskForm,
    RiskMatrixForm,
    year_filter,
)
from conformo.readiness.models import InternalAudit, ManagementReview, ReviewAction, Risk, RiskMatrixConfig
from conformo.readiness.services import (
    internal_audit_complete,
    internal_audit_plan,
    management_review_create,
    management_review_record,
    review_action_add,
    review_action_complete,
    risk_create,
    risk_matrix_configure,
)
from conformo.readiness.services.programme import risk_matrix_for
from conformo.standards.models import Clause, ClauseKind, Standard


def _assessed_clauses(assessment: Any) -> Any:
    if assessment is None:
        return Clause.objects.none()
    return (
        Clause.objects.filter(standard__in=assessment.standards.all(), kind=ClauseKind.CLAUSE, retired=False)
        .select_related("standard")
        .order_by("standard__code", "position")
    )


def _audit_programme_page(request: HttpRequest, org: Any, assessment: Any, form: InternalAuditForm) -> HttpResponse:
    audits = InternalAudit.objects.visible_to(request.user).filter(organization=org)
    year = year_filter(request.GET)
    if year is not None:
        audits = audits.filter(planned_on__year=year)
    return render(
        request,
        "readiness/audit_programme.html",
        {
            **org_context(request, org, "audits"),
            "audits": audits,
            "form": form,
            "coverage": selectors.audit_coverage(user=request.user, organization=org, assessment=assessment),
        },
        status=form_status(form),
    )


@login_required
@require_safe
def audit_programme_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    return _audit_programme_page(request, org, assessment, _internal_audit_form(None, org, assessment))


def _internal_audit_form(data: Any, org: Any, assessment: Any) -> InternalAuditForm:
    url = reverse("readiness:internal-audit-clauses", args=[org.public_id])
    return InternalAuditForm(data, clauses=_assessed_clauses(assessment), search_url=url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def internal_audit_create_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Plan an internal audit on clauses of the latest assessment. GET shows the programme with the form."""
    org = organization_to_manage(request.user, org_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    form = _internal_audit_form(posted(request), org, assessment)
    return handle(
        request,
        form,
        lambda data: internal_audit_plan(actor=request.user, organization=org, **data),
        success="Internal audit planned.",
        done=lambda audit: reverse("readiness:internal-audit", args=[audit.public_id]),
        page=lambda status: _audit_programme_page(request, org, assessment, form),
    )


def _internal_audit_get(request: HttpRequest, public_id: str) -> InternalAudit:
    audit = (
        InternalAudit.objects.visible_to(request.user)
        .select_related("organization")
        .filter(public_id=public_id)
        .first()
    )
    if audit is None:
        raise NotFound("No such internal audit.")
    return audit


def _internal_audit_page(request: HttpRequest, audit: InternalAudit, **forms: Any) -> HttpResponse:
    forms.setdefault("complete_form", InternalAuditCompleteForm())
    forms.setdefault("finding_form", InternalAuditFindingForm(audit=audit))
    return render(
        request,
        "readiness/internal_audit.html",
        {
            **org_context(request, audit.organization, "audits"),
            "audit": audit,
            "checklist": audit.clauses.select_related("standard").order_by("standard__code", "position"),
            "findings": audit.nonconformities.all(),
            **forms,
        },
        status=form_status(*forms.values()),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def internal_audit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _internal_audit_page(request, _internal_audit_get(request, public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def internal_audit_complete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    audit = _internal_audit_get(request, public_id)
    if request.method == "POST":  # readers (members, the CB while shared) get a 403, not a form with errors
        require_manage(request.user, audit.organization_id, "internal audit")
    form = InternalAuditCompleteForm(posted(request))
    if (
        request.method == "POST"
        and attempt(form, lambda data: internal_audit_complete(actor=request.user, audit=audit, **data)) is not None
    ):
        messages.success(request, "Audit completed; its clauses now count as covered.")
        return redirect("readiness:internal-audit", public_id=audit.public_id)
    return _internal_audit_page(request, audit, complete_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def internal_audit_finding_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Raise a nonconformity from the audit, on clauses of its checklist."""
    audit = _internal_audit_get(request, public_id)
    if request.method == "POST":  # readers (members, the CB while shared) get a 403, not a form with errors
        require_manage(request.user, audit.organization_id, "internal audit")
    form = InternalAuditFindingForm(posted(request), audit=audit)
    if request.method == "POST":

        def raise_(data: dict[str, Any]) -> Any:
            return nonconformity_raise(
                actor=request.user,
                organization=audit.organization,
                source="internal_audit",
                grade=data["grade"],
                title=data["title"],
                description=data["description"],
                clauses=list(data["clauses"]),
                internal_audit=audit,
            )

        nc = attempt(form, raise_)
        if nc is not None:
            messages.success(request, f"{nc.reference} raised.")
            return redirect("readiness:internal-audit", public_id=audit.public_id)
    return _internal_audit_page(request, audit, finding_form=form)


def _review_list_page(request: HttpRequest, org: Any, form: ReviewForm) -> HttpResponse:
    reviews = ManagementReview.objects.visible_to(request.user).filter(organization=org).prefetch_related("standards")
    return render(
        request,
        "readiness/review_list.html",
        {**org_context(request, org, "reviews"), "reviews": reviews, "form": form},
        status=form_status(form),
    )


def _review_standards(request: HttpRequest, org: Any) -> Any:
    """The standards a review can be planned on: those of the latest assessment."""
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    return assessment.standards.all() if assessment else Standard.objects.none()


@login_required
@require_safe
def review_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    return _review_list_page(request, org, ReviewForm(standards=_review_standards(request, org)))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_create_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Plan a management review. GET shows the reviews with the form."""
    org = organization_to_manage(request.user, org_id)
    form = ReviewForm(posted(request), standards=_review_standards(request, org))
    return handle(
        request,
        form,
        lambda data: management_review_create(actor=request.user, organization=org, **data),
        success="Management review planned.",
        done=lambda review: reverse("readiness:review-detail", args=[review.public_id]),
        page=lambda status: _review_list_page(request, org, form),
    )


def _review_get(request: HttpRequest, public_id: str) -> ManagementReview:
    review = (
        ManagementReview.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related("standards")
        .filter(public_id=public_id)
        .first()
    )
    if review is None:
        raise NotFound("No such management review.")
    return review


def _review_form(request: HttpRequest, review: ManagementReview, data: Any = None) -> ManagementReviewForm:
    """The record form; unbound it shows the review as recorded, and readers see it disabled."""
    return ManagementReviewForm(
        data,
        review=review,
        required=management_review_inputs(s.code for s in review.standards.all()),
        read_only=not can_manage(request.user, review.organization_id),
    )


def _review_page(request: HttpRequest, review: ManagementReview, **forms: Any) -> HttpResponse:
    if "record_form" not in forms:
        forms["record_form"] = _review_form(request, review)
    forms.setdefault("action_form", ReviewActionForm(organization=review.organization))
    return render(
        request,
        "readiness/review_detail.html",
        {
            **org_context(request, review.organization, "reviews"),
            "review": review,
            "actions": review.actions.select_related("owner"),
            "today": timezone.localdate(),
            **forms,
        },
        status=form_status(*forms.values()),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def review_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _review_page(request, _review_get(request, public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_record_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the review: when it was held, who attended, each required input and the decisions."""
    review = _review_get(request, public_id)
    if request.method == "POST":
        require_manage(request.user, review.organization_id, "management review")
    form = _review_form(request, review, posted(request))
    if request.method == "POST":
        saved = attempt(
            form, lambda _: management_review_record(actor=request.user, review=review, **form.service_data())
        )
        if saved is not None:
            messages.success(request, "Management review saved.")
            return redirect("readiness:review-detail", public_id=review.public_id)
    return _review_page(request, review, record_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_action_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    review = _review_get(request, public_id)
    if request.method == "POST":
        require_manage(request.user, review.organization_id, "management review")
    form = ReviewActionForm(posted(request), organization=review.organization)
    if (
        request.method == "POST"
        and attempt(form, lambda data: review_action_add(actor=request.user, review=review, **data)) is not None
    ):
        messages.success(request, "Action added.")
        return redirect("readiness:review-detail", public_id=review.public_id)
    return _review_page(request, review, action_form=form)


def _review_action_mark(request: HttpRequest, public_id: str, *, done: bool) -> HttpResponse:
    found = (
        ReviewAction.objects.visible_to(request.user)
        .filter(public_id=public_id)
        .select_related("review", "review__organization")
        .first()
    )
    if found is None:
        raise NotFound("No such review action.")
    try:
        review_action_complete(actor=request.user, action=found, done=done)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Action marked done." if done else "Action reopened.")
    return redirect("readiness:review-detail", public_id=found.review.public_id)


@login_required
@require_POST
def review_action_done_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark a management-review action done (a button: no input to validate)."""
    return _review_action_mark(request, public_id, done=True)


@login_required
@require_POST
def review_action_reopen_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _review_action_mark(request, public_id, done=False)


def _risk_list_page(request: HttpRequest, org: Any, **forms: Any) -> HttpResponse:
    matrix = risk_matrix_for(org)
    forms.setdefault("form", RiskForm())
    forms.setdefault(
        "matrix_form",
        RiskMatrixForm(
            initial={
                "likelihood_levels": matrix.likelihood_levels,
                "impact_levels": matrix.impact_levels,
                "low_max": matrix.low_max,
                "medium_max": matrix.medium_max,
            }
        ),
    )
    risks = with_rating(
        Risk.objects.visible_to(request.user)
        .filter(organization=org)
        .select_related("owner")
        .prefetch_related("clauses__standard")
    )
    return list_page(
        request,
        RiskFilter,
        risks,
        "readiness/risk_list.html",
        {
            **org_context(request, org, "risks"),
            "matrix": matrix,
            "configured": RiskMatrixConfig.objects.filter(organization=org).exists(),
            **forms,
        },
        status=form_status(*forms.values()),
    )


@login_required
@require_safe
def risk_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """The register."""
    return _risk_list_page(request, organization_for(request.user, org_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_create_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Add an entry to the register. GET shows the register with the form."""
    org = organization_to_manage(request.user, org_id)
    form = RiskForm(posted(request))
    return handle(
        request,
        form,
        lambda data: risk_create(actor=request.user, organization=org, **data),
        success="Entry added.",
        done=reverse("readiness:risks", args=[org.public_id]),
        page=lambda status: _risk_list_page(request, org, form=form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_matrix_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Configure the organization's risk matrix."""
    org = organization_to_manage(request.user, org_id)
    form = RiskMatrixForm(posted(request))
    if (
        request.method == "POST"
        and attempt(form, lambda data: risk_matrix_configure(actor=request.user, organization=org, **data)) is not None
    ):
        messages.success(request, "Risk matrix saved.")
        return redirect("readiness:risks", org_id=org.public_id)
    return _risk_list_page(request, org, matrix_form=form)


def _linkable_clauses(user: Any, organization: Any) -> Any:
    """Clauses and annex controls of the standards of the organization's latest assessment."""
    assessment = selectors.latest_assessment(user=user, organization=organization)
    if assessment is None:
        return Clause.objects.none()
    return (
        Clause.objects.filter(standard__in=assessment.standards.all(), retired=False)
        .exclude(kind=ClauseKind.CLAUSE, depth=1)
        .select_related("standard")
        .order_by("standard__code", "kind", "position")
    )
