"""Panels the accounts app lends to other apps' pages: the link to a tenant's members page (the dashboard), and
the organization page's people panel with the CB's “Invite the client's administrator”."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from conformo.accounts import selectors
from conformo.accounts.member_forms import InvitationForm
from conformo.core.roles import Role
from conformo.organizations.models import CertificationBody, Organization

register = template.Library()


@register.simple_tag(takes_context=True)
def members_url(context: dict[str, Any], tenant: Any) -> str:
    """The address of the tenant's members page if the user may open it, else an empty string."""
    user = context["request"].user
    if isinstance(tenant, CertificationBody) and selectors.may_see_cb_members(user, tenant):
        return reverse("accounts:cb-members", args=[tenant.public_id])
    if isinstance(tenant, Organization) and selectors.may_see_organization_members(user, tenant):
        return reverse("accounts:organization-members", args=[tenant.public_id])
    return ""


@register.inclusion_tag("accounts/members/_organization_panel.html", takes_context=True)
def organization_members_panel(context: dict[str, Any], organization: Organization) -> dict[str, Any]:
    """The organization page's people: the link to its members page (for those who may open it) and, for its CB's
    administrator or programme managers while it has no client administrator, the form to invite one."""
    user = context["request"].user
    show = selectors.may_see_organization_members(user, organization)
    invite = show and selectors.invites_first_admin(user, organization)
    return {
        "show": show,
        "url": reverse("accounts:organization-members", args=[organization.public_id]) if show else "",
        "invite_url": reverse("accounts:organization-invite", args=[organization.public_id]),
        "invite_form": InvitationForm(roles=[Role.CLIENT_ADMIN]) if invite else None,
        "csrf_token": context.get("csrf_token"),
    }
