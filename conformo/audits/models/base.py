"""The base of the CB workflow's models: `visible_to(user)` querysets and the calendar token."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models

from conformo.audits.permissions import tenant_q


class VisibleQuerySet(models.QuerySet[Any]):
    """`visible_to(user)` from the paths named on the model's `Visibility` class."""

    def visible_to(self, user: Any) -> Any:
        paths = self.model.VISIBILITY  # type: ignore[attr-defined]
        query = tenant_q(user, **paths)
        if query is None:
            return self.all()
        return self.filter(query).distinct()


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(24)
