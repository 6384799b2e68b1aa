"""Schemas of the members and invitations API (conformo.accounts.members_api)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema

from conformo.accounts.models import Invitation, Membership
from conformo.core.roles import Role
from conformo.core.schemas import column


def _tenant_type(obj: Any) -> str:
    return "certification_body" if obj.certification_body_id else "organization"


class _RoleInTenant(Schema):
    """The role and tenant fields a membership and an invitation share, read from the object's role and tenant."""

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return str(Role(obj.role).label)

    @staticmethod
    def resolve_tenant_type(obj: Any) -> str:
        return _tenant_type(obj)

    @staticmethod
    def resolve_tenant_id(obj: Any) -> UUID:
        return obj.tenant.public_id

    @staticmethod
    def resolve_tenant_name(obj: Any) -> str:
        return str(obj.tenant)


class TenantMemberOut(_RoleInTenant):
    """One membership: a person's role in the tenant."""

    id: UUID = Field(alias="public_id")
    email: str
    full_name: str
    role: str
    role_label: str
    tenant_type: str
    tenant_id: UUID
    tenant_name: str
    since: datetime = Field(alias="created_at")

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return str(obj.user.email)

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return str(obj.user.full_name)


class InvitationOut(_RoleInTenant):
    """An invitation and its state: pending, expired (send it again), accepted or revoked."""

    id: UUID = Field(alias="public_id")
    email: str
    full_name: str
    role: str
    role_label: str
    tenant_type: str
    tenant_id: UUID
    tenant_name: str
    status: str
    invited_by: str | None
    sent_count: int
    last_sent_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.status(timezone.now()).value)

    @staticmethod
    def resolve_invited_by(obj: Any) -> str | None:
        return obj.invited_by.email if obj.invited_by else None


class InvitationIn(Schema):
    email: str = Field(max_length=254, description="The address to invite.")
    role: str = column(
        Invitation,
        "role",
        description="A role of the tenant: cb_admin, programme_manager, auditor, technical_expert, decision_maker "
        "(a certification body); client_admin, client_member (an organization).",
    )
    full_name: str = Field("", max_length=200, description="The invitee's name, if you know it (optional).")


class InvitationAcceptIn(Schema):
    token: str = Field(max_length=500, description="The signed value at the end of the invitation's link.")
    full_name: str = Field(
        "", max_length=200, description="Someone new: their name. Ignored for an address that has an account."
    )
    password: str = Field(
        "",
        max_length=4096,
        description="Someone new: the password to choose. An address that has an account accepts signed in "
        "(session or token) as that address instead.",
    )


class InvitationAcceptedOut(Schema):
    membership: TenantMemberOut
    invitation: InvitationOut


class MembershipRoleIn(Schema):
    role: str = column(Membership, "role", description="The new role, of the same kind of tenant.")
