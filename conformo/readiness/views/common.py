"""Helpers shared by the readiness pages (and the improvement log's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest

from conformo.core.errors import ApplicationError, Conflict, ValidationFailed
from conformo.organizations.models import Organization
from conformo.readiness.permissions import can_manage


def org_context(request: HttpRequest, organization: Organization, section: str) -> dict[str, Any]:
    return {
        "organization": organization,
        "section": section,
        "can_manage": can_manage(request.user, organization.pk),
    }


def posted(request: HttpRequest) -> Any:
    """The data a form binds to: the POST, even an empty one (so missing fields are errors), else None."""
    return request.POST if request.method == "POST" else None


def apply_errors(form: Any, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: its field messages on the fields, the rest above them.
    The form remembers the refusal's status (422 or 409) for `form_status`."""
    form.refusal_status = exc.status_code
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def submit[T](form: forms.Form, service: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate the form and run the service with its cleaned data. On bad input or a refusal
    (ValidationFailed, Conflict) the errors are on the form and the result is None; the form keeps
    the user's input for the page to show again. Permission and not-found refusals propagate."""
    if not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except (ValidationFailed, Conflict) as exc:
        apply_errors(form, exc)
        return None


def carry_errors(source: forms.Form, target: Any) -> None:
    """Show the errors of one form on another form with the same field names, with the same status."""
    target.is_valid()
    for name, errors in source.errors.items():
        for error in errors:
            target.add_error(name if name in target.fields else None, error)
    target.refusal_status = getattr(source, "refusal_status", 422)


def form_status(*forms_: forms.Form) -> int:
    """The status of a page showing these forms: 200, or 422/409 when one of them was refused."""
    for form in forms_:
        if form.is_bound and form.errors:
            return int(getattr(form, "refusal_status", 422))
    return 200
