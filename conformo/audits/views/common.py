"""Helpers shared by the CB pages: submit an action's form to its service and report, roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from conformo.accounts.choices import Role
from conformo.audits.permissions import MANAGERS, reach
from conformo.core.errors import ApplicationError, Conflict, ValidationFailed
from conformo.organizations.models import CertificationBody


@dataclass(frozen=True)
class Outcome:
    """What became of a submitted form: done (with the service's result), or refused with the status to show
    the page again with (422 bad input, 409 the object's state forbids it)."""

    done: bool
    result: Any = None
    status: int = 200


def submit(request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any], success: str) -> Outcome:
    """Validate `form` and call the service with its cleaned data. Done: a success message. Bad input or a
    refusal for the object's state: the form carries the errors, the user's input stays. A refusal for lack of
    role (PermissionDenied, NotFound) is left to the error middleware: a 403/404 page with the reason."""
    if not form.is_valid():
        return Outcome(False, status=422)
    try:
        result = call(form.cleaned_data)
    except (ValidationFailed, Conflict) as exc:
        apply_errors(form, exc)
        return Outcome(False, status=exc.status_code)
    messages.success(request, success)
    return Outcome(True, result)


def handle(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    done: str | Callable[[Any], str],
    page: Callable[[int], HttpResponse],
) -> HttpResponse:
    """One page action: GET shows `page` (which holds the form); POST submits the form, then goes to `done`
    (a URL, or a function of the service's result) or shows `page` again with the bound form and its errors."""
    if request.method != "POST":
        return page(200)
    outcome = submit(request, form, call, success)
    if outcome.done:
        return redirect(done(outcome.result) if callable(done) else done)
    return page(outcome.status)


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even when empty, so that the form is bound), else None."""
    return request.POST if request.method == "POST" else None


def by_id(queryset: Any, value: Any) -> Any:
    """The object of `queryset` with this public id, or None (also for a malformed id)."""
    try:
        return queryset.filter(public_id=UUID(str(value))).first() if value else None
    except ValueError:
        return None


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date (YYYY-MM-DD).") from None


def is_manager(user: Any) -> bool:
    r = reach(user)
    return r.superuser or any(set(roles) & set(MANAGERS) for roles in r.roles_by_cb.values())


def apply_errors(form: Any, exc: ApplicationError) -> None:
    """Show a refused service call on the form: the reason on top, field messages next to their fields (those
    of fields the form does not have go on top too)."""
    elsewhere: list[str] = []
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
        else:
            elsewhere.extend(e for e in errors if e not in exc.message)
    form.add_error(None, " ".join([exc.message, *elsewhere]))


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
