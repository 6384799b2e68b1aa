"""Domain exceptions. Each message is one sentence a user can act on, naming the valid choices."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error raised by ``conformo.domain``."""


class InvalidInput(DomainError, ValueError):
    """An input is outside what the rules accept (unknown standard, personnel <= 0, impossible date, ...)."""


class CaseByCase(DomainError):
    """The rules give no figure for this case; the CB must determine it case by case and justify it."""


class IllegalTransition(DomainError):
    """A certification decision is not allowed from the certificate's current state or conditions."""
