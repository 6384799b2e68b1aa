"""Helpers shared by the CB workflow pages: run a service and report, parse posted values, roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest

from conformo.core.errors import ApplicationError, ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import MANAGERS, reach


def act(request: HttpRequest, action: Callable[[], Any], success: str) -> Any:
    """Run a service; on refusal show its reason and return None."""
    try:
        result = action()
    except ApplicationError as exc:
        detail = (
            " ".join(m for ms in exc.fields.values() for m in ms)
            if exc.fields and exc.code == "validation_error"
            else ""
        )
        messages.error(request, f"{exc.message} {detail}".strip())
        return None
    messages.success(request, success)
    return result


def ids(values: list[str]) -> list[UUID]:
    result = []
    for value in values:
        try:
            result.append(UUID(value))
        except ValueError:
            continue
    return result


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date (YYYY-MM-DD).") from None


def parse_decimal(value: str | None, default: Decimal | None = None) -> Decimal | None:
    if not value:
        return default
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(f"{value!r} is not a number.") from None


def is_manager(user: Any) -> bool:
    r = reach(user)
    return r.superuser or any(set(roles) & set(MANAGERS) for roles in r.roles_by_cb.values())


CB_ADMIN = Role.CB_ADMIN.value
