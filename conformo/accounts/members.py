"""The members pages (one per CB, one per organization), their actions, and accepting an invitation.

Each action is a form with its own URL (`conformo.core.forms.handle`): GET shows the members page that holds it,
POST calls the service and comes back to the page — with the errors on the form (422, 409) when refused.
Every member of a tenant sees its members and open invitations; only its administrator gets the action buttons.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from conformo.accounts import selectors
from conformo.accounts.invitation_links import invitation_from_token
from conformo.accounts.invitations import (
    certification_body_open,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from conformo.accounts.member_forms import (
    AcceptNewAccountForm,
    CertificationBodyOpenForm,
    EmptyForm,
    InvitationForm,
    RoleForm,
)
from conformo.accounts.models import User
from conformo.accounts.services import membership_change_role, membership_end
from conformo.core.errors import PermissionDenied
from conformo.core.forms import handle, posted
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.organizations.models import CertificationBody, Organization

type Tenant = CertificationBody | Organization

GET_OR_POST = ["GET", "HEAD", "POST"]


def _members_url(tenant: Tenant) -> str:
    if isinstance(tenant, CertificationBody):
        return reverse("accounts:cb-members", args=[tenant.public_id])
    return reverse("accounts:organization-members", args=[tenant.public_id])


def _invite_url(tenant: Tenant) -> str:
    if isinstance(tenant, CertificationBody):
        return reverse("accounts:cb-invite", args=[tenant.public_id])
    return reverse("accounts:organization-invite", args=[tenant.public_id])


def _members_page(
    request: HttpRequest,
    tenant: Tenant,
    status: int = 200,
    *,
    invite_form: InvitationForm | None = None,
    refused: Any = None,
    refused_about: str = "",
) -> HttpResponse:
    """The tenant's members and open invitations, the invite form (for those who may invite) and the actions of
    its administrator; `refused` is a row action's form that was just refused (its errors shown on top)."""
    user = request.user
    members = list(selectors.member_list(user=user, tenant=tenant))
    invitations = list(selectors.invitation_list(user=user, tenant=tenant))
    mail = selectors.mail_status(invitations)
    now = timezone.now()
    roles = selectors.invitable_roles(user, tenant)
    return render(
        request,
        "accounts/members/page.html",
        {
            "tenant": tenant,
            "is_cb": isinstance(tenant, CertificationBody),
            "members": members,
            "invitations": [(i, i.status(now), mail.get(i.pk, "")) for i in invitations],
            "manages": selectors.manages_members(user, tenant),
            "tenant_roles": selectors.tenant_roles(tenant),
            "invitable": {r.value for r in roles},
            "invite_form": invite_form or (InvitationForm(roles=roles) if roles else None),
            "invite_url": _invite_url(tenant),
            "refused": refused,
            "refused_about": refused_about,
            "ttl_days": settings.INVITATION_TTL_DAYS,
        },
        status=status,
    )


@login_required
@require_safe
def members_home(request: HttpRequest) -> HttpResponse:
    """Where the user's members pages are: straight to the one page of a person with one tenant, else a list."""
    places = selectors.member_places(request.user)
    superuser = reach(request.user).superuser
    if len(places) == 1 and not superuser:
        return redirect(places[0].url)
    return render(request, "accounts/members/home.html", {"places": places, "superuser": superuser})


@login_required
@require_http_methods(GET_OR_POST)
def certification_body_open_view(request: HttpRequest) -> HttpResponse:
    """An installation administrator registers a certification body and invites its first administrator."""
    if not reach(request.user).superuser:
        raise PermissionDenied("Only an installation administrator can register a certification body.")
    form = CertificationBodyOpenForm(posted(request))
    return handle(
        request,
        form,
        lambda data: certification_body_open(actor=request.user, **data),
        success="Certification body registered; its administrator is invited.",
        done=lambda invitation: _members_url(invitation.certification_body),
        page=lambda status: render(request, "accounts/members/cb_open.html", {"form": form}, status=status),
    )


@login_required
@require_safe
def cb_members(request: HttpRequest, public_id: str) -> HttpResponse:
    return _members_page(request, selectors.cb_for_members(user=request.user, public_id=public_id))


@login_required
@require_safe
def organization_members(request: HttpRequest, public_id: str) -> HttpResponse:
    return _members_page(request, selectors.organization_for_members(user=request.user, public_id=public_id))


def _invite(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    roles = selectors.invitable_roles(request.user, tenant)
    if not roles:
        raise PermissionDenied(f"Only an administrator of {tenant} can invite its people.")
    form = InvitationForm(posted(request), roles=roles)
    scope = {"certification_body": tenant} if isinstance(tenant, CertificationBody) else {"organization": tenant}
    return handle(
        request,
        form,
        lambda data: invitation_create(
            actor=request.user, email=data["email"], role=data["role"], full_name=data["full_name"], **scope
        ),
        success="Invitation sent.",
        done=_members_url(tenant),
        page=lambda status: _members_page(request, tenant, status, invite_form=form),
    )


@login_required
@require_http_methods(GET_OR_POST)
def cb_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    """Invite a person to the CB's staff (its administrator)."""
    return _invite(request, selectors.cb_for_members(user=request.user, public_id=public_id))


@login_required
@require_http_methods(GET_OR_POST)
def organization_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    """Invite a colleague (the client administrator), or the client's first administrator (its CB)."""
    return _invite(request, selectors.organization_for_members(user=request.user, public_id=public_id))


@login_required
@require_http_methods(GET_OR_POST)
def membership_change_role_view(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, public_id=public_id)
    tenant = membership.tenant
    form = RoleForm(posted(request), roles=selectors.tenant_roles(tenant))
    return handle(
        request,
        form,
        lambda data: membership_change_role(actor=request.user, membership=membership, role=data["role"]),
        success=f"The role of {membership.user} is changed.",
        done=_members_url(tenant),
        page=lambda status: _members_page(
            request, tenant, status, refused=form, refused_about=f"Changing the role of {membership.user}"
        ),
    )


@login_required
@require_http_methods(GET_OR_POST)
def membership_end_view(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, public_id=public_id)
    tenant = membership.tenant
    form = EmptyForm(posted(request))
    return handle(
        request,
        form,
        lambda _: membership_end(actor=request.user, membership=membership),
        success=f"{membership.user} is no longer {membership.get_role_display()} of {tenant}.",
        done=_members_url(tenant),
        page=lambda status: _members_page(
            request, tenant, status, refused=form, refused_about=f"Ending the membership of {membership.user}"
        ),
    )


def _invitation_action(request: HttpRequest, public_id: str, *, resend: bool) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, public_id=public_id)
    tenant = invitation.tenant
    form = EmptyForm(posted(request))
    service = invitation_resend if resend else invitation_revoke
    return handle(
        request,
        form,
        lambda _: service(actor=request.user, invitation=invitation),
        success=f"Invitation of {invitation.email} sent again."
        if resend
        else f"Invitation of {invitation.email} revoked.",
        done=_members_url(tenant),
        page=lambda status: _members_page(
            request,
            tenant,
            status,
            refused=form,
            refused_about=f"{'Resending' if resend else 'Revoking'} the invitation of {invitation.email}",
        ),
    )


@login_required
@require_http_methods(GET_OR_POST)
def invitation_resend_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send an open invitation again with a new link; the earlier links stop working."""
    return _invitation_action(request, public_id, resend=True)


@login_required
@require_http_methods(GET_OR_POST)
def invitation_revoke_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw an open invitation."""
    return _invitation_action(request, public_id, resend=False)


@never_cache
@require_http_methods(GET_OR_POST)
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: who is invited to what, and the form to accept — a name and a password for someone
    new, a sign-in link for an address that has an account, a button for the signed-in invitee. A link
    that was used, revoked, replaced or has expired is refused with the reason (410)."""
    invitation = invitation_from_token(token)
    user: Any = request.user
    other_account = user.is_authenticated and user.email.lower() != invitation.email
    form: Any
    has_account = not user.is_authenticated and User.objects.filter(email=invitation.email).exists()
    if user.is_authenticated or has_account:
        form = EmptyForm(posted(request))
    else:
        form = AcceptNewAccountForm(posted(request), initial={"full_name": invitation.full_name})

    def accept(data: dict[str, Any]) -> Any:
        membership = invitation_accept(
            actor=user,
            invitation=invitation,
            full_name=data.get("full_name", ""),
            password=data.get("password", ""),
        )
        if not user.is_authenticated:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return membership

    return handle(
        request,
        form,
        accept,
        success=f"Welcome to {invitation.tenant}: you are {Role(invitation.role).label} there now.",
        done=reverse("home:dashboard"),
        page=lambda status: render(
            request,
            "accounts/members/accept.html",
            {
                "invitation": invitation,
                "role": Role(invitation.role).label,
                "form": form,
                "signed_in": user.is_authenticated,
                "other_account": other_account,
                "has_account": has_account,
            },
            status=status,
        ),
    )
