"""Writes for accounts: users, memberships, API tokens, two-factor devices, sign-in records. Each leaves an
audit-log entry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import CharField
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conformo.accounts.choices import TokenScope
from conformo.accounts.models import (
    TOKEN_PREFIX,
    ApiToken,
    Membership,
    User,
    hash_token,
    new_token_value,
    token_expiry,
)
from conformo.core.actors import Actor, SystemActor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.prepared import Compiled, Placeholder
from conformo.core.roles import CB_ROLES, CLIENT_ROLES, Role
from conformo.core.tenancy import forget_reach, has_cb_role, has_org_role, reach, require_cb_role
from conformo.organizations.models import CertificationBody, Organization


@transaction.atomic
def user_create(*, actor: Actor, email: str, password: str | None, full_name: str = "") -> User:
    """Create a user who signs in with `email`."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise ValidationFailed("Enter a valid email address.", fields={"email": ["Enter a valid email address."]})
    if User.objects.filter(email=email).exists():
        raise ValidationFailed("A user with this email exists.", fields={"email": ["A user with this email exists."]})
    user = User.objects.create_user(email, password, full_name=full_name)
    audit_log_record(actor=actor, action="user.create", obj=user, after={"email": email, "full_name": full_name})
    return user


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    user: User,
    role: str,
    certification_body: CertificationBody | None = None,
    organization: Organization | None = None,
) -> Membership:
    """Give `user` a role in a CB (CB roles) or an organization (client roles)."""
    if role not in Role.values:
        raise ValidationFailed(f"Unknown role {role!r}; valid roles: {', '.join(Role.values)}.")
    if role in CB_ROLES and (certification_body is None or organization is not None):
        raise ValidationFailed(f"The role {role} belongs to a certification body.")
    if role in CLIENT_ROLES and (organization is None or certification_body is not None):
        raise ValidationFailed(f"The role {role} belongs to an organization.")
    if certification_body is not None:
        allowed = has_cb_role(actor, certification_body.pk, Role.CB_ADMIN)
    else:
        allowed = organization is not None and has_org_role(actor, organization.pk, Role.CLIENT_ADMIN)
    if not allowed:
        raise PermissionDenied("Only an administrator of this tenant can add members.")
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, certification_body=certification_body, organization=organization
    )
    if created:
        forget_reach(user)
        audit_log_record(
            actor=actor,
            action="membership.add",
            obj=membership,
            after={"user": user.email, "role": role},
            certification_body_id=certification_body.pk if certification_body else None,
            organization_id=organization.pk if organization else None,
        )
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str = TokenScope.READ_WRITE) -> tuple[ApiToken, str]:
    """Create a personal API token that works `API_TOKEN_TTL_DAYS` days, for reading only (`scope="read"`) or
    with everything the user's roles allow (`"read_write"`). Returns the token and its value, which is shown once
    and never stored. Pages and the API call this only for a signed-in session: a token cannot mint tokens."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the token a name.", fields={"name": ["Give the token a name."]})
    if len(name) > 100:
        raise ValidationFailed("The name is too long.", fields={"name": ["At most 100 characters."]})
    if scope not in TokenScope.values:
        message = f"Choose the scope: {' or '.join(TokenScope.values)}."
        raise ValidationFailed(message, fields={"scope": [message]})
    raw = new_token_value()
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(raw), hint=raw[:10], scope=scope, expires_at=token_expiry()
    )
    audit_log_record(
        actor=user,
        action="api_token.create",
        obj=token,
        after={"name": name, "hint": token.hint, "scope": scope, "expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens. It stops working at once."""
    if token.user_id != user.pk:
        raise PermissionDenied("You can revoke only your own tokens.")
    if token.revoked_at is not None:
        raise Conflict("This token is already revoked.", code="already_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_log_record(actor=user, action="api_token.revoke", obj=token, after={"revoked_at": token.revoked_at})
    return token


_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)


def _token_lookup() -> Any:
    """The unrevoked token with `token_hash` of an active user: its id, use, expiry, scope and its user's fields
    (`user__<attname>`)."""
    return ApiToken.objects.filter(
        token_hash=Placeholder("token_hash", CharField()), revoked_at__isnull=True, user__is_active=True
    ).values("id", "last_used_at", "expires_at", "scope", *(f"user__{name}" for name in _USER_FIELDS))


_TOKEN_LOOKUP = Compiled(_token_lookup)


@dataclass(frozen=True)
class TokenUse:
    """A presented token that exists, is not revoked and belongs to an active user; it works unless `expired`."""

    user: User
    token_id: int
    scope: str
    expires_at: datetime
    expired: bool

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


def api_token_authenticate(raw: str) -> TokenUse | None:
    """The token `raw` and its active user, or None when no such unrevoked token exists. Records when a working
    token was last used (at most once a minute); an expired one is returned with `expired` set and not recorded.

    Every API request runs this: one queryset compiled once (conformo.core.prepared; compiling it per request
    costs ten times running it). Revocation takes effect at once."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    row = _TOKEN_LOOKUP.first({"token_hash": hash_token(raw)})
    if row is None:
        return None
    user = User.from_db(DEFAULT_DB_ALIAS, list(_USER_FIELDS), [row[f"user__{name}"] for name in _USER_FIELDS])
    now = timezone.now()
    expired = row["expires_at"] <= now
    if not expired and (row["last_used_at"] is None or (now - row["last_used_at"]).total_seconds() > 60):
        ApiToken.objects.filter(pk=row["id"]).update(last_used_at=now)
    return TokenUse(user=user, token_id=row["id"], scope=row["scope"], expires_at=row["expires_at"], expired=expired)


def _audit_about_user(*, actor: Actor, action: str, user: User, after: dict[str, Any]) -> None:
    """An audit entry about `user`, for the administrators of their tenant to read: their (first) certification
    body's, else their (first) organization's."""
    r = reach(user)
    cb_ids, org_ids = sorted(r.roles_by_cb), sorted(r.roles_by_org)
    audit_log_record(
        actor=actor,
        action=action,
        obj=user,
        after=after,
        certification_body_id=cb_ids[0] if cb_ids else None,
        organization_id=None if cb_ids or not org_ids else org_ids[0],
    )


def _require_system(actor: Actor, what: str) -> None:
    if not isinstance(actor, SystemActor):
        raise PermissionDenied(f"Only the installation records {what}.")


@transaction.atomic
def sign_in_failure_record(*, actor: Actor, user: User, ip_address: str | None) -> None:
    """Record a failed sign-in to an existing account (wrong password), for the account's administrators to
    read. Sign-in throttling calls it as `SYSTEM`; failures for addresses without an account are not recorded."""
    _require_system(actor, "sign-in failures")
    _audit_about_user(
        actor=actor, action="sign_in.failed", user=user, after={"email": user.email, "ip_address": ip_address}
    )


@transaction.atomic
def sign_in_lockout_record(
    *,
    actor: Actor,
    email: str | None,
    ip_address: str | None,
    failures: int,
    until: datetime,
    attempt: models.Model,
) -> None:
    """Record that sign-ins for `email` or from `ip_address` are refused until `until` after `failures` failures.
    The entry is about the account when `email` names one (its administrators read it), else about the throttling
    record `attempt` (the installation's administrators read it)."""
    _require_system(actor, "sign-in lockouts")
    user = User.objects.filter(email=email).first() if email else None
    after = {"email": email, "ip_address": ip_address, "failures": failures, "locked_until": until}
    if user is not None:
        _audit_about_user(actor=actor, action="sign_in.locked_out", user=user, after=after)
    else:
        audit_log_record(actor=actor, action="sign_in.locked_out", obj=attempt, after=after)


@transaction.atomic
def user_password_reset(*, actor: Actor, user: User, password: str) -> User:
    """Set the password of `user` who proved they read their mailbox (a reset link); the link then stops working,
    because the reset token covers the password. Only the user themself resets it this way."""
    if acting_user(actor) is None or acting_user(actor) != user:
        raise PermissionDenied("Only the account's owner resets its password with a reset link.")
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit_about_user(actor=actor, action="user.password_reset", user=user, after={"email": user.email})
    return user


def _require_self(actor: Actor, user: User) -> None:
    if acting_user(actor) is None or acting_user(actor) != user:
        raise PermissionDenied("Only the account's owner changes its two-factor authentication.")


@transaction.atomic
def two_factor_enrol_start(*, actor: Actor, user: User) -> TOTPDevice:
    """Start enrolling an authenticator app: a new secret (an unconfirmed TOTP device, replacing one not yet
    confirmed). It protects nothing until `two_factor_confirm` checks a code from the app."""
    _require_self(actor, user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Conflict("Two-factor authentication is already on. Remove it first to enrol another app.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    audit_log_record(actor=actor, action="two_factor.enrol_start", obj=user, after={"email": user.email})
    return device


def _code_refusal(device: TOTPDevice, code: str) -> ValidationFailed | None:
    """Why `code` is refused for `device` (None: accepted): wrong, or any code while django-otp's throttle holds
    the device after wrong ones (it doubles the wait after each failure)."""
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        wait = ""
        if detail and detail.get("locked_until"):
            seconds = max(1, math.ceil((detail["locked_until"] - timezone.now()).total_seconds()))
            wait = f" Wait {seconds} second{'s' if seconds != 1 else ''} and try again."
        message = f"Too many wrong codes.{wait}"
        return ValidationFailed(message, fields={"code": [message]})
    if not device.verify_token(code.strip().replace(" ", "")):
        message = "This code is not right. Enter the 6 digits your app shows now."
        return ValidationFailed(message, fields={"code": [message]})
    return None


def _verify_code(user: User, code: str, *, confirmed: bool) -> TOTPDevice:
    """The user's device (confirmed, or waiting for confirmation) once `code` is accepted. The check commits on
    its own: django-otp's count of wrong codes (its throttle) and the last time step used (a code works once) must
    stay written when the code is refused, so the refusal is raised after that transaction."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=confirmed).first()
        if device is None:
            if confirmed:
                raise Conflict("Two-factor authentication is not on for this account.")
            raise Conflict("Start the set-up again: there is no authenticator waiting for confirmation.")
        refusal = _code_refusal(device, code)
    if refusal is not None:
        raise refusal
    return device


def two_factor_confirm(*, actor: Actor, user: User, code: str) -> TOTPDevice:
    """Finish enrolling: the code from the app proves it holds the secret; from now on every sign-in asks for one.
    (The code is checked in its own transaction, see `_verify_code`; the confirmation and its audit entry in one.)"""
    _require_self(actor, user)
    device = _verify_code(user, code, confirmed=False)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit_about_user(actor=actor, action="two_factor.enrol", user=user, after={"email": user.email})
    return device


def two_factor_verify(*, actor: Actor, user: User, code: str) -> TOTPDevice:
    """The sign-in's second step: the user's confirmed device once `code` is accepted (a code works once; wrong
    codes are throttled by django-otp). Raises ValidationFailed on `code`. The caller marks the session verified."""
    _require_self(actor, user)
    return _verify_code(user, code, confirmed=True)


def two_factor_remove(*, actor: Actor, user: User, code: str = "", password: str = "") -> None:
    """Turn two-factor authentication off, proven by a current code or the account's password (pages offer it only
    to a session that passed the second step). If the user's CB requires it, the next page asks them to enrol
    again. (A code is checked in its own transaction, see `_verify_code`; the removal and its entry in one.)"""
    _require_self(actor, user)
    if code.strip():
        _verify_code(user, code, confirmed=True)
    elif not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Conflict("Two-factor authentication is not on for this account.")
    elif not password or not user.check_password(password):
        message = "Enter a current code from your app, or your password."
        raise ValidationFailed(message, fields={"password": [message]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        _audit_about_user(
            actor=actor,
            action="two_factor.remove",
            user=user,
            after={"email": user.email, "proof": "code" if code.strip() else "password"},
        )


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: User) -> None:
    """The installation's operator turns a user's two-factor authentication off (a lost phone): `SYSTEM` only."""
    _require_system(actor, "a two-factor reset")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        _audit_about_user(actor=actor, action="two_factor.reset", user=user, after={"email": user.email})


@transaction.atomic
def certification_body_security_update(
    *, actor: Actor, certification_body: CertificationBody, require_staff_two_factor: bool
) -> CertificationBody:
    """The CB administrator decides whether the CB's staff (every CB role) must sign in with a two-factor code."""
    require_cb_role(actor, certification_body.pk, Role.CB_ADMIN, action="change its sign-in requirements")
    before = certification_body.require_staff_two_factor
    if before != require_staff_two_factor:
        certification_body.require_staff_two_factor = require_staff_two_factor
        certification_body.save(update_fields=["require_staff_two_factor", "updated_at"])
        audit_log_record(
            actor=actor,
            action="certification_body.security_update",
            obj=certification_body,
            before={"require_staff_two_factor": before},
            after={"require_staff_two_factor": require_staff_two_factor},
            certification_body_id=certification_body.pk,
        )
    return certification_body


# --- members: changing a role, ending a membership (docs/people.md) -------------------------------------------


def may_manage_members(
    actor: Actor, *, certification_body: CertificationBody | None = None, organization: Organization | None = None
) -> bool:
    """Whether the actor administers the tenant's members: its CB administrator or client administrator."""
    if certification_body is not None:
        return has_cb_role(actor, certification_body.pk, Role.CB_ADMIN)
    return organization is not None and has_org_role(actor, organization.pk, Role.CLIENT_ADMIN)


def _require_manage_members(actor: Actor, membership: Membership) -> None:
    if not may_manage_members(
        actor, certification_body=membership.certification_body, organization=membership.organization
    ):
        raise PermissionDenied(f"Only an administrator of {membership.tenant} can change its members.")


def _admin_role(membership: Membership) -> Role:
    return Role.CB_ADMIN if membership.certification_body_id else Role.CLIENT_ADMIN


def _require_another_admin(membership: Membership, *, action: str) -> None:
    """Refuse to take the tenant's last administrator away. The tenant's row is locked first, so that two
    administrators removing each other at the same moment cannot both succeed."""
    admin = _admin_role(membership)
    if membership.role != admin:
        return
    tenant = membership.tenant
    type(tenant).objects.select_for_update().filter(pk=tenant.pk).first()
    scope = {"certification_body_id": membership.certification_body_id, "organization_id": membership.organization_id}
    if Membership.objects.filter(role=admin, **scope).exclude(pk=membership.pk).exists():
        return
    raise Conflict(
        f"{membership.user} is the last {admin.label} of {tenant}: make someone else {admin.label} before you "
        f"{action}.",
        code="last_administrator",
    )


def _forget(actor: Actor, user: User) -> None:
    forget_reach(user)
    if getattr(actor, "pk", None) == user.pk:
        forget_reach(actor)


@transaction.atomic
def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member another role in the same tenant (its administrator). Never leaves a CB without a CB
    administrator or an organization without a client administrator (`last_administrator`)."""
    _require_manage_members(actor, membership)
    wanted = CB_ROLES if membership.certification_body_id else CLIENT_ROLES
    if role not in {r.value for r in wanted}:
        message = f"Choose one of: {', '.join(sorted(r.value for r in wanted))}."
        raise ValidationFailed(message, fields={"role": [message]}, code="invalid_role")
    if role == membership.role:
        return membership
    scope = {"certification_body_id": membership.certification_body_id, "organization_id": membership.organization_id}
    if Membership.objects.filter(user_id=membership.user_id, role=role, **scope).exists():
        message = (
            f"{membership.user} is a {Role(role).label} of {membership.tenant} already; end this membership instead."
        )
        raise Conflict(message, code="already_member", fields={"role": [message]})
    _require_another_admin(membership, action="change their role")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log_record(
        actor=actor,
        action="membership.change_role",
        obj=membership,
        before={"user": membership.user.email, "role": before},
        after={"user": membership.user.email, "role": role},
        certification_body_id=membership.certification_body_id,
        organization_id=membership.organization_id,
    )
    _forget(actor, membership.user)
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """End a membership (its tenant's administrator): the person loses that role there at once. Never leaves a
    CB without a CB administrator or an organization without a client administrator (`last_administrator`).
    Returns the membership as it was."""
    _require_manage_members(actor, membership)
    _require_another_admin(membership, action="end their membership")
    audit_log_record(
        actor=actor,
        action="membership.end",
        obj=membership,
        before={"user": membership.user.email, "role": membership.role},
        certification_body_id=membership.certification_body_id,
        organization_id=membership.organization_id,
    )
    membership.delete()
    _forget(actor, membership.user)
    return membership
