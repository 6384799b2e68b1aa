"""API authentication: personal tokens (`Authorization: Bearer …`) or the page session (with CSRF).

A bearer token that is unknown or revoked answers 401 `invalid_token`, an expired one 401 `token_expired` (the
session is not tried instead: credentials that were sent and are wrong are refused). A read-only token on a
method that changes something answers 403 `read_only_token`. Some actions — creating and revoking tokens — need
the signed-in session itself (`require_session`): a token cannot mint tokens.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from conformo.accounts.services import TokenUse, api_token_authenticate
from conformo.accounts.two_factor import two_factor_need
from conformo.core.errors import ApplicationError, PermissionDenied
from conformo.core.schemas import ErrorOut

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthenticated(ApplicationError):
    """The request's credentials are missing or do not work (401)."""

    status_code = 401
    default_code = "unauthenticated"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        use = api_token_authenticate(token)
        if use is None:
            raise Unauthenticated(
                "This API token is not valid: it is unknown, revoked, or its owner's account is inactive.",
                code="invalid_token",
            )
        if use.expired:
            raise Unauthenticated(
                f"This API token expired on {use.expires_at:%Y-%m-%d %H:%M} UTC. "
                "Create a new one on /accounts/tokens/ while signed in.",
                code="token_expired",
            )
        if use.read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                "This API token is read-only: it may only read (GET). Use a read-and-write token to make changes.",
                code="read_only_token",
            )
        request.user = use.user
        request.api_token = use  # type: ignore[attr-defined]  # how the request was authenticated, for require_session
        return use.user


class ActiveSessionAuth(SessionAuth):
    """Session cookie auth for the browser (the same session as the pages; unsafe methods need the CSRF token).
    A session that must first give a two-factor code (or enrol an app) is refused: 403 `two_factor_required`."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and two_factor_need(user) is not None:
            raise PermissionDenied(
                "Two-factor authentication is required: enter the code from your authenticator app on "
                "/accounts/two-factor/ (or set one up on /accounts/security/) in this browser first.",
                code="two_factor_required",
            )
        return user


def token_use(request: HttpRequest) -> TokenUse | None:
    """The API token that authenticated this request, or None (a session, or no authentication)."""
    return getattr(request, "api_token", None)


def require_session(request: HttpRequest, *, action: str) -> None:
    """Refuse (403 `session_required`) a request authenticated by an API token rather than a signed-in session."""
    if token_use(request) is not None:
        raise PermissionDenied(
            f"Only a signed-in session can {action}; an API token cannot. Sign in and use the page or the session.",
            code="session_required",
        )


api_auth = [TokenAuth(), ActiveSessionAuth()]

_AUTH_ERRORS = {
    401: "Not signed in, or the API token is unknown, revoked (`invalid_token`) or expired (`token_expired`).",
    403: "Refused for this caller: the role does not allow it (`permission_denied`), a read-only token on a "
    "change (`read_only_token`), an action that needs the signed-in session (`session_required`), or a session "
    "that must first pass two-factor verification (`two_factor_required`).",
}


def document_auth_errors[S: dict[str, Any]](schema: S) -> S:
    """Add the 401 and 403 answers (`ErrorOut`) to every operation of the OpenAPI document that needs
    authentication, where the operation does not describe them itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or not operation.get("security"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _AUTH_ERRORS.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema
