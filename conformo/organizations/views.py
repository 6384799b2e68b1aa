"""Organization pages: list, detail with sites, register a client, add and edit sites."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.forms import posted
from conformo.core.roles import Role
from conformo.organizations.forms import OrganizationForm, SiteForm
from conformo.organizations.models import CertificationBody
from conformo.organizations.selectors import organization_get, organization_list, site_get
from conformo.organizations.services import organization_create, site_create, site_update


def _apply_errors(form: Any, exc: ValidationFailed) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def _status(form: Any) -> int:
    """422 for a form posted with errors (shown on the same page, with the input kept), else 200."""
    return 422 if form.is_bound and form.errors else 200


def _managed_cbs(user: Any) -> Any:
    return CertificationBody.objects.filter(
        memberships__user=user, memberships__role__in=[Role.CB_ADMIN, Role.PROGRAMME_MANAGER]
    ).distinct()


@login_required
def organization_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organizations/list.html",
        {"organizations": organization_list(user=request.user), "can_create": _managed_cbs(request.user).exists()},
    )


@login_required
def organization_create_view(request: HttpRequest) -> HttpResponse:
    cbs = _managed_cbs(request.user)
    if not cbs.exists():
        raise PermissionDenied("Only a CB administrator or programme manager can register client organizations.")
    form = OrganizationForm(posted(request), certification_bodies=cbs, initial={"certification_body": cbs.first()})
    if request.method == "POST" and form.is_valid():
        try:
            org = organization_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{org.legal_name} registered.")
            return redirect("organizations:detail", public_id=org.public_id)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "title": "Register a client organization"},
        status=_status(form),
    )


@login_required
def organization_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    org = organization_get(user=request.user, public_id=public_id)
    return render(request, "organizations/detail.html", {"organization": org, "sites": org.sites.all()})


@login_required
def site_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    org = organization_get(user=request.user, public_id=public_id)
    form = SiteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            site_create(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Site added.")
            return redirect("organizations:detail", public_id=org.public_id)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "title": f"Add a site to {org.legal_name}"},
        status=_status(form),
    )


@login_required
def site_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    site = site_get(user=request.user, public_id=public_id)
    form = SiteForm(posted(request), instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            site_update(actor=request.user, site=site, **form.cleaned_data)
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Site updated.")
            return redirect("organizations:detail", public_id=site.organization.public_id)
    return render(
        request, "organizations/form.html", {"form": form, "title": f"Edit {site.name}"}, status=_status(form)
    )
