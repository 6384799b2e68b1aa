"""Public pages: the registry search, the verification page of one certificate, and the JWKS."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from conformo.certificates.scope import record_lines, scope_groups
from conformo.certificates.signing import jwks
from conformo.registry import selectors
from conformo.registry.ratelimit import retry_after
from conformo.registry.schemas import max_length

PAGE_SIZE = 20


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = retry_after(request)
    if wait is None:
        return None
    response = render(request, "registry/rate_limited.html", {"seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _results_page(filters: dict[str, str], asked: str, today: date) -> Page[Any]:
    """The page of results asked for (the last one when past the end, the first when not a number), with the
    records and the standards' designations."""
    # At most nine digits: past the end is the last page, and the offset stays far inside a 64-bit integer.
    number = int(asked) if len(asked) <= 9 and asked.isascii() and asked.isdigit() and int(asked) > 0 else 1
    found, count = selectors.registry_search_page(
        **filters, today=today, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    paginator: Paginator[Any] = Paginator(range(count), PAGE_SIZE)
    page = paginator.get_page(number)
    if not found and page.number != number:
        found, count = selectors.registry_search_page(
            **filters, today=today, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    page.object_list = [
        {**selectors.registry_record(row, today), "designations": selectors.standard_designations(row)} for row in found
    ]
    return page


@require_safe
def registry(request: HttpRequest) -> HttpResponse:
    """Search by number or company name, filter by standard, country and status."""
    limited = _limited(request)
    if limited:
        return limited
    today = timezone.localdate()
    status = request.GET.get("status", "")
    filters = {
        "q": request.GET.get("q", "")[: max_length("q")],
        "standard": request.GET.get("standard", "")[: max_length("standard")],
        "country": request.GET.get("country", "")[: max_length("country")],
        "status": status if status in selectors.STATUSES else "",
    }
    searched = any(filters.values())
    page = None
    too_broad = ""
    if searched:
        try:
            page = _results_page(filters, request.GET.get("page", ""), today)
        except selectors.SearchTooBroad:
            page, too_broad = None, selectors.TOO_BROAD
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/search.html",
        {
            "filters": filters,
            "page": page,
            "searched": searched,
            "too_broad": too_broad,
            "statuses": selectors.STATUSES,
            "querystring": query.urlencode(),
        },
        status=422 if too_broad else 200,
    )


@require_safe
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """One certificate's status, large and unmistakable, with holder, scope, sites, dates and CB."""
    limited = _limited(request)
    if limited:
        return limited
    row = selectors.registry_get(number)
    if row is None:
        return render(request, "registry/not_found.html", {"number": number}, status=404)
    record = selectors.registry_record(row, timezone.localdate())
    context = {
        "record": record,
        "designations": selectors.standard_designations(row),
        "asked_for": number,
        "superseded": record["number"] != number,
        "scope_groups": scope_groups(record_lines(row)),
    }
    return render(request, "registry/verify.html", context)


@require_safe
def jwks_view(request: HttpRequest) -> JsonResponse:
    """The public keys that verify Conformo's signed credentials (current and retired)."""
    response = JsonResponse(jwks())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
