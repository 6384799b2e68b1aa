"""Request body limits, checked before anything reads the body (docs/configuration.md, "Limits").

Django's DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE only act once the body is being parsed:
a 50 MB request is still received in full. `RequestSizeLimitMiddleware` runs first and answers 413 from the
declared Content-Length alone:

- a multipart body (a file upload) may be up to `MAX_UPLOAD_BYTES`;
- any other body (a form, JSON) up to `MAX_REQUEST_BYTES`.

A body without a Content-Length (HTTP/1.1 chunked transfer) is never read: Django's WSGI request reads at most
Content-Length bytes, and none when it is missing or not a number.

The answer is JSON `{"detail", "code": "request_too_large"}` under /api/, a short page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

CODE = "request_too_large"


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may have."""
    if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data"):
        return int(settings.MAX_UPLOAD_BYTES)
    return int(settings.MAX_REQUEST_BYTES)


def megabytes(size: int) -> str:
    """`26214400` → `"25 MB"`; below 1 MB in KB, below 1 KB in bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.4g} MB"
    if size >= 1024:
        return f"{size / 1024:.4g} KB"
    return f"{size} bytes"


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    detail = f"The request is too large: the limit is {megabytes(limit)}."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": CODE}, status=413)
    html = render_to_string("core/too_large.html", {"detail": detail})
    return HttpResponse(html, status=413)


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is over its limit, before the body is read (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        declared = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(declared) if declared else 0
        except ValueError:
            length = 0  # Django reads no body when the length is not a number
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)
