"""What every page form shares."""

from __future__ import annotations

from typing import Any

from conformo.core.errors import ApplicationError


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
