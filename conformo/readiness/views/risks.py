"""A risk's page: its treatment and links, re-rating, the residual rating after treatment, and the owner's
acceptance (27001 6.1.3 f). Each action is a form with its own URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from conformo.core.errors import NotFound
from conformo.core.forms import form_status, handle, posted
from conformo.organizations.tenancy import org_context, require_manage
from conformo.readiness.forms import RiskAcceptForm, RiskRatingForm, RiskUpdateForm
from conformo.readiness.models import Risk
from conformo.readiness.services import may_accept, risk_accept, risk_rate_residual, risk_rerate, risk_update
from conformo.readiness.views.programme import _linkable_clauses
from conformo.standards.models import Clause


def _risk_get(request: HttpRequest, public_id: str) -> Risk:
    risk = (
        Risk.objects.visible_to(request.user)
        .select_related("organization", "owner")
        .prefetch_related("clauses__standard")
        .filter(public_id=public_id)
        .first()
    )
    if risk is None:
        raise NotFound("No such risk.")
    return risk


def _risk_form(request: HttpRequest, risk: Risk, linked: list[Clause]) -> RiskUpdateForm:
    """The treatment form; unbound it shows the entry as it stands."""
    clauses = _linkable_clauses(request.user, risk.organization) | Clause.objects.filter(pk__in=[c.pk for c in linked])
    return RiskUpdateForm(
        posted(request),
        organization=risk.organization,
        clauses=clauses.distinct(),
        search_url=reverse("readiness:risk-clauses", args=[risk.public_id]),
        initial={
            "treatment": risk.treatment,
            "treatment_status": risk.treatment_status,
            "treatment_plan": risk.treatment_plan,
            "owner": risk.owner,
            "clauses": linked,
        },
    )


def _risk_page(
    request: HttpRequest, risk: Risk, linked: list[Clause], form: RiskUpdateForm, **forms: Any
) -> HttpResponse:
    """The risk's page; `forms` replaces the rating forms (`rerate_form`, `residual_form`) shown with errors."""
    forms.setdefault("rerate_form", RiskRatingForm(prefix="rerate", initial=_rating(risk.likelihood, risk.impact)))
    forms.setdefault(
        "residual_form",
        RiskRatingForm(prefix="residual", initial=_rating(risk.residual_likelihood, risk.residual_impact)),
    )
    return render(
        request,
        "readiness/risk_detail.html",
        {
            **org_context(request, risk.organization, "risks"),
            "risk": risk,
            "linked": linked,
            "form": form,
            "can_accept": may_accept(request.user, risk),
            **forms,
        },
        status=form_status(form, *forms.values()),
    )


def _rating(likelihood: int | None, impact: int | None) -> dict[str, int | None]:
    return {"likelihood": likelihood, "impact": impact}


@login_required
@require_safe
def risk_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """One entry of the register: its rating, and (client administrators) the form for its treatment,
    treatment status, owner and the clauses or controls it is linked to."""
    risk = _risk_get(request, public_id)
    linked = list(risk.clauses.all())
    return _risk_page(request, risk, linked, _risk_form(request, risk, linked))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_update_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save the entry's treatment and links. GET shows the entry with the form."""
    risk = _risk_get(request, public_id)
    if request.method == "POST":
        require_manage(request.user, risk.organization_id, "risk")
    linked = list(risk.clauses.all())
    form = _risk_form(request, risk, linked)
    return handle(
        request,
        form,
        lambda data: risk_update(actor=request.user, risk=risk, **{**data, "clauses": list(data["clauses"])}),
        success="Treatment saved.",
        done=reverse("readiness:risk-detail", args=[risk.public_id]),
        page=lambda status: _risk_page(request, risk, linked, form),
    )


def _rating_action(request: HttpRequest, public_id: str, prefix: str, service: Callable[..., Any], success: str) -> Any:
    risk = _risk_get(request, public_id)
    if request.method == "POST":
        require_manage(request.user, risk.organization_id, "risk")
    linked = list(risk.clauses.all())
    form = RiskRatingForm(posted(request), prefix=prefix)
    return handle(
        request,
        form,
        lambda data: service(actor=request.user, risk=risk, **data),
        success=success,
        done=reverse("readiness:risk-detail", args=[risk.public_id]),
        page=lambda status: _risk_page(
            request, risk, linked, _risk_form(request, risk, linked), **{f"{prefix}_form": form}
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_rerate_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Rate the risk again (client administrators); the owner's acceptance is withdrawn."""
    return _rating_action(request, public_id, "rerate", risk_rerate, "Risk re-rated.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_residual_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the residual rating after treatment (client administrators)."""
    return _rating_action(request, public_id, "residual", risk_rate_residual, "Residual rating saved.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_accept_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The risk owner accepts the residual risk (a button)."""
    risk = _risk_get(request, public_id)
    linked = list(risk.clauses.all())
    form = RiskAcceptForm(posted(request))
    return handle(
        request,
        form,
        lambda data: risk_accept(actor=request.user, risk=risk),
        success="Residual risk accepted.",
        done=reverse("readiness:risk-detail", args=[risk.public_id]),
        page=lambda status: _risk_page(request, risk, linked, _risk_form(request, risk, linked), accept_form=form),
    )
