"""Helpers shared by the CB pages: submit an action's form to its service and report, roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from conformo.core.errors import ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import MANAGERS, reach


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date (YYYY-MM-DD).") from None


def is_manager(user: Any) -> bool:
    r = reach(user)
    return r.superuser or any(set(roles) & set(MANAGERS) for roles in r.roles_by_cb.values())


CB_ADMIN = Role.CB_ADMIN.value
