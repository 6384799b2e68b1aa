"""Members and invitations under /api/v1/: list a tenant's members and invitations, invite, send again, revoke,
accept (anonymously with the link's token and a password, or signed in), change a role, end a membership."""

from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.utils import check_csrf

from conformo.accounts import selectors
from conformo.accounts.auth import TokenAuth
from conformo.accounts.invitation_links import invitation_from_token
from conformo.accounts.invitations import invitation_accept, invitation_create, invitation_resend, invitation_revoke
from conformo.accounts.member_schemas import (
    InvitationAcceptedOut,
    InvitationAcceptIn,
    InvitationIn,
    InvitationOut,
    MembershipRoleIn,
    TenantMemberOut,
)
from conformo.accounts.models import Invitation, Membership
from conformo.accounts.services import membership_change_role, membership_end
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut

router = Router(tags=["members"])


class SessionOrAnyone:
    """The accept operation's authentication: a signed-in session (its CSRF token checked, as for every session
    request), else an anonymous visitor, who proves the invitation with the link's token and a password."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.user.is_authenticated:
            if check_csrf(request) is not None:
                raise HttpError(403, "CSRF check Failed")
            return request.user
        return AnonymousUser()


@router.get("/certification-bodies/{cb_id}/members", response={200: list[TenantMemberOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def cb_members(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[Membership]:
    """The CB's staff and their roles (every member of the CB sees them)."""
    cb = selectors.cb_for_members(user=request.user, public_id=cb_id)
    return selectors.member_list(user=request.user, tenant=cb)


@router.get("/organizations/{organization_id}/members", response={200: list[TenantMemberOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def organization_members(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[Membership]:
    """The organization's people and their roles (its members, and the administrator and programme managers of
    its CB)."""
    org = selectors.organization_for_members(user=request.user, public_id=organization_id)
    return selectors.member_list(user=request.user, tenant=org)


@router.get("/certification-bodies/{cb_id}/invitations", response={200: list[InvitationOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def cb_invitations(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[Invitation]:
    """The CB's open invitations: pending, or expired and waiting to be sent again."""
    cb = selectors.cb_for_members(user=request.user, public_id=cb_id)
    return selectors.invitation_list(user=request.user, tenant=cb)


@router.get("/organizations/{organization_id}/invitations", response={200: list[InvitationOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def organization_invitations(request: HttpRequest, organization_id: UUID, **kwargs: Any) -> QuerySet[Invitation]:
    """The organization's open invitations: pending, or expired and waiting to be sent again."""
    org = selectors.organization_for_members(user=request.user, public_id=organization_id)
    return selectors.invitation_list(user=request.user, tenant=org)


INVITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/certification-bodies/{cb_id}/invitations", response={201: InvitationOut, **INVITE_ERRORS})
def cb_invite(request: HttpRequest, cb_id: UUID, payload: InvitationIn) -> Status[Invitation]:
    """Invite a person to the CB's staff with a role (its CB administrator). 409 `already_member` or
    `invitation_pending` (send the open one again instead); 422 for an address that is not one or a role of an
    organization."""
    cb = selectors.cb_for_members(user=request.user, public_id=cb_id)
    invitation = invitation_create(
        actor=request.user,
        email=payload.email,
        role=payload.role,
        full_name=payload.full_name,
        certification_body=cb,
    )
    return Status(201, invitation)


@router.post("/organizations/{organization_id}/invitations", response={201: InvitationOut, **INVITE_ERRORS})
def organization_invite(request: HttpRequest, organization_id: UUID, payload: InvitationIn) -> Status[Invitation]:
    """Invite a colleague (the client administrator), or the client's first administrator (the administrator or
    a programme manager of its CB, while the organization has none)."""
    org = selectors.organization_for_members(user=request.user, public_id=organization_id)
    invitation = invitation_create(
        actor=request.user, email=payload.email, role=payload.role, full_name=payload.full_name, organization=org
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/resend", response={200: InvitationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def invitation_resend_endpoint(request: HttpRequest, invitation_id: UUID) -> Invitation:
    """Send an open invitation again with a new link valid from now; the earlier links stop working."""
    invitation = selectors.invitation_get(user=request.user, public_id=invitation_id)
    return invitation_resend(actor=request.user, invitation=invitation)


@router.post(
    "/invitations/{invitation_id}/revoke", response={200: InvitationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def invitation_revoke_endpoint(request: HttpRequest, invitation_id: UUID) -> Invitation:
    """Withdraw an open invitation: its link stops working at once."""
    invitation = selectors.invitation_get(user=request.user, public_id=invitation_id)
    return invitation_revoke(actor=request.user, invitation=invitation)


@router.post(
    "/invitations/accept",
    response={201: InvitationAcceptedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 422: ErrorOut},
    auth=[TokenAuth(), SessionOrAnyone()],
    # Anyone may call it: the token of the link is the proof (`{}` says so in OpenAPI).
    openapi_extra={"security": [{"ActiveSessionAuth": []}, {}]},
)
def invitation_accept_endpoint(request: HttpRequest, payload: InvitationAcceptIn) -> Status[dict[str, Any]]:
    """Accept an invitation with the token of its link. Someone new gives a name and a password (Django's password
    rules; 422 names what is missing); an address with an account calls signed in as that address (else 409
    `sign_in_required`). 404 `invitation_invalid` for a token that is not one; 410 `invitation_used`,
    `invitation_revoked`, `invitation_superseded` (a later e-mail replaced the link) or `invitation_expired`."""
    invitation = invitation_from_token(payload.token)
    actor: Any = request.auth  # type: ignore[attr-defined]  # set by django-ninja's authentication
    membership = invitation_accept(
        actor=actor, invitation=invitation, full_name=payload.full_name, password=payload.password
    )
    invitation.refresh_from_db()
    return Status(201, {"membership": membership, "invitation": invitation})


MEMBER_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/memberships/{membership_id}/change-role", response={200: TenantMemberOut, **MEMBER_ERRORS})
def membership_change_role_endpoint(request: HttpRequest, membership_id: UUID, payload: MembershipRoleIn) -> Membership:
    """Give a member another role of the same tenant (its administrator). 409 `last_administrator` when it would
    leave the tenant without an administrator."""
    membership = selectors.membership_get(user=request.user, public_id=membership_id)
    return membership_change_role(actor=request.user, membership=membership, role=payload.role)


@router.post("/memberships/{membership_id}/end", response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def membership_end_endpoint(request: HttpRequest, membership_id: UUID) -> Status[None]:
    """End a membership (the tenant's administrator). 409 `last_administrator` for the tenant's last one."""
    membership = selectors.membership_get(user=request.user, public_id=membership_id)
    membership_end(actor=request.user, membership=membership)
    return Status(204, None)
