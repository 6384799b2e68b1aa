"""A short-circuit for the registry's two hot API reads, ahead of every other middleware.

`GET /api/v1/registry/certificates/<number>` and `GET /api/v1/registry/certificates?…` from anonymous
clients are answered here — rate limit, one indexed statement, JSON with ETag / Cache-Control, the headers
of SecurityMiddleware, ContentSecurityPolicyMiddleware, PermissionsPolicyMiddleware and XFrameOptionsMiddleware
(their own `process_response`) — without sessions, authentication, CSRF, messages, URL resolving or django-ninja.
Everything else (a request with a session cookie, so that signed-in users keep their exemption from the rate
limit; the credential; other methods; parameters that the API's schema, `SearchIn`, refuses) falls through to the
normal path, which gives the same answers.

Install in MIDDLEWARE right after the API error shape, the body limit (conformo.core.limits) and the input
checks (`conformo.core.middleware.InputMiddleware`), ahead of the rest:
"conformo.registry.fastpath.RegistryFastPathMiddleware".
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import timezone
from pydantic import ValidationError

from conformo.core.middleware import PermissionsPolicyMiddleware
from conformo.registry import selectors
from conformo.registry.http import cached_response, json_body, json_error, too_many
from conformo.registry.ratelimit import retry_after
from conformo.registry.schemas import SearchIn, SearchQuery

PREFIX = "/api/v1/registry/certificates"
NOT_FOUND = "No public certificate has this number."
SEARCH_PARAMS = frozenset(SearchIn.model_fields)


def lookup(request: HttpRequest, number: str) -> HttpResponse:
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    row = selectors.registry_get(number)
    if row is None:
        return json_error(404, NOT_FOUND, "not_found")
    return cached_response(request, json_body(selectors.registry_record(row, timezone.localdate())), "application/json")


def search(request: HttpRequest) -> HttpResponse | None:
    """The search, or None when the parameters need the full path's answer: a parameter the API's schema
    (`SearchIn`) does not know or refuses (its 422), a repeated one, or an unknown status."""
    params = request.GET
    if not params.keys() <= SEARCH_PARAMS or any(len(values) > 1 for _, values in params.lists()):
        return None
    try:
        filters = SearchQuery.model_validate(params.dict())
    except ValidationError:
        return None
    if filters.status and filters.status not in selectors.STATUSES:
        return None
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    today = timezone.localdate()
    size = filters.page_size
    try:
        found, count = selectors.registry_search_page(
            q=filters.q,
            standard=filters.standard,
            country=filters.country,
            status=filters.status,
            today=today,
            offset=(filters.page - 1) * size,
            limit=size,
        )
    except selectors.SearchTooBroad:
        return json_error(422, selectors.TOO_BROAD, "search_too_broad")
    items = [selectors.registry_record(row, today) for row in found]
    return cached_response(request, json_body({"items": items, "count": count}), "application/json")


class RegistryFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME
        # The security headers of the middleware a fast answer skips, set by that middleware itself.
        self.headers = (
            SecurityMiddleware(get_response),
            ContentSecurityPolicyMiddleware(get_response),
            PermissionsPolicyMiddleware(get_response),
            XFrameOptionsMiddleware(get_response),
        )

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
                for middleware in self.headers:
                    response = middleware.process_response(request, response)
                return response
        return self.get_response(request)
