"""What every page form shares: submit an action's form to its service, show a refusal on the form.

A page action is a form with its own URL (docs/architecture.md). `handle` is the whole action: GET shows the
page that holds the form; POST validates it, calls the service with the cleaned data, and either redirects with
a success message or shows the page again with the bound form — the user's input kept, bad input as field
errors (422), a refusal for the object's state as the form's error (409). A refusal for lack of role
(PermissionDenied, NotFound) is left to the error middleware: a 403/404 page with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from conformo.core.errors import ApplicationError, Conflict, ValidationFailed


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
