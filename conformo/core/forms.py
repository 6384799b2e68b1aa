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
    result = attempt(form, call)
    if form.errors:
        return Outcome(False, status=form_status(form))
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
    of fields the form does not have go on top too). A form made of rows (e.g. a formset inside it) may take a
    dotted field name such as `adjustments.2.justification` to its row: its `route_error(name, error)` returns
    True when it placed the message."""
    form.refusal_status = exc.status_code
    route = getattr(form, "route_error", None)
    elsewhere: list[str] = []
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
        else:
            elsewhere.extend(e for e in errors if not (route is not None and route(name, e)) and e not in exc.message)
    form.add_error(None, " ".join([exc.message, *elsewhere]))


def attempt[T](form: forms.Form, service: Callable[[dict[str, Any]], T]) -> T | None:
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


def form_status(*forms_: forms.BaseForm) -> int:
    """The status of a page showing these forms: 200, or 422/409 when one of them was refused."""
    for form in forms_:
        if form.is_bound and form.errors:
            return int(getattr(form, "refusal_status", 422))
    return 200


def chosen(form: forms.Form, name: str) -> Any:
    """The object the form's model choice `name` holds — the posted value, else the initial one — or None when it
    holds none or one outside its queryset: for a field whose choices depend on another (the sites of the
    organization chosen, the audits of the auditor chosen)."""
    raw = form[name].value()
    if not raw:
        return None
    try:
        return form.fields[name].clean(raw)
    except forms.ValidationError:
        return None


def refreshes(form: forms.Form, name: str, url: str, target: str) -> None:
    """When the field `name` changes, htmx asks `url` (the form's own page, with the field's value) for the page
    again and puts only the field `target` of it in place: the choices that depend on `name` (see `chosen`)."""
    element = f"#{form[target].auto_id}"
    form.fields[name].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-include": "this",
            "hx-target": element,
            "hx-select": element,
            "hx-swap": "outerHTML",
        }
    )


def set_queryset(form: forms.Form, name: str, queryset: Any, label: Callable[[Any], str] | None = None) -> None:
    """Offer `queryset` (what this user may pick) in the form's model choice field `name`, each object shown
    as `label(obj)` when given."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[assignment]  # Django documents overriding it per field
