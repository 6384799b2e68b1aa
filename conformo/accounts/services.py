"""Writes for accounts: users, memberships and API tokens. Each leaves an audit-log entry."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import CharField
from django.utils import timezone

from conformo.accounts.models import TOKEN_PREFIX, ApiToken, Membership, User, hash_token, new_token_value
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.prepared import Compiled, Placeholder
from conformo.core.roles import CB_ROLES, CLIENT_ROLES, Role
from conformo.core.tenancy import forget_reach, has_cb_role, has_org_role
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
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the token and its value, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the token a name.", fields={"name": ["Give the token a name."]})
    if len(name) > 100:
        raise ValidationFailed("The name is too long.", fields={"name": ["At most 100 characters."]})
    raw = new_token_value()
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw), hint=raw[:10])
    audit_log_record(actor=user, action="api_token.create", obj=token, after={"name": name, "hint": token.hint})
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
    """The active token with `token_hash` and its user's fields (`user__<attname>`)."""
    return ApiToken.objects.filter(
        token_hash=Placeholder("token_hash", CharField()), revoked_at__isnull=True, user__is_active=True
    ).values("id", "last_used_at", *(f"user__{name}" for name in _USER_FIELDS))


_TOKEN_LOOKUP = Compiled(_token_lookup)


def api_token_authenticate(raw: str) -> User | None:
    """The active user owning token `raw`, or None. Records when the token was last used (at most once a minute).

    Every API request runs this: one queryset compiled once (conformo.core.prepared; compiling it per request
    costs ten times running it). Revocation takes effect at once."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    row = _TOKEN_LOOKUP.first({"token_hash": hash_token(raw)})
    if row is None:
        return None
    user = User.from_db(DEFAULT_DB_ALIAS, list(_USER_FIELDS), [row[f"user__{name}"] for name in _USER_FIELDS])
    now = timezone.now()
    if row["last_used_at"] is None or (now - row["last_used_at"]).total_seconds() > 60:
        ApiToken.objects.filter(pk=row["id"]).update(last_used_at=now)
    return user


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
