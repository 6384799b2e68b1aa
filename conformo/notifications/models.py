"""Notices to people (one e-mail each, or a line in their daily digest) and their delivery choices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.notifications.kinds import MANDATORY, Delivery, Kind


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRYING = "retrying", "Sending failed; will try again"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Sending failed"
    OFF = "off", "Not sent (switched off)"


class NoticeQuerySet(models.QuerySet["Notice"]):
    def visible_to(self, user: Any) -> NoticeQuerySet:
        """A user sees their own notices; a CB administrator also the notices sent on behalf of the CB (to see
        which failed and send them again); an installation administrator all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        r = reach(user)
        if r.superuser:
            return self.all()
        return self.filter(
            models.Q(recipient=user) | models.Q(certification_body_id__in=list(r.cbs_with(Role.CB_ADMIN)))
        )


class Notice(BaseModel):
    """One event told to one person. At most one per (recipient, kind, key): the key names the event (e.g.
    `finding:42:due7`), so telling it twice — two scans, a retried request — sends nothing the second time.

    The person is a user (`recipient`), or — for the mandatory kinds only, an invitation to someone who has no
    account yet — an e-mail address (`to_email`, with no recipient)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    to_email = models.EmailField(blank=True, help_text="The address told when there is no recipient user.")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    lines = models.JSONField(default=list, help_text="The message's paragraphs, plain text.")
    link = models.CharField(max_length=500, help_text="Path of the page where the work is.")
    action = models.CharField(max_length=60, default="Open")
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    status = models.CharField(max_length=12, choices=NoticeStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="one_notice_per_event"),
            models.UniqueConstraint(
                fields=["to_email", "kind", "key"],
                condition=models.Q(recipient__isnull=True),
                name="one_notice_per_event_to_address",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False, to_email="")
                | models.Q(recipient__isnull=True, kind__in=sorted(k.value for k in MANDATORY))
                & ~models.Q(to_email=""),
                name="notice_to_a_user_or_an_address",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id or self.to_email}: {self.subject}"

    @property
    def address(self) -> str:
        """Where the e-mail goes: the recipient's address, or the address told."""
        return self.recipient.email if self.recipient is not None else self.to_email


class Preference(BaseModel):
    """A user's choice of delivery for one kind of notice. Without a row, the kind's notices come at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.delivery}"
