"""Two-factor authentication (TOTP authenticator apps, django-otp): who must give a code, and the enforcement.

A user must pass the sign-in's second step (a code from their app) when they have a confirmed device, and must
enrol one when a certification body they work for requires it of its staff (`require_staff_two_factor`; every CB
role is staff: CB staff handle clients' confidential records). django-otp's `OTPMiddleware` marks the session
verified once a code was accepted (`django_otp.login`); until then:

- pages: `TwoFactorMiddleware` sends the user to the code page (`accounts:two-factor-verify`), or to the security
  page to enrol (`accounts:security`), before any other page; signing out stays possible;
- API calls with the session: 403 `two_factor_required` (`conformo.accounts.auth.ActiveSessionAuth`). API tokens
  are not affected: only a session that passed this check can create one.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from enum import StrEnum
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from conformo.accounts.models import Membership, User

_NEED = "_conformo_two_factor_need"


class Need(StrEnum):
    """What a signed-in session lacks: a code from the user's app, or an app at all."""

    VERIFY = "verify"
    ENROL = "enrol"


def two_factor_need(user: object) -> Need | None:
    """What the user must do before anything else (None: nothing). One query for a session that has not passed
    the second step (none for an anonymous visitor or a verified session); kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not isinstance(user, User):
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if hasattr(user, _NEED):
        cached: Need | None = getattr(user, _NEED)
        return cached
    facts = (
        User.objects.filter(pk=user.pk)
        .values(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            required=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    certification_body__isnull=False,
                    certification_body__require_staff_two_factor=True,
                )
            ),
        )
        .first()
    ) or {"has_device": False, "required": False}
    need = Need.VERIFY if facts["has_device"] else Need.ENROL if facts["required"] else None
    setattr(user, _NEED, need)
    return need


def forget_two_factor_need(user: object) -> None:
    """Drop the answer kept on the user object (after a device or the requirement changed in this request)."""
    if hasattr(user, _NEED):
        delattr(user, _NEED)


# URL names a session that must verify may still open, and those a session that must enrol may open besides.
_VERIFY_OPEN = frozenset({"accounts:two-factor-verify", "accounts:logout"})
_ENROL_OPEN = _VERIFY_OPEN | {"accounts:security", "accounts:two-factor-start", "accounts:two-factor-confirm"}


class TwoFactorMiddleware:
    """Before any page, a session that must give a code goes to the code page, one that must enrol an app to the
    security page (with `next`, to come back). The API (`/api/`) answers for itself (403 `two_factor_required`);
    static files, the health check and the public registry's fast path never reach a signed-in check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> HttpResponse | None:
        if request.path.startswith(("/api/", "/static/")):
            return None
        need = two_factor_need(request.user)
        if need is None:
            return None
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
        if name in (_VERIFY_OPEN if need is Need.VERIFY else _ENROL_OPEN):
            return None
        target = reverse("accounts:two-factor-verify" if need is Need.VERIFY else "accounts:security")
        if request.method in {"GET", "HEAD"}:
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def setup_link(device: TOTPDevice) -> str:
    """The `otpauth://` link an authenticator app reads from the QR code."""
    return str(device.config_url)


def setup_secret(device: TOTPDevice) -> str:
    """The secret in the base-32 letters apps accept when typed, in groups of four."""
    letters = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def setup_qr_svg(device: TOTPDevice) -> SafeString:
    """The set-up link as an inline SVG QR code (segno), for the security page."""
    import segno

    svg = segno.make(setup_link(device), error="m").svg_inline(scale=5, title="QR code to set up your app")
    return mark_safe(svg)  # segno's own SVG markup of our own link: no user input in it
