"""The public calculator page (/tools/): audit time, sample size and cycle dates.

Each form posts to its own URL. With htmx (``HX-Request``) the answer is the result fragment, swapped in
under the form; without JavaScript the whole page comes back with the form as typed and its result.
GET with the same parameters works too, so a result can be linked to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from conformo.domain.errors import DomainError
from conformo.tools import calculators
from conformo.tools.forms import AuditTimeForm, CycleForm, SamplingForm

FRAGMENTS = {
    "audit": "tools/_audit_time_result.html",
    "sampling": "tools/_sampling_result.html",
    "cycle": "tools/_cycle_result.html",
}


def _page_context(**bound: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {
        "audit": {"form": AuditTimeForm()},
        "sampling": {"form": SamplingForm()},
        "cycle": {"form": CycleForm()},
    }
    context.update(bound)
    return context


@require_safe
def calculator(request: HttpRequest) -> HttpResponse:
    return render(request, "tools/calculator.html", _page_context())


def _answer(
    request: HttpRequest,
    key: str,
    form_class: type[AuditTimeForm | SamplingForm | CycleForm],
    compute: Callable[[Any, dict[str, Any]], dict[str, Any]],
) -> HttpResponse:
    if request.method == "GET" and not request.GET:
        return redirect("tools:calculator")
    form = form_class(request.POST if request.method == "POST" else request.GET)
    calc: dict[str, Any] = {"form": form}
    if not form.is_valid():
        # only over-long text fails here; the rules engine checks the rest, with the CLI's and the API's words
        calc["error"] = " ".join(
            f"{form[name].label}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
        )
    else:
        try:
            calc.update(compute(form, form.cleaned_data))
        except DomainError as exc:
            calc["error"] = str(exc)
    if request.headers.get("HX-Request"):
        # htmx swaps 2xx answers only: a refusal is shown in the fragment with status 200.
        return render(request, FRAGMENTS[key], {"calc": calc})
    status = 422 if "error" in calc else 200
    return render(request, "tools/calculator.html", _page_context(**{key: calc}), status=status)


def _audit_time(form: AuditTimeForm, data: dict[str, Any]) -> dict[str, Any]:
    result = calculators.audit_time(
        standards=data["standards"],
        personnel=data.get("personnel"),
        complexity=data.get("complexity"),
        adjustments=form.adjustments(),
        integration_percent=data.get("integration_percent"),
    )
    return {"result": result, "data": result.as_dict()}


def _sampling(form: SamplingForm, data: dict[str, Any]) -> dict[str, Any]:
    result = calculators.sampling(sites=data.get("sites"))
    return {"result": result, "data": result.as_dict()}


def _cycle(form: CycleForm, data: dict[str, Any]) -> dict[str, Any]:
    result = calculators.cycle(decision_date=data.get("decision_date"), stage2_end=data.get("stage2_end"))
    return {"result": result, "data": result.as_dict()}


@require_http_methods(["GET", "POST"])
def audit_time(request: HttpRequest) -> HttpResponse:
    return _answer(request, "audit", AuditTimeForm, _audit_time)


@require_http_methods(["GET", "POST"])
def sampling(request: HttpRequest) -> HttpResponse:
    return _answer(request, "sampling", SamplingForm, _sampling)


@require_http_methods(["GET", "POST"])
def cycle(request: HttpRequest) -> HttpResponse:
    return _answer(request, "cycle", CycleForm, _cycle)
