"""Home (the landing page), audit log page and the health check. The dashboard is conformo.home's."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conformo.core.models import AuditLogEntry

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:dashboard")
    return render(request, "core/home.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditLogEntry.objects.visible_to(request.user).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """`{"status": "ok", "database": "ok"}`, or 503 `{"status": "error", "detail": "database unavailable"}` when the
    database does not answer. The cause (which may name the host, port or database) goes to the log, not the
    caller."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return JsonResponse({"status": "error", "detail": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"message": "This page does not exist.", "code": "not_found"}, status=404)
