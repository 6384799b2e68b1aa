"""Pages of the fees app: the CB's price list (CB staff read it, the CB administrator edits it), an application's
quotations with the action that quotes it, one quotation, and its proposal as PDF (the CB's staff and the
client's people)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits import selectors as audit_selectors
from conformo.audits.models import Application
from conformo.audits.views.setup import current_cb, with_cb
from conformo.core.errors import ValidationFailed
from conformo.core.forms import apply_errors, form_status, handle, posted
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role, require_cb_role
from conformo.fees import selectors, services
from conformo.fees.forms import PriceSettingsForm, QuotationCreateForm
from conformo.fees.pdf import proposal_pdf
from conformo.organizations.tenancy import cbs_of


@login_required
@require_http_methods(["GET", "POST"])
def prices(request: HttpRequest) -> HttpResponse:
    """The CB's price list: its staff read it, the CB administrator changes it."""
    cb = current_cb(request)
    current = services.price_settings_get(cb)
    can_edit = has_cb_role(request.user, cb.pk, Role.CB_ADMIN.value)
    if request.method == "POST":
        require_cb_role(request.user, cb.pk, Role.CB_ADMIN.value, action="change the CB's prices")
    form = PriceSettingsForm(posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.PRICE_FIELDS}
        try:
            services.price_settings_update(actor=request.user, certification_body=cb, **values)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Prices saved; quotations already made keep their figures.")
            return redirect(with_cb("fees:prices", cb))
    return render(
        request,
        "fees/prices.html",
        {"cb": cb, "cbs": cbs_of(request.user), "form": form, "saved": current.pk is not None, "can_edit": can_edit},
        status=form_status(form),
    )


def _quotations_page(
    request: HttpRequest, application: Application, form: QuotationCreateForm, status: int
) -> HttpResponse:
    return render(
        request,
        "fees/quotations.html",
        {"application": application, "form": form},
        status=status,
    )


@login_required
@require_safe
def application_quotations(request: HttpRequest, public_id: str) -> HttpResponse:
    """The application's quotations (the panel of the application page, on its own page)."""
    application = audit_selectors.application_get(user=request.user, public_id=public_id)
    return _quotations_page(request, application, QuotationCreateForm(), 200)


@login_required
@require_http_methods(["GET", "POST"])
def quotation_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Quote the application (again) from its current audit-time determination and the CB's prices."""
    application = audit_selectors.application_get(user=request.user, public_id=public_id)
    form = QuotationCreateForm(posted(request))
    return handle(
        request,
        form,
        lambda _: services.quotation_create(actor=request.user, application=application),
        success="Quotation made.",
        done=lambda quotation: reverse("fees:quotation-detail", args=[quotation.public_id]),
        page=lambda status: _quotations_page(request, application, form, status),
    )


@login_required
@require_safe
def quotation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One quotation: its fees per audit, the total with tax, its validity, the link to its proposal."""
    quotation = selectors.quotation_get(user=request.user, public_id=public_id)
    return render(
        request,
        "fees/quotation_detail.html",
        {
            "q": quotation,
            "result": quotation.result,
            "current": selectors.is_current(quotation),
        },
    )


@login_required
@require_safe
def proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    """The quotation's proposal as PDF."""
    quotation = selectors.quotation_get(user=request.user, public_id=public_id)
    response = HttpResponse(proposal_pdf(quotation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposal-{quotation.facts.get("reference", "")}.pdf"'
    return response
