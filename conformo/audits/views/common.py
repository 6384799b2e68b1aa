"""Helpers shared by the CB workflow pages: run a service and report, parse posted values, roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest

from conformo.accounts.choices import Role
from conformo.audits.permissions import MANAGERS, reach
from conformo.core.errors import ApplicationError, ValidationFailed
from conformo.organizations.models import CertificationBody


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


def by_id(queryset: Any, value: Any) -> Any:
    """The object of `queryset` with this public id, or None (also for a malformed id)."""
    try:
        return queryset.filter(public_id=UUID(str(value))).first() if value else None
    except ValueError:
        return None


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


def apply_errors(form: Any, exc: ApplicationError) -> None:
    """Show a refused service call on the form: field messages next to their fields, the rest on top."""
    shown = False
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
            shown = True
    if not shown or any(name not in form.fields for name in exc.fields):
        form.add_error(None, exc.message)


def cbs_of(user: Any, *roles: str) -> Any:
    """The certification bodies where `user` holds one of `roles` (any role if none given)."""
    if getattr(user, "is_superuser", False):
        return CertificationBody.objects.all()
    memberships = {"memberships__user_id": getattr(user, "pk", 0) or 0}
    if roles:
        memberships["memberships__role__in"] = list(roles)  # type: ignore[assignment]
    return CertificationBody.objects.filter(**memberships).distinct()


def has_role_at(user: Any, cb: CertificationBody, *roles: str) -> bool:
    r = reach(user)
    return r.superuser or bool(r.roles_by_cb.get(cb.pk, frozenset()) & set(roles))


CB_ADMIN = Role.CB_ADMIN.value
