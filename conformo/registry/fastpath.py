"""A short-circuit for the registry's two hot API reads, ahead of every other middleware.

`GET /api/v1/registry/certificates/<number>` and `GET /api/v1/registry/certificates?…` from anonymous
clients are answered here — rate limit, one indexed statement, JSON with ETag / Cache-Control, the security
headers the skipped middleware would have set — without sessions, authentication, CSRF, messages, URL
resolving or django-ninja. Everything else (a request with a session cookie, so that signed-in users keep
their exemption from the rate limit; the credential; other methods; malformed parameters) falls through to
the normal path, which gives the same answers.

Install as the first entry of MIDDLEWARE: "conformo.registry.fastpath.RegistryFastPathMiddleware".
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from conformo.registry import selectors
from conformo.registry.http import cached_response, json_body, json_error, too_many
from conformo.registry.ratelimit import retry_after

PREFIX = "/api/v1/registry/certificates"
NOT_FOUND = "No public certificate has this number."
SEARCH_PARAMS = frozenset({"q", "standard", "country", "status", "page", "page_size"})


def _secure_headers(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """What SecurityMiddleware and XFrameOptionsMiddleware add to every answer."""
    if getattr(settings, "SECURE_CONTENT_TYPE_NOSNIFF", True):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    policy = getattr(settings, "SECURE_REFERRER_POLICY", "same-origin")
    if policy:
        response.headers.setdefault("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy))
    coop = getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
    if coop:
        response.headers.setdefault("Cross-Origin-Opener-Policy", coop)
    hsts = getattr(settings, "SECURE_HSTS_SECONDS", 0)
    if hsts and request.is_secure():
        value = f"max-age={hsts}"
        if getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False):
            value += "; includeSubDomains"
        if getattr(settings, "SECURE_HSTS_PRELOAD", False):
            value += "; preload"
        response.headers.setdefault("Strict-Transport-Security", value)
    response.headers.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
    return response


def _int(text: str, default: int, low: int, high: int) -> int | None:
    if not text:
        return default
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


def lookup(request: HttpRequest, number: str) -> HttpResponse:
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    row = selectors.registry_get(number)
    if row is None:
        return json_error(404, NOT_FOUND, "not_found")
    return cached_response(request, json_body(selectors.registry_record(row, timezone.localdate())), "application/json")


def search(request: HttpRequest) -> HttpResponse | None:
    """The search, or None when a parameter needs the full path's validation answer (422)."""
    params = request.GET
    if not set(params) <= SEARCH_PARAMS or any(len(params.getlist(k)) > 1 for k in params):
        return None
    q, standard = params.get("q", ""), params.get("standard", "")
    country, status = params.get("country", ""), params.get("status", "")
    page = _int(params.get("page", ""), 1, 1, 100_000)
    size = _int(params.get("page_size", ""), 20, 1, 100)
    if page is None or size is None or len(q) > 200 or len(standard) > 100 or len(country) > 2:
        return None
    if status and status not in selectors.STATUSES:
        return None
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    today = timezone.localdate()
    try:
        found, count = selectors.registry_search_page(
            q=q, standard=standard, country=country, status=status, today=today, offset=(page - 1) * size, limit=size
        )
    except selectors.SearchTooBroad:
        return json_error(422, selectors.TOO_BROAD, "search_too_broad")
    items = [selectors.registry_record(row, today) for row in found]
    return cached_response(request, json_body({"items": items, "count": count}), "application/json")


class RegistryFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith(PREFIX)
            and request.method in ("GET", "HEAD")
            and self.session_cookie not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        ):
            rest = path[len(PREFIX) :]
            response: HttpResponse | None = None
            if rest.startswith("/") and len(rest) > 1 and "/" not in rest[1:]:
                response = lookup(request, rest[1:])
            elif rest == "":
                response = search(request)
            if response is not None:
                return _secure_headers(response, request)
        return self.get_response(request)
