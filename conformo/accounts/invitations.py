"""Invitations: a tenant's administrator invites a person by e-mail with a role; the person accepts by the link.

Who invites whom:

* a CB administrator invites the CB's staff (every CB role);
* a client administrator invites the organization's people (client administrator or member);
* the CB administrator or a programme manager of the organization's CB invites the client's *first*
  administrator, while the organization has none (also done on accepting an application with a contact e-mail).

An invitation is used once, may be revoked, and expires `INVITATION_TTL_DAYS` after it was last sent; resending
gives it a new link (conformo.accounts.invitation_links) and kills the earlier ones.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from conformo.accounts.invitation_links import invitation_path, refuse_unless_pending
from conformo.accounts.models import Invitation, Membership, User
from conformo.core.actors import Actor, SystemActor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.roles import CB_ROLES, CLIENT_ROLES, Role
from conformo.core.tenancy import MANAGERS, forget_reach, has_cb_role, has_org_role, reach
from conformo.notifications.kinds import Kind
from conformo.notifications.services import notify
from conformo.organizations.models import CertificationBody, ClientRelationship, Organization
from conformo.organizations.services import certification_body_create

# --- who may invite ------------------------------------------------------------------------------------------


def _tenant(certification_body: CertificationBody | None, organization: Organization | None) -> dict[str, Any]:
    return {"certification_body": certification_body, "organization": organization}


def organization_has_admin(organization: Organization) -> bool:
    return Membership.objects.filter(organization=organization, role=Role.CLIENT_ADMIN).exists()


def manages_client(actor: Actor, organization: Organization) -> bool:
    """Whether the actor is the CB administrator or a programme manager of a CB the organization is a client of."""
    managed = reach(actor).cbs_with(*MANAGERS)
    return (
        bool(managed)
        and ClientRelationship.objects.filter(
            organization=organization, certification_body_id__in=list(managed)
        ).exists()
    )


def may_invite(
    actor: Actor,
    *,
    role: str,
    certification_body: CertificationBody | None = None,
    organization: Organization | None = None,
) -> bool:
    """Whether the actor may invite (resend, revoke an invitation) for `role` at the tenant."""
    if reach(actor).superuser:
        return True
    if certification_body is not None:
        return has_cb_role(actor, certification_body.pk, Role.CB_ADMIN)
    if organization is None:
        return False
    if has_org_role(actor, organization.pk, Role.CLIENT_ADMIN):
        return True
    return (
        role == Role.CLIENT_ADMIN and manages_client(actor, organization) and not organization_has_admin(organization)
    )


def _require_may_invite(
    actor: Actor, *, role: str, certification_body: CertificationBody | None, organization: Organization | None
) -> None:
    if may_invite(actor, role=role, certification_body=certification_body, organization=organization):
        return
    if certification_body is not None:
        raise PermissionDenied(f"Only an administrator of {certification_body} can invite its staff.")
    assert organization is not None
    if role == Role.CLIENT_ADMIN and manages_client(actor, organization):
        raise PermissionDenied(
            f"{organization} has its client administrator already: they invite their colleagues.",
            code="client_has_administrator",
        )
    raise PermissionDenied(f"Only a client administrator of {organization} can invite its people.")


def clean_email(email: str) -> str:
    """The address in lower case, or a field error saying it is not one."""
    email = (email or "").strip().lower()
    try:
        if len(email) > 254:  # the longest address SMTP carries (RFC 5321), and the column's length
            raise DjangoValidationError("too long")
        validate_email(email)
    except DjangoValidationError:
        message = "Enter a valid e-mail address, like name@example.org."
        raise ValidationFailed(message, fields={"email": [message]}, code="invalid_email") from None
    return email


def check_role(role: str, certification_body: CertificationBody | None, organization: Organization | None) -> None:
    """Refuse a role that does not exist or does not belong to the kind of tenant."""
    if (certification_body is None) == (organization is None):
        raise ValidationFailed("Name one certification body or one organization.")
    wanted = CB_ROLES if certification_body is not None else CLIENT_ROLES
    if role not in {r.value for r in wanted}:
        labels = ", ".join(f"{r.value} ({r.label})" for r in sorted(wanted))
        message = f"Choose one of the roles of {certification_body or organization}: {labels}."
        raise ValidationFailed(message, fields={"role": [message]}, code="invalid_role")


def clean_name(name: str, field: str = "full_name") -> str:
    """A person's name as given (stripped), or a field error: at most 200 characters, no control characters (a NUL
    would not even reach PostgreSQL)."""
    name = (name or "").strip()
    if len(name) > 200:
        raise ValidationFailed("The name is too long.", fields={field: ["At most 200 characters."]})
    if any(ord(char) < 32 for char in name):
        raise ValidationFailed(
            "The name has a control character.", fields={field: ["Letters, not control characters."]}
        )
    return name


def _ttl() -> timedelta:
    return timedelta(days=settings.INVITATION_TTL_DAYS)


def _send(invitation: Invitation) -> None:
    """E-mail the invitation's current link: to the account of the address if there is one, else to the address."""
    account = User.objects.filter(email=invitation.email, is_active=True).first()
    expires = timezone.localtime(invitation.expires_at)
    inviter = invitation.invited_by
    who = f"{inviter} ({inviter.email})" if inviter is not None else "The administrator of this Conformo installation"
    role = Role(invitation.role).label
    lines = [
        f"{who} invites you to join {invitation.tenant} on Conformo as {role}.",
        (
            "Accept with the link below: sign in with your account, and it adds the role to it."
            if account is not None
            else "Accept with the link below: you choose your name and a password, and you are in."
        ),
        f"The link works once, until {expires:%Y-%m-%d %H:%M} ({settings.TIME_ZONE}).",
    ]
    # No tenant on the notice: the CB administrator's view of the CB's notices would show the link (the page of
    # each invitation shows its latest e-mail's state instead, and "Send again" replaces a failed one).
    notify(
        recipient=account,
        to_email="" if account is not None else invitation.email,
        kind=Kind.INVITATION,
        key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        subject=f"Join {invitation.tenant} on Conformo",
        lines=lines,
        link=invitation_path(invitation),
        action="Accept the invitation",
    )


def _open_invitation(email: str, role: str, tenant: dict[str, Any]) -> Invitation | None:
    return Invitation.objects.filter(
        email=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True, **tenant
    ).first()


def _refuse_pending(invitation: Invitation) -> Conflict:
    sent = timezone.localtime(invitation.last_sent_at)
    message = (
        f"{invitation.email} has an open invitation as {Role(invitation.role).label} already (sent "
        f"{sent:%Y-%m-%d}): send it again from the list of invitations instead."
    )
    return Conflict(message, code="invitation_pending", fields={"email": [message]})


def _refuse_member(email: str, role: str, tenant: Any) -> Conflict:
    message = f"{email} is a {Role(role).label} of {tenant} already."
    return Conflict(message, code="already_member", fields={"email": [message]})


def _audit(actor: Actor, action: str, invitation: Invitation, **after: Any) -> None:
    audit_log_record(
        actor=actor,
        action=action,
        obj=invitation,
        after={"email": invitation.email, "role": invitation.role, **after},
        certification_body_id=invitation.certification_body_id,
        organization_id=invitation.organization_id,
    )


# --- the services --------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    email: str,
    role: str,
    certification_body: CertificationBody | None = None,
    organization: Organization | None = None,
    full_name: str = "",
) -> Invitation:
    """Invite `email` to join the CB or the organization with `role`, and e-mail the link (when the transaction
    commits). Refused: an address that is not one, a role of the other kind of tenant, someone who holds the role
    there already, an open invitation for the same address, role and tenant (resend it instead)."""
    email = clean_email(email)
    full_name = clean_name(full_name)
    check_role(role, certification_body, organization)
    _require_may_invite(actor, role=role, certification_body=certification_body, organization=organization)
    tenant = _tenant(certification_body, organization)
    account = User.objects.filter(email=email).first()
    if account is not None and not account.is_active:
        message = f"The account of {email} is deactivated; an installation administrator must reactivate it first."
        raise ValidationFailed(message, fields={"email": [message]}, code="account_inactive")
    if account is not None and Membership.objects.filter(user=account, role=role, **tenant).exists():
        raise _refuse_member(email, role, certification_body or organization)
    existing = _open_invitation(email, role, tenant)
    if existing is not None:
        raise _refuse_pending(existing)
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                full_name=full_name,
                role=role,
                invited_by=acting_user(actor),
                expires_at=now + _ttl(),
                last_sent_at=now,
                **tenant,
            )
    except IntegrityError:  # the same invitation made at the same moment by another request
        existing = _open_invitation(email, role, tenant)
        if existing is None:
            raise
        raise _refuse_pending(existing) from None
    _audit(actor, "invitation.create", invitation, expires_at=invitation.expires_at)
    _send(invitation)
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("certification_body", "organization", "invited_by")
        .get(pk=invitation.pk)
    )


def _require_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise Conflict(f"{invitation.email} accepted this invitation already.", code="invitation_accepted")
    if invitation.revoked_at is not None:
        raise Conflict("This invitation was revoked; invite the person again.", code="invitation_revoked")


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link, valid `INVITATION_TTL_DAYS` from now; the links of the earlier
    e-mails stop working. An accepted or revoked invitation is not sent again."""
    locked = _locked(invitation)
    _require_may_invite(
        actor, role=locked.role, certification_body=locked.certification_body, organization=locked.organization
    )
    _require_open(locked)
    account = User.objects.filter(email=locked.email).first()
    tenant = _tenant(locked.certification_body, locked.organization)
    if account is not None and Membership.objects.filter(user=account, role=locked.role, **tenant).exists():
        raise _refuse_member(locked.email, locked.role, locked.tenant)
    before = {"sent_count": locked.sent_count, "expires_at": locked.expires_at}
    now = timezone.now()
    locked.sent_count += 1
    locked.last_sent_at = now
    locked.expires_at = now + _ttl()
    locked.save(update_fields=["sent_count", "last_sent_at", "expires_at", "updated_at"])
    audit_log_record(
        actor=actor,
        action="invitation.resend",
        obj=locked,
        before=before,
        after={"sent_count": locked.sent_count, "expires_at": locked.expires_at},
        certification_body_id=locked.certification_body_id,
        organization_id=locked.organization_id,
    )
    _send(locked)
    return locked


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link stops working at once."""
    locked = _locked(invitation)
    _require_may_invite(
        actor, role=locked.role, certification_body=locked.certification_body, organization=locked.organization
    )
    _require_open(locked)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    _audit(actor, "invitation.revoke", locked, revoked_at=locked.revoked_at)
    return locked


def _new_account(invitation: Invitation, full_name: str, password: str) -> User:
    errors: dict[str, list[str]] = {}
    try:
        full_name = clean_name(full_name)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if not full_name.strip() and "full_name" not in errors:
        errors["full_name"] = ["Enter your name, as your colleagues know you."]
    if not password:
        errors["password"] = ["Choose a password."]
    else:
        try:
            validate_password(password, user=User(email=invitation.email, full_name=full_name))
        except DjangoValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed("Your name or password is not accepted yet.", fields=errors)
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    audit_log_record(
        actor=user,
        action="user.create",
        obj=user,
        after={"email": user.email, "full_name": full_name, "invitation": str(invitation.public_id)},
    )
    return user


def _accepting_user(actor: Actor, invitation: Invitation, full_name: str, password: str) -> User:
    """Who accepts: the signed-in user (who must be the invited address), or a new account. An address that has an
    account signs in first — through the sign-in page, so that its throttling and two-factor step apply."""
    if isinstance(actor, SystemActor):
        raise PermissionDenied("An invitation is accepted by the person invited.")
    signed_in = acting_user(actor)
    if signed_in is not None:
        if signed_in.email.lower() != invitation.email:
            raise PermissionDenied(
                f"This invitation is for {invitation.email}, and you are signed in as {signed_in.email}. "
                "Sign out, then open the link again.",
                code="invitation_for_another_address",
            )
        return signed_in
    account = User.objects.filter(email=invitation.email).first()
    if account is None:
        return _new_account(invitation, full_name, password)
    if not account.is_active:
        raise PermissionDenied(
            f"The account of {invitation.email} is deactivated; an installation administrator must reactivate it.",
            code="account_inactive",
        )
    raise Conflict(
        f"{invitation.email} has a Conformo account: sign in with it, then accept the invitation.",
        code="sign_in_required",
    )


@transaction.atomic
def invitation_accept(*, actor: Actor, invitation: Invitation, full_name: str = "", password: str = "") -> Membership:
    """Accept the invitation: the membership is created for the signed-in user (who must be the invited address),
    the signed-in account of the address, or a new account (the invitee's name and a password
    Django's password validators accept). Used once; a revoked or expired invitation is refused with the reason."""
    locked = _locked(invitation)
    refuse_unless_pending(locked)
    user = _accepting_user(actor, locked, full_name, password)
    tenant = _tenant(locked.certification_body, locked.organization)
    membership, created = Membership.objects.get_or_create(user=user, role=locked.role, **tenant)
    if created:
        audit_log_record(
            actor=user,
            action="membership.add",
            obj=membership,
            after={"user": user.email, "role": locked.role, "invitation": str(locked.public_id)},
            certification_body_id=locked.certification_body_id,
            organization_id=locked.organization_id,
        )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    _audit(user, "invitation.accept", locked, accepted_by=user.email)
    forget_reach(user)
    if actor is not user:
        forget_reach(actor)
    return membership


def invitation_first_client_admin(
    *, actor: Actor, organization: Organization, email: str, full_name: str = ""
) -> Invitation | None:
    """Invite the organization's first client administrator at `email` — unless it has one, or that address has an
    open invitation as client administrator already. Returns the invitation made, if any. Runs inside the caller's
    transaction (accepting an application)."""
    if not email.strip() or organization_has_admin(organization):
        return None
    if _open_invitation(email.strip().lower(), Role.CLIENT_ADMIN, _tenant(None, organization)) is not None:
        return None
    return invitation_create(
        actor=actor, email=email, role=Role.CLIENT_ADMIN, organization=organization, full_name=full_name
    )


@transaction.atomic
def certification_body_open(
    *, actor: Actor, name: str, country: str, admin_email: str, short_name: str = "", admin_name: str = ""
) -> Invitation:
    """Register a certification body and invite its first CB administrator — the first run of an installation,
    without the Django admin (`conformo cb create`, or an installation administrator's members page). Returns the
    invitation; its CB is `invitation.certification_body`."""
    if not reach(actor).superuser:
        raise PermissionDenied("Only an installation administrator can register a certification body.")
    name = name.strip()
    if not name:
        raise ValidationFailed("Name the certification body.", fields={"name": ["This field is required."]})
    if CertificationBody.objects.filter(name__iexact=name).exists():
        message = f"A certification body named {name} exists already."
        raise ValidationFailed(message, fields={"name": [message]}, code="certification_body_exists")
    admin_email = clean_email(admin_email)
    cb = certification_body_create(actor=actor, name=name, country=country, short_name=short_name.strip())
    return invitation_create(
        actor=actor, email=admin_email, role=Role.CB_ADMIN, certification_body=cb, full_name=admin_name
    )
