"""Sign-in throttling with django-axes: what Conformo tells it, and what Conformo does with what it says.

django-axes counts failed sign-ins (every `django.contrib.auth.authenticate` call: the sign-in page and the Django
admin's) in its own table, per account and per client address separately (`AXES_LOCKOUT_PARAMETERS`), and refuses
every sign-in of a locked account or from a locked address — the right password included — until the lock ends
(settings.py, docs/security.md). This module gives it:

- `attempted_email`: the account a sign-in names, normalized as accounts are stored (trimmed, lower case), so that
  `Ann@Example.org` and `ann@example.org` count as one account;
- `client_address`: the client's address — the connection's, or with `LOGIN_PROXY_COUNT` proxies in front, the
  address the outermost of them saw (never a value the client wrote itself);
- `lockout_response`: the sign-in page again with "Too many failed sign-ins … try again in N minutes", status 429
  and `Retry-After`;

and records failures (of existing accounts) and each lockout in the audit log (`record_failure`,
`record_lockout`, connected in `AccountsConfig.ready`).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from conformo.accounts.models import User
from conformo.accounts.services import sign_in_failure_record, sign_in_lockout_record
from conformo.core.actors import SYSTEM


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The email a sign-in attempt names, trimmed and in lower case (None when it names none)."""
    raw = (credentials or {}).get("username") if credentials else None
    if raw is None and request is not None and request.method == "POST":
        raw = request.POST.get("username")
    email = str(raw or "").strip().lower()
    return email or None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: `REMOTE_ADDR`, or with `LOGIN_PROXY_COUNT` = n > 0 reverse proxies that each append
    the address they saw to `X-Forwarded-For`, the n-th entry from the right (the address the outermost proxy
    saw). Entries left of it were written by the client and are never trusted."""
    proxies = settings.LOGIN_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def lockout_ends(request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime:
    """When the lock on this request's account or address ends: for each locked parameter, the failures are
    summed from the newest; the lock ends a cool-off after the failure that reached the limit."""
    now = timezone.now()
    cool_off = get_cool_off(request)
    if cool_off is None:  # settings always set one; a lock without end is shown as one cool-off from now
        return now
    limit = get_failure_limit(request, credentials)
    ends = now
    parameters = get_client_parameters(
        get_client_username(request, credentials),
        getattr(request, "axes_ip_address", None) or client_address(request) or "",
        getattr(request, "axes_user_agent", ""),
        request,
        credentials,
    )
    for parameter in parameters:
        recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off, **parameter).order_by("-attempt_time")
        total = 0
        for attempt_time, failures in recent.values_list("attempt_time", "failures_since_start"):
            total += failures
            if total >= limit:
                ends = max(ends, attempt_time + cool_off)
                break
    return ends


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The sign-in page with the lockout message (429, `Retry-After`): for the sign-in page and the admin's."""
    from conformo.accounts.forms import LoginForm

    seconds = max(0, (lockout_ends(request, credentials) - timezone.now()).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    form = LoginForm(request, initial={"username": attempted_email(request, credentials) or ""})
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out_minutes": minutes, "next": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def record_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`user_login_failed`: a failure django-axes counted (not one refused during a lockout), of an existing
    account, goes to the audit log."""
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    email = attempted_email(request, credentials)
    user = User.objects.filter(email=email).first() if email else None
    if user is not None:
        sign_in_failure_record(actor=SYSTEM, user=user, ip_address=getattr(request, "axes_ip_address", None))


def record_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes' `user_locked_out`: the failure that reached the limit starts a lockout, which goes to the
    audit log (django-axes sends the signal again for each attempt refused during it: those are not recorded)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    attempt = AccessAttempt.objects.filter(username=username, ip_address=ip_address).order_by("-attempt_time").first()
    if attempt is None:  # django-axes has just saved it; nothing to record if it is gone
        return
    sign_in_lockout_record(
        actor=SYSTEM,
        email=username,
        ip_address=ip_address,
        failures=failures,
        until=lockout_ends(request, getattr(request, "axes_credentials", None)),
        attempt=attempt,
    )
