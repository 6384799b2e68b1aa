"""One family of application errors, mapped to HTTP responses in one place.

Services raise these with a message a user understands; the page middleware and the API exception
handler turn them into 4xx responses (`{"detail": ..., "code": ...}` for the API).
"""

from __future__ import annotations

from collections.abc import Mapping


class ApplicationError(Exception):
    """A refused request: the message says why, in words the user understands."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = dict(fields or {})

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"detail": self.message, "code": self.code}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationFailed(ApplicationError):
    """The input is malformed or breaks a rule; `fields` maps field names to messages."""

    status_code = 422
    default_code = "validation_error"


class PermissionDenied(ApplicationError):
    """The user is known but their role does not allow this action."""

    status_code = 403
    default_code = "permission_denied"


class NotFound(ApplicationError):
    """The object does not exist or is not visible to this user (the two are never distinguished)."""

    status_code = 404
    default_code = "not_found"


class OutOfReach(NotFound):
    """The object is in one of the user's own tenants (they may know it exists), but their role may not use it:
    pages answer a 403 "You don't have access to this" page, the API 404 as for any object not visible to the
    caller (docs/api.md#errors). Objects of another tenant are a plain `NotFound` (`core.tenancy.not_visible`)."""

    def __init__(self, message: str, *, refusal: str) -> None:
        super().__init__(message)
        self.refusal = refusal


class Conflict(ApplicationError):
    """The action is not allowed in the object's current state."""

    status_code = 409
    default_code = "conflict"


class Gone(ApplicationError):
    """The object was usable once and no longer is (a used, revoked, expired or replaced invitation link)."""

    status_code = 410
    default_code = "gone"


#: The `code` of an API answer that no ApplicationError produced (the framework's own refusals), by status.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

#: The `detail` of such an answer, by status.
STATUS_DETAILS: dict[int, str] = {
    400: "The request cannot be read.",
    401: "Authentication required.",
    403: "This is not allowed.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request is too large.",
    415: "This media type is not accepted here.",
    500: "Internal error.",
    503: "The service is unavailable; try again shortly.",
}


def status_error(status: int, detail: str | None = None) -> dict[str, object]:
    """The API's error body (`{"detail", "code"}`) for an HTTP status that no ApplicationError named."""
    return {
        "detail": detail or STATUS_DETAILS.get(status, "The request was refused."),
        "code": STATUS_CODES.get(status, "server_error" if status >= 500 else "bad_request"),
    }
