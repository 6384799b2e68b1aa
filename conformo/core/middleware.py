"""Request middleware: refused input (control characters, unreadable bodies), the API's one error shape, an
ApplicationError raised by a page turned into a readable 4xx page, and the Permissions-Policy header."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from conformo.core.cleaning import (
    CONTROL_CHARACTER_MESSAGE,
    DocumentRefused,
    control_character_places,
    has_control_characters,
    json_document,
)
from conformo.core.errors import ApplicationError, OutOfReach, ValidationFailed, status_error

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site (a "Go back" link without script)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return ""


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_response(body: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def refusal(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """The answer to refused input: the API's JSON error, or the error page (400)."""
    if is_api(request):
        return json_response(error.as_dict(), error.status_code)
    context = {"message": error.message, "code": error.code, "fields": error.fields, "back_url": back_url(request)}
    return render(request, "core/error.html", context, status=400)


def parsed_json_body(request: HttpRequest) -> Any:
    """The API request's JSON body as the middleware parsed it (see `InputMiddleware`), or parse it now."""
    if hasattr(request, "conformo_json"):
        return request.conformo_json
    return json_document(request.body)


class InputMiddleware:
    """Refuses, before anything else reads the request, control characters (docs/api.md#errors):

    * in the path and the query string — keys and values, every C0 character and DEL: 400 `control_character`
      (the path) or 422 `control_character` naming the parameters;
    * in form bodies and JSON bodies — every string value and key, but tab, line feed and carriage return:
      422 `control_character` naming the fields (`items.0.title`).

    JSON bodies of API requests are parsed here once (depth-limited, `core/cleaning.py`) and the parsed values
    walked — so `"\\u0000"` escapes are caught as well as raw bytes; the API's parser reuses the result. A body
    that is not JSON is 400 `invalid_json` (or `too_deep`), a multipart body without a boundary 400
    `invalid_multipart`, and a body over the size limit 413 `request_too_large`. Pages get the error page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = self.refused(request)
        except RequestDataTooBig:
            if not is_api(request):
                raise
            return json_response(status_error(413, "The request body is larger than the server accepts."), 413)
        except MultiPartParserError as exc:
            if not is_api(request):
                raise
            logger.info("Unreadable multipart body: %s", exc)
            detail = "The multipart body cannot be read (it needs a boundary and well-formed parts)."
            return json_response({"detail": detail, "code": "invalid_multipart"}, 400)
        if refused is not None:
            return refusal(request, refused)
        return self.get_response(request)

    def refused(self, request: HttpRequest) -> ApplicationError | None:
        if has_control_characters(request.path_info, text=False):
            return ApplicationError(
                f"The address holds a control character. {CONTROL_CHARACTER_MESSAGE}", code="control_character"
            )
        query = control_character_places(dict(request.GET.lists()), text=False)
        if query:
            return control_characters("query string", [place.rsplit(".", 1)[0] for place in query])
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        if (request.content_type or "") in FORM_TYPES:
            places = control_character_places(dict(request.POST.lists()))
            return control_characters("form", [place.rsplit(".", 1)[0] for place in places]) if places else None
        if is_api(request) and request.body:
            try:
                parsed = json_document(request.body)
            except DocumentRefused as exc:
                return ApplicationError(f"The request body cannot be read. {exc.message}", code=exc.code)
            request.conformo_json = parsed  # type: ignore[attr-defined]  # read by the API's parser
            places = control_character_places(parsed)
            return control_characters("body", places) if places else None
        return None


def control_characters(where: str, places: list[str]) -> ValidationFailed:
    return ValidationFailed(
        f"The {where} holds a control character. {CONTROL_CHARACTER_MESSAGE}",
        code="control_character",
        fields={place: [CONTROL_CHARACTER_MESSAGE] for place in places},
    )


class ApiErrorMiddleware:
    """Every answer under /api/ that is not a success is JSON `{"detail", "code"}`: the answers Django and the
    framework give before or around the API's own handlers — an unknown address (404), a method the operation
    does not have (405), an unreadable request (400, 413) and an internal error (500) — are rewritten to it.
    JSON answers are left as they are (the API's handlers already give the shape). Install it first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        if (response.get("Content-Type") or "").startswith("application/json"):
            return response
        shaped = json_response(status_error(response.status_code), response.status_code)
        for header in ("Allow", "Retry-After", "Vary"):
            if header in response:
                shaped[header] = response[header]
        return shaped


class ApplicationErrorMiddleware:
    """An ApplicationError raised by a page becomes the error page with its status and message; a refusal (403,
    and `OutOfReach`: an object of the user's own tenants their role may not use) says "You don't have access to
    this" and links to the user's dashboard. Objects of another tenant stay "Not found" (404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        if isinstance(exception, OutOfReach):
            # An object of the user's own tenants that their role may not use: a refusal, not "Not found".
            return render(
                request,
                "core/error.html",
                {
                    "message": exception.refusal,
                    "code": "permission_denied",
                    "status": 403,
                    "back_url": back_url(request),
                },
                status=403,
            )
        return render(
            request,
            "core/error.html",
            {
                "message": exception.message,
                "code": exception.code,
                "fields": exception.fields,
                "status": exception.status_code,
                "back_url": back_url(request),
            },
            status=exception.status_code,
        )


class PermissionsPolicyMiddleware:
    """Sets the Permissions-Policy header (settings.PERMISSIONS_POLICY; empty = none) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "PERMISSIONS_POLICY", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.process_response(request, self.get_response(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response
