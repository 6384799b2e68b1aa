"""The database down or busy → 503, never 500 (docs/deployment.md, "When the database is down").

Django turns any exception of a view or a middleware (the registry's fast path included) into the response of
`handler500`; `server_error` looks at that exception first. A connection that failed, a server that shut down
or refused the connection, a lock that was not granted in time (SQLite's busy timeout, PostgreSQL's
`lock_timeout`) is answered 503 with `Retry-After`: JSON `{"detail", "code": "database_unavailable"}` under
/api/, a page elsewhere. Any other error stays a 500. No state is kept: Django closes a connection found
unusable at the end of the request and the next request opens a new one, so service resumes by itself.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

_PG_UNAVAILABLE = {"57P01", "57P02", "57P03", "53300", "55P03"}
"""admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, lock_not_available; and the whole
08 class (connection exception)."""
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL")
UNAVAILABLE_BODY = {"detail": "Service temporarily unavailable.", "code": "database_unavailable"}


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached or is busy now (not a mistake in a query)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", "")
    errorname = getattr(cause, "sqlite_errorname", "")
    if errorname:
        return str(errorname).startswith(_SQLITE_UNAVAILABLE)
    if sqlstate:
        return str(sqlstate).startswith("08") or sqlstate in _PG_UNAVAILABLE
    # No code at all: psycopg's failed connection attempt or a connection that broke mid-way.
    return cause is None or sqlstate is None


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON under /api/, the stand-alone page elsewhere (it needs no database)."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(UNAVAILABLE_BODY, status=503)
    else:
        response = HttpResponse(render_to_string("core/unavailable.html"), status=503)
    response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 when the database is unavailable, Django's 500 page otherwise."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return django_server_error(request, template_name)
