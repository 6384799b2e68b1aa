"""Organization pages: list, detail with sites, register a client, add and edit sites."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.forms import handle, posted
from conformo.core.listing import list_page
from conformo.core.roles import Role
from conformo.core.tenancy import has_org_role
from conformo.organizations.filters import OrganizationFilter
from conformo.organizations.forms import OrganizationForm, ReadinessSharingForm, SiteForm
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.selectors import (
    client_relationship_get,
    client_relationship_list,
    organization_get,
    organization_list,
    site_get,
)
from conformo.organizations.services import (
    client_relationship_share_readiness,
    client_relationship_stop_sharing_readiness,
    organization_create,
    site_create,
    site_update,
)


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
    """Organizations the user may see (a CB's clients): search, filters, sort and pages (core/listing.py)."""
    return list_page(
        request,
        OrganizationFilter,
        organization_list(user=request.user, site_count=True),
        "organizations/list.html",
        {"can_create": _managed_cbs(request.user).exists()},
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


def _detail_page(request: HttpRequest, org: Organization, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": org,
            "sites": org.sites.all(),
            "relationships": client_relationship_list(user=request.user, organization=org),
            "decides_sharing": has_org_role(request.user, org.pk, Role.CLIENT_ADMIN),
            "sharing_form": bound.get("sharing_form") or ReadinessSharingForm(),
        },
        status=status,
    )


@login_required
def organization_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_page(request, organization_get(user=request.user, public_id=public_id))


def _sharing_action(request: HttpRequest, public_id: str, cb_id: str, *, share: bool) -> HttpResponse:
    org = organization_get(user=request.user, public_id=public_id)
    relationship = client_relationship_get(user=request.user, organization=org, certification_body_id=cb_id)
    service = client_relationship_share_readiness if share else client_relationship_stop_sharing_readiness
    form = ReadinessSharingForm(posted(request))
    cb = relationship.certification_body
    return handle(
        request,
        form,
        lambda _: service(actor=request.user, relationship=relationship),
        success=f"Your readiness work is shared with {cb}." if share else f"{cb} no longer sees your readiness work.",
        done=reverse("organizations:detail", args=[org.public_id]),
        page=lambda status: _detail_page(request, org, status, sharing_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness_share_view(request: HttpRequest, public_id: str, cb_id: str) -> HttpResponse:
    """The client administrator shares the readiness work with one of its CBs. GET is the organization's page."""
    return _sharing_action(request, public_id, cb_id, share=True)


@login_required
@require_http_methods(["GET", "POST"])
def readiness_stop_sharing_view(request: HttpRequest, public_id: str, cb_id: str) -> HttpResponse:
    """The client administrator stops sharing the readiness work with one of its CBs."""
    return _sharing_action(request, public_id, cb_id, share=False)


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
