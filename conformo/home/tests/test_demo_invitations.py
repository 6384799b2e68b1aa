"""The demo leaves a few invitations pending: one to the CB's staff, one to a client's colleague."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conformo.accounts.models import Invitation, InvitationStatus, User
from conformo.conftest import login
from conformo.home.demo import demo_load


def test_the_demo_leaves_a_cb_and_a_client_invitation_pending(db: Any) -> None:
    result = demo_load()
    now = timezone.now()
    pending = {
        (i.email, i.role, str(i.tenant), i.invited_by.email if i.invited_by else None)
        for i in Invitation.objects.all()
        if i.status(now) == InvitationStatus.PENDING
    }
    assert pending == {
        (
            "new.expert@northbridge.example",
            "technical_expert",
            "Northbridge Certification Ltd",
            "admin@northbridge.example",
        ),
        ("buyer@acme.example", "client_member", "Acme Precision Parts GmbH", "quality@acme.example"),
    }
    assert not User.objects.filter(email__in=["new.expert@northbridge.example", "buyer@acme.example"]).exists()
    assert "buyer@acme.example" not in {email for email, _ in result.logins}  # the README's table is unchanged
    quinn = User.objects.get(email="quality@acme.example")
    acme_members = login(quinn).get("/accounts/members/", follow=True).content.decode()  # straight to Acme's
    assert "buyer@acme.example" in acme_members
    assert "Send again" in acme_members
