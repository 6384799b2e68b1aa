"""Domain exceptions. Each message is one sentence a user can act on, naming the valid choices.

Every error carries a stable ``code`` (what the API and the pages report, e.g. ``major_nc_unverified``) and,
where a rule has one, the ``clause`` it comes from; callers map the code to their own error types and show
the message as it is.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error raised by ``conformo.domain``."""

    default_code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, clause: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.clause = clause


class InvalidInput(DomainError, ValueError):
    """An input is outside what the rules accept (unknown standard, personnel <= 0, impossible date, ...)."""

    default_code = "invalid_input"


class CaseByCase(DomainError):
    """The rules give no figure for this case; the CB must determine it case by case and justify it."""

    default_code = "case_by_case"


class IllegalTransition(DomainError):
    """A certification decision is not allowed from the certificate's current state or conditions."""

    default_code = "illegal_transition"
