"""The calendar token of the CB workflow's models (their `visible_to(user)` querysets are in conformo.core.tenancy)."""

from __future__ import annotations

import secrets


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(24)
