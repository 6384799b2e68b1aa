"""The demo's pending invitations: one to the CB's staff, one to a client's colleague (conformo.home.demo)."""

from __future__ import annotations

from conformo.accounts.invitations import invitation_create
from conformo.accounts.models import Invitation, User
from conformo.core.roles import Role
from conformo.organizations.models import CertificationBody, Organization

# (inviter, invitee, name, role); the tenant is the inviter's CB or organization.
PENDING: list[tuple[str, str, str, Role]] = [
    ("admin@northbridge.example", "new.expert@northbridge.example", "Noor Expert", Role.TECHNICAL_EXPERT),
    ("quality@acme.example", "buyer@acme.example", "Bea Buyer", Role.CLIENT_MEMBER),
]


def demo_invitations() -> int:
    """Leave the demo's invitations pending, each sent by the administrator who invites (through the same service a
    page calls). Returns how many were made; an invitation that exists already (in any state) is left alone."""
    made = 0
    for inviter_email, email, name, role in PENDING:
        inviter = User.objects.filter(email=inviter_email).first()
        if inviter is None or Invitation.objects.filter(email=email, role=role).exists():
            continue
        membership = inviter.memberships.filter(role__in=[Role.CB_ADMIN, Role.CLIENT_ADMIN]).first()
        if membership is None:
            continue
        tenant = membership.tenant
        invitation_create(
            actor=inviter,
            email=email,
            role=role,
            full_name=name,
            certification_body=tenant if isinstance(tenant, CertificationBody) else None,
            organization=tenant if isinstance(tenant, Organization) else None,
        )
        made += 1
    return made
