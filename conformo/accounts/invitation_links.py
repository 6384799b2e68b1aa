"""An invitation's link: a signed value (`django.core.signing`, its own salt) of the invitation's public id and its
`sent_count`. Nothing secret is stored; resending counts `sent_count` up, so the links of earlier e-mails stop
working. A link that is not one of ours is a 404; one that was used, withdrawn, replaced or has expired a 410 that
says why."""

from __future__ import annotations

from uuid import UUID

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from conformo.accounts.models import Invitation, InvitationStatus
from conformo.core.errors import Gone, NotFound
from conformo.notifications.emails import absolute

SALT = "conformo.accounts.invitation"
# No timestamp in the value: the invitation's own dates say when it expires, and the same invitation sent the
# same number of times has the same link (the e-mail's and the one `conformo cb` prints).
_SIGNER = signing.Signer(salt=SALT)
INVALID_LINK = "This invitation link is not valid. Check that you opened the whole link from the e-mail."


def invitation_token(invitation: Invitation) -> str:
    """The signed value in the invitation's current link: its public id and how many times it was sent."""
    return _SIGNER.sign_object([str(invitation.public_id), invitation.sent_count])


def invitation_path(invitation: Invitation) -> str:
    """The path of the page that accepts the invitation (its current link)."""
    return reverse("accounts:invitation-accept", args=[invitation_token(invitation)])


def invitation_link(invitation: Invitation) -> str:
    """The invitation's current link as the invitee opens it (`BASE_URL` + path)."""
    return absolute(invitation_path(invitation))


def _ask(invitation: Invitation) -> str:
    inviter = invitation.invited_by
    return f"{inviter} ({inviter.email})" if inviter is not None else f"the administrator of {invitation.tenant}"


def refuse_unless_pending(invitation: Invitation, *, sent_count: int | None = None) -> None:
    """Refuse (410, with the reason) an invitation that can no longer be accepted, or a link (`sent_count`) that
    a later e-mail replaced."""
    status = invitation.status(timezone.now())
    if status == InvitationStatus.ACCEPTED:
        raise Gone(f"This invitation was already accepted. Sign in as {invitation.email}.", code="invitation_used")
    if status == InvitationStatus.REVOKED:
        raise Gone(
            f"This invitation was withdrawn. Ask {_ask(invitation)} for a new one if you should have access.",
            code="invitation_revoked",
        )
    if sent_count is not None and sent_count != invitation.sent_count:
        raise Gone(
            "This link was replaced by a newer invitation e-mail: open the link in the latest e-mail from Conformo.",
            code="invitation_superseded",
        )
    if status == InvitationStatus.EXPIRED:
        expired = timezone.localtime(invitation.expires_at)
        raise Gone(
            f"This invitation expired on {expired:%Y-%m-%d}. Ask {_ask(invitation)} to send it again.",
            code="invitation_expired",
        )


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be accepted; a 404 for a link that is not one of ours, a 410
    saying why for one that was used, withdrawn, replaced by a newer e-mail or has expired."""
    try:
        public_id, sent_count = _SIGNER.unsign_object(token)
        uuid, count = UUID(str(public_id)), int(sent_count)
    except (signing.BadSignature, TypeError, ValueError):
        raise NotFound(INVALID_LINK, code="invitation_invalid") from None
    invitation = (
        Invitation.objects.select_related("certification_body", "organization", "invited_by")
        .filter(public_id=uuid)
        .first()
    )
    if invitation is None:
        raise NotFound(INVALID_LINK, code="invitation_invalid")
    refuse_unless_pending(invitation, sent_count=count)
    return invitation
