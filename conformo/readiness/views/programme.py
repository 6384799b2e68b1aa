"""Internal audit programme (with coverage matrix), management reviews and the risk register."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from conformo.core.errors import Conflict, NotFound, ValidationFailed
from conformo.domain.readiness import management_review_inputs
from conformo.improvement.services import nonconformity_raise
from conformo.readiness import selectors
from conformo.readiness.forms import InternalAuditForm, ReviewActionForm, ReviewForm, RiskForm, RiskUpdateForm
from conformo.readiness.models import InternalAudit, ManagementReview, ReviewAction, Risk, RiskMatrixConfig
from conformo.readiness.permissions import organization_for, require_manage
from conformo.readiness.services import (
    internal_audit_complete,
    internal_audit_plan,
    management_review_create,
    management_review_record,
    review_action_add,
    review_action_complete,
    risk_create,
    risk_matrix_configure,
    risk_update,
)
from conformo.readiness.services.programme import risk_matrix_for
from conformo.readiness.views.common import apply_errors, org_context
from conformo.standards.models import Clause, ClauseKind


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _assessed_clauses(assessment: Any) -> Any:
    if assessment is None:
        return Clause.objects.none()
    return (
        Clause.objects.filter(standard__in=assessment.standards.all(), kind=ClauseKind.CLAUSE, retired=False)
        .select_related("standard")
        .order_by("standard__code", "position")
    )


@login_required
def audit_programme_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    form = InternalAuditForm(request.POST or None, clauses=_assessed_clauses(assessment))
    if request.method == "POST" and form.is_valid():
        try:
            audit = internal_audit_plan(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Internal audit planned.")
            return redirect("readiness:internal-audit", public_id=audit.public_id)
    year = request.GET.get("year")
    audits = InternalAudit.objects.visible_to(request.user).filter(organization=org)
    if year and year.isdigit():
        audits = audits.filter(planned_on__year=int(year))
    return render(
        request,
        "readiness/audit_programme.html",
        {
            **org_context(request, org, "audits"),
            "audits": audits,
            "form": form,
            "coverage": selectors.audit_coverage(user=request.user, organization=org, assessment=assessment),
        },
    )


@login_required
def internal_audit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    audit = (
        InternalAudit.objects.visible_to(request.user)
        .select_related("organization")
        .filter(public_id=public_id)
        .first()
    )
    if audit is None:
        raise NotFound("No such internal audit.")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "complete":
                internal_audit_complete(
                    actor=request.user,
                    audit=audit,
                    completed_on=parse_date(request.POST.get("completed_on", "")) or timezone.localdate(),
                    summary=request.POST.get("summary", ""),
                )
                messages.success(request, "Audit completed; its clauses now count as covered.")
            else:
                clause_ids = [int(c) for c in request.POST.getlist("clauses") if c.isdigit()]
                nc = nonconformity_raise(
                    actor=request.user,
                    organization=audit.organization,
                    source="internal_audit",
                    grade=request.POST.get("grade", ""),
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    clauses=list(audit.clauses.filter(pk__in=clause_ids)),
                    internal_audit=audit,
                )
                messages.success(request, f"{nc.reference} raised.")
        except ValidationFailed as exc:
            messages.error(request, f"{exc.message} " + " ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()))
        return redirect("readiness:internal-audit", public_id=audit.public_id)
    return render(
        request,
        "readiness/internal_audit.html",
        {
            **org_context(request, audit.organization, "audits"),
            "audit": audit,
            "checklist": audit.clauses.select_related("standard").order_by("standard__code", "position"),
            "findings": audit.nonconformities.all(),
        },
    )


@login_required
def review_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    standards = assessment.standards.all() if assessment else Clause.objects.none()
    form = ReviewForm(request.POST or None, standards=standards)
    if request.method == "POST" and form.is_valid():
        try:
            review = management_review_create(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return redirect("readiness:review-detail", public_id=review.public_id)
    reviews = ManagementReview.objects.visible_to(request.user).filter(organization=org).prefetch_related("standards")
    return render(
        request,
        "readiness/review_list.html",
        {**org_context(request, org, "reviews"), "reviews": reviews, "form": form},
    )


@login_required
def review_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    review = (
        ManagementReview.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related("standards")
        .filter(public_id=public_id)
        .first()
    )
    if review is None:
        raise NotFound("No such management review.")
    required = management_review_inputs(s.code for s in review.standards.all())
    if request.method == "POST":
        require_manage(request.user, review.organization_id, "management review")
    adding = request.method == "POST" and request.POST.get("action") == "add-action"
    action_form = ReviewActionForm(request.POST if adding else None, organization=review.organization)
    if adding:
        if action_form.is_valid():
            try:
                review_action_add(actor=request.user, review=review, **action_form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(action_form, exc)
            else:
                messages.success(request, "Action added.")
                return redirect("readiness:review-detail", public_id=review.public_id)
    elif request.method == "POST":
        try:
            if request.POST.get("action") in ("done", "reopen"):
                found = (
                    ReviewAction.objects.visible_to(request.user)
                    .filter(review=review, public_id=_uuid(request.POST.get("action_id", "")))
                    .select_related("review")
                    .first()
                )
                if found is None:
                    raise NotFound("No such review action.")
                review_action_complete(actor=request.user, action=found, done=request.POST["action"] == "done")
                messages.success(request, "Action marked done." if found.done else "Action reopened.")
            else:
                management_review_record(
                    actor=request.user,
                    review=review,
                    inputs={i.key: request.POST.get(f"input-{i.key}", "") for i in required},
                    held_on=parse_date(request.POST.get("held_on", "") or ""),
                    attendees=request.POST.get("attendees", ""),
                    decisions=request.POST.get("decisions", ""),
                )
                messages.success(request, "Management review saved.")
        except (ValidationFailed, Conflict) as exc:
            messages.error(request, exc.message)
        return redirect("readiness:review-detail", public_id=review.public_id)
    inputs = [(i, review.inputs.get(i.key, "")) for i in required]
    return render(
        request,
        "readiness/review_detail.html",
        {
            **org_context(request, review.organization, "reviews"),
            "review": review,
            "inputs": inputs,
            "actions": review.actions.select_related("owner"),
            "action_form": action_form,
            "today": timezone.localdate(),
        },
    )


@login_required
def risk_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    form = RiskForm(request.POST or None)
    if request.method == "POST":
        try:
            if "configure" in request.POST:
                risk_matrix_configure(
                    actor=request.user,
                    organization=org,
                    **{
                        k: int(request.POST.get(k, "0") or 0)
                        for k in ("likelihood_levels", "impact_levels", "low_max", "medium_max")
                    },
                )
                messages.success(request, "Risk matrix saved.")
                return redirect("readiness:risks", org_id=org.public_id)
            if form.is_valid():
                risk_create(actor=request.user, organization=org, **form.cleaned_data)
                messages.success(request, "Entry added.")
                return redirect("readiness:risks", org_id=org.public_id)
        except ValidationFailed as exc:
            apply_errors(form, exc)
    risks = (
        Risk.objects.visible_to(request.user)
        .filter(organization=org)
        .select_related("owner")
        .prefetch_related("clauses")
    )
    kind = request.GET.get("kind")
    if kind:
        risks = risks.filter(kind=kind)
    return render(
        request,
        "readiness/risk_list.html",
        {
            **org_context(request, org, "risks"),
            "risks": risks,
            "form": form,
            "matrix": risk_matrix_for(org),
            "configured": RiskMatrixConfig.objects.filter(organization=org).exists(),
        },
    )


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


@login_required
def risk_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """One entry of the register: its rating, and (client administrators) its treatment, treatment status,
    owner and the clauses or controls it is linked to."""
    risk = (
        Risk.objects.visible_to(request.user)
        .select_related("organization", "owner")
        .prefetch_related("clauses__standard")
        .filter(public_id=public_id)
        .first()
    )
    if risk is None:
        raise NotFound("No such risk.")
    if request.method == "POST":
        require_manage(request.user, risk.organization_id, "risk")
    linked = list(risk.clauses.all())
    clauses = _linkable_clauses(request.user, risk.organization) | Clause.objects.filter(pk__in=[c.pk for c in linked])
    form = RiskUpdateForm(
        request.POST or None,
        organization=risk.organization,
        clauses=clauses.distinct(),
        initial={
            "treatment": risk.treatment,
            "treatment_status": risk.treatment_status,
            "treatment_plan": risk.treatment_plan,
            "owner": risk.owner,
            "clauses": linked,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["clauses"] = list(data["clauses"])
        try:
            risk_update(actor=request.user, risk=risk, **data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Treatment saved.")
            return redirect("readiness:risk-detail", public_id=risk.public_id)
    return render(
        request,
        "readiness/risk_detail.html",
        {**org_context(request, risk.organization, "risks"), "risk": risk, "linked": linked, "form": form},
    )
