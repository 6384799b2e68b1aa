"""Pages of the CB set-up: the CB settings, accreditations, and each auditor's declared conflicts of
interest and unavailability. The services check who may act; a refusal for lack of role is a 403 page,
bad input comes back as field errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits import selectors, services
from conformo.audits.forms import AccreditationForm, CBSettingsForm, ConflictForm, UnavailabilityForm
from conformo.audits.services.qualifications import read_qualifications
from conformo.audits.views.common import CB_ADMIN
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.forms import apply_errors, form_status, handle, posted
from conformo.core.tenancy import MANAGERS, by_id, has_cb_role
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.tenancy import cbs_of


def current_cb(request: HttpRequest) -> CertificationBody:
    """The CB the page is about: `?cb=<id>` among the user's CBs, else their first; a refusal page (403) for
    those who are not a CB's staff: the page exists, their role does not include it."""
    cbs = cbs_of(request.user).order_by("name")
    cb = by_id(cbs, request.GET.get("cb")) or cbs.first()
    if cb is None:
        raise PermissionDenied("These pages are for the staff of a certification body.")
    return cb


def with_cb(name: str, cb: CertificationBody) -> str:
    return f"{reverse(name)}?cb={cb.public_id}"


@login_required
def cb_settings(request: HttpRequest) -> HttpResponse:
    """The CB's choices for every non-normative rule: CB staff read them, the CB administrator edits."""
    cb = current_cb(request)
    current = services.cb_settings_get(cb)
    form = CBSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        current.refresh_from_db()  # the form wrote into the instance; the service writes from the values
        try:
            services.cb_settings_update(actor=request.user, certification_body=cb, **values)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect(with_cb("audits:cb-settings", cb))
    return render(
        request,
        "audits/cb_settings.html",
        {
            "cb": cb,
            "cbs": cbs_of(request.user),
            "form": form,
            "settings_obj": current,
            "can_edit": has_cb_role(request.user, cb.pk, CB_ADMIN),
        },
        status=form_status(form),
    )


@login_required
def accreditations(request: HttpRequest) -> HttpResponse:
    """The CB's accreditations (standards × IAF sector codes, validity); the CB administrator adds them."""
    cb = current_cb(request)
    form = AccreditationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accreditation_create(actor=request.user, certification_body=cb, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Accreditation recorded.")
            return redirect(with_cb("audits:accreditations", cb))
    return render(
        request,
        "audits/accreditations.html",
        {
            "cb": cb,
            "cbs": cbs_of(request.user),
            "accreditations": selectors.accreditation_list(user=request.user).filter(certification_body=cb),
            "form": form,
            "can_edit": has_cb_role(request.user, cb.pk, CB_ADMIN),
        },
    )


def _auditor_page(request: HttpRequest, auditor: Any, status: int = 200, **bound: Any) -> HttpResponse:
    cb = auditor.certification_body
    return render(
        request,
        "audits/auditor_detail.html",
        {
            "auditor": auditor,
            "qualifications": read_qualifications(
                auditor.qualifications.select_related("standard", "auditor"), timezone.localdate()
            ),
            "conflicts": auditor.conflicts.select_related("organization"),
            "periods": auditor.unavailability.all(),
            "conflict_form": bound.get("conflict_form") or _conflict_form(auditor),
            "period_form": bound.get("period_form") or UnavailabilityForm(prefix="unavailable"),
            "can_edit": auditor.user_id == request.user.pk or has_cb_role(request.user, cb.pk, *MANAGERS),
        },
        status=status,
    )


def _conflict_form(auditor: Any, data: Any = None) -> ConflictForm:
    clients = Organization.objects.filter(
        client_relationships__certification_body_id=auditor.certification_body_id
    ).order_by("legal_name")
    return ConflictForm(data, clients=clients, prefix="conflict")


@login_required
@require_safe
def auditor_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """An auditor's qualifications, declared conflicts of interest and unavailability. The auditor or a
    CB manager declares conflicts and adds periods of unavailability."""
    return _auditor_page(request, selectors.auditor_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "POST"])
def conflict_declare(request: HttpRequest, public_id: str) -> HttpResponse:
    auditor = selectors.auditor_get(user=request.user, public_id=public_id)
    form = _conflict_form(auditor, posted(request))
    return handle(
        request,
        form,
        lambda data: services.conflict_declare(actor=request.user, auditor=auditor, **data),
        success="Conflict of interest declared.",
        done=reverse("audits:auditor-detail", args=[auditor.public_id]),
        page=lambda status: _auditor_page(request, auditor, status, conflict_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unavailability_add(request: HttpRequest, public_id: str) -> HttpResponse:
    auditor = selectors.auditor_get(user=request.user, public_id=public_id)
    form = UnavailabilityForm(posted(request), prefix="unavailable")
    return handle(
        request,
        form,
        lambda data: services.unavailability_add(actor=request.user, auditor=auditor, **data),
        success="Unavailability recorded.",
        done=reverse("audits:auditor-detail", args=[auditor.public_id]),
        page=lambda status: _auditor_page(request, auditor, status, period_form=form),
    )
