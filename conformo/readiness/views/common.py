"""Helpers shared by the readiness pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from conformo.core.errors import ValidationFailed
from conformo.organizations.models import Organization
from conformo.readiness.permissions import can_manage


def org_context(request: HttpRequest, organization: Organization, section: str) -> dict[str, Any]:
    return {
        "organization": organization,
        "section": section,
        "can_manage": can_manage(request.user, organization.pk),
    }


def apply_errors(form: Any, exc: ValidationFailed) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
