"""The e-mails of notices: a plain-text and an HTML body, each with the link to the page where the work is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from conformo.notifications.kinds import Kind
from conformo.notifications.models import Notice


def absolute(path: str) -> str:
    """A site path as the address a mail reader opens (`BASE_URL` + path)."""
    return path if "://" in path else f"{settings.BASE_URL}{path}"


def _message(to: str, subject: str, template: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    context = {**context, "preferences_url": absolute(reverse("notifications:preferences"))}
    message = EmailMultiAlternatives(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def notice_email(notice: Notice) -> EmailMultiAlternatives:
    """One notice's e-mail."""
    return _message(
        notice.address,
        notice.subject,
        "notice",
        {
            "notice": notice,
            "recipient": notice.recipient,
            "name": (notice.recipient.full_name or notice.recipient.email) if notice.recipient else "",
            "url": absolute(notice.link),
        },
    )


def digest_email(recipient: Any, notices: Sequence[Notice]) -> EmailMultiAlternatives:
    """The day's digest: every notice the recipient chose to receive once a day, grouped by kind."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for notice in notices:
        groups.setdefault(Kind(notice.kind).label, []).append({"notice": notice, "url": absolute(notice.link)})
    count = len(notices)
    subject = f"Your daily digest: {count} notice{'s' if count != 1 else ''}"
    return _message(recipient.email, subject, "digest", {"recipient": recipient, "groups": groups, "count": count})
