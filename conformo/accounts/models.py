"""Users, their memberships in tenants (with a role), and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from conformo.accounts.choices import TokenScope
from conformo.core.models import BaseModel
from conformo.core.roles import CB_ROLES, CLIENT_ROLES, Role
from conformo.core.tenancy import reach
from conformo.organizations.models import ClientRelationship


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name_of(self.full_name, self.email)

    @staticmethod
    def name_of(full_name: str, email: str) -> str:
        """How a person is named on pages and in answers: the full name, else the e-mail address (for a name read
        as values, without the user's row)."""
        return full_name or email

    def roles(self) -> set[str]:
        return {m.role for m in self.memberships.all()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))


def people_scope(user: Any, prefix: str = "") -> models.Q | None:
    """Which tenants' people `user` sees (None: all, for an installation administrator): every member of a CB sees
    the CB's staff; every member of an organization its people; the CB administrator and programme managers also
    their clients' people (they invite a client's first administrator). `prefix` leads to the tenant fields."""
    if not getattr(user, "is_authenticated", False):
        return models.Q(pk__in=[])
    r = reach(user)
    if r.superuser:
        return None
    query = models.Q(**{f"{prefix}certification_body_id__in": list(r.roles_by_cb)}) | models.Q(
        **{f"{prefix}organization_id__in": list(r.organizations)}
    )
    managed = r.cbs_with(Role.CB_ADMIN, Role.PROGRAMME_MANAGER)
    if managed:
        clients = ClientRelationship.objects.filter(certification_body_id__in=list(managed)).values("organization_id")
        query |= models.Q(**{f"{prefix}organization_id__in": clients})
    return query


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        """The memberships of the tenants whose people `user` sees (`people_scope`)."""
        scope = people_scope(user)
        return self.all() if scope is None else self.filter(scope)


# A role belongs to the kind of tenant it is held in: CB roles at a certification body, client roles at an
# organization (a membership and an invitation alike).
ROLE_MATCHES_TENANT = models.Q(
    certification_body__isnull=False, organization__isnull=True, role__in=sorted(r.value for r in CB_ROLES)
) | models.Q(
    certification_body__isnull=True, organization__isnull=False, role__in=sorted(r.value for r in CLIENT_ROLES)
)


class Membership(BaseModel):
    """A user's role in exactly one tenant: a certification body (CB roles) or an organization (client roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=ROLE_MATCHES_TENANT,
                name="membership_role_matches_tenant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "certification_body"],
                condition=models.Q(certification_body__isnull=False),
                name="unique_cb_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=models.Q(organization__isnull=False),
                name="unique_org_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.tenant}"

    @property
    def tenant(self) -> Any:
        return self.certification_body or self.organization


TOKEN_PREFIX = "cfo_"  # noqa: S105 - a public prefix, not a secret


def hash_token(raw: str) -> str:
    """SHA-256 of the token: tokens are random 256-bit secrets, so a fast hash is appropriate."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_expiry(now: datetime | None = None) -> datetime:
    """When a token created `now` expires: `API_TOKEN_TTL_DAYS` days later."""
    return (now or timezone.now()) + timedelta(days=settings.API_TOKEN_TTL_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: Any) -> ApiTokenQuerySet:
        """A user sees only their own tokens."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(BaseModel):
    """A personal API token, sent as `Authorization: Bearer <token>`. Only its SHA-256 is stored.

    It works until `expires_at` (`API_TOKEN_TTL_DAYS` after creation) or until revoked, with its owner's roles;
    a `read` token only for safe methods (GET, HEAD, OPTIONS)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="First characters of the token, to recognise it.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=token_expiry)
    scope = models.CharField(max_length=16, choices=TokenScope.choices, default=TokenScope.READ_WRITE)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        """One of active, revoked or expired (a revoked token stays revoked after its expiry date)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def visible_to(self, user: Any) -> InvitationQuerySet:
        """The invitations of the tenants whose people `user` sees (`people_scope`)."""
        scope = people_scope(user)
        return self.all() if scope is None else self.filter(scope)

    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked (pending, or expired and waiting to be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(BaseModel):
    """An invitation to join a tenant with a role, sent by e-mail (conformo.accounts.invitations).

    Its link carries a signed value of the invitation's public id and `sent_count`: nothing secret is stored, and
    resending (which counts up `sent_count`) makes the links of earlier e-mails useless. It is used once
    (`accepted_at`), may be revoked, and expires `INVITATION_TTL_DAYS` after it was last sent."""

    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True, help_text="The invitee's name, if the inviter gave it.")
    role = models.CharField(max_length=32, choices=Role.choices)
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="None: the installation."
    )
    expires_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=1)
    last_sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=ROLE_MATCHES_TENANT,
                name="invitation_role_matches_tenant",
            ),
            # One open invitation per address, role and tenant: inviting again means resending it.
            models.UniqueConstraint(
                fields=["email", "role", "certification_body"],
                condition=models.Q(certification_body__isnull=False, accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_cb_invitation",
            ),
            models.UniqueConstraint(
                fields=["email", "role", "organization"],
                condition=models.Q(organization__isnull=False, accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_org_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.get_role_display()} at {self.tenant}"

    @property
    def tenant(self) -> Any:
        return self.certification_body or self.organization

    def status(self, now: datetime) -> InvitationStatus:
        """Accepted, revoked, expired (at `now`) or pending."""
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
