"""Pages of the audit-time determination: the application review's form (revisable until acceptance), the
programme's re-determination, and the read-only panel that shows a determination with its justification on the
application, programme and form pages. The panel reads the stored figures only: its queries do not grow with
the number of sites."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from conformo.audits import selectors, services
from conformo.audits.choices import DeterminationPurpose
from conformo.audits.forms.determinations import DeterminationForm
from conformo.audits.models import Application, AuditProgramme, AuditTimeDetermination
from conformo.audits.services.determinations import (
    application_input,
    choices_as_input,
    choices_from,
    default_choices,
    programme_input,
)
from conformo.core.forms import handle, posted
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.domain.adjustments import FACTORS_BY_CODE, INTEGRATION_LABELS, IntegrationLevel
from conformo.domain.determination import AUDIT_LABELS, AUDITS_BY_PURPOSE, Method, Purpose, complete, minimum_samples
from conformo.domain.isms_complexity import BUSINESS_FACTORS, IT_FACTORS


def determination_panel(record: AuditTimeDetermination | None) -> dict[str, Any] | None:
    """What the determination panel (`audits/_determination.html`) shows, from the stored record alone."""
    if record is None:
        return None
    result = record.result
    choices = record.inputs.get("choices", {})
    names = {site["key"]: site["name"] for site in result["sites"]}
    factors = [
        {**adjustment, "label": FACTORS_BY_CODE[adjustment["factor"]].label}
        for adjustment in choices.get("adjustments", [])
        if adjustment["factor"] in FACTORS_BY_CODE
    ]
    isms = choices.get("isms")
    integration = choices.get("integration") or {}
    level = integration.get("level", "none")
    return {
        "record": record,
        "result": result,
        "audits": [
            {**row, "label": AUDIT_LABELS[row["audit"]], "site_names": [names.get(k, k) for k in row["sites"]]}
            for row in result["audits"]
        ],
        "sites": [{**site, "audit_labels": [AUDIT_LABELS[a] for a in site["audits"]]} for site in result["sites"]],
        "multi_site": result["method"] != "single",
        "minimum": [(AUDIT_LABELS[audit], n) for audit, n in (result.get("minimum_samples") or {}).items()],
        "adjustments": factors,
        "isms": None
        if isms is None
        else {
            **isms,
            "factors": list(
                zip([label for _, label in BUSINESS_FACTORS + IT_FACTORS], isms["business"] + isms["it"], strict=True)
            ),
            "assessed": result.get("isms"),
        },
        "integration": {**integration, "label": INTEGRATION_LABELS.get(IntegrationLevel(level), level)}
        if level in IntegrationLevel and level != "none"
        else None,
        "complexity": choices.get("complexity", {}),
        "repetitive": (choices.get("repetitive"), choices.get("repetitive_justification")),
    }


def _form_page(
    request: HttpRequest,
    form: DeterminationForm,
    status: int,
    *,
    title: str,
    back: str,
    current: AuditTimeDetermination | None,
    action: str,
    reasons: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "audits/determination_form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "action": action,
            "panel": determination_panel(current),
            "reasons": reasons or [],
            "minimum": _minimum(form),
            "audit_labels": [AUDIT_LABELS[a] for a in form.audits],
            "sampled_labels": [AUDIT_LABELS[a] for a in form.site_rows[0].audits] if form.site_rows else [],
        },
        status=status,
    )


def _minimum(form: DeterminationForm) -> list[tuple[str, int]]:
    """The least number of sites IAF MD 1 asks for at each sampled audit, for the method shown."""
    if not form.site_rows:
        return []
    least = minimum_samples(Method(form.initial.get("method") or Method.SAMPLING.value), len(form.site_rows))
    return [(AUDIT_LABELS[audit], least[audit]) for audit in form.site_rows[0].audits]


def _application_form(application: Application, data: Any) -> tuple[DeterminationForm, AuditTimeDetermination | None]:
    current = services.determination_of(application)
    if current is not None:
        choices = current.domain_input().choices
    else:
        choices = default_choices(application.standards.values_list("code", flat=True), application.complexity)
    inp = complete(application_input(application, choices))
    form = DeterminationForm(
        data,
        standards=inp.standards,
        sites=inp.sites,
        audits=AUDITS_BY_PURPOSE[Purpose.INITIAL],
        initial_input=choices_as_input(inp.choices),
    )
    return form, current


@login_required
@require_http_methods(["GET", "POST"])
def application_determine(request: HttpRequest, public_id: str) -> HttpResponse:
    """The audit-time determination of an application under review (CB administrator, programme manager)."""
    application = selectors.application_get(user=request.user, public_id=public_id)
    require_cb_role(request.user, application.certification_body_id, *MANAGERS, action="determine the audit time")
    form, current = _application_form(application, posted(request))
    codes = list(application.standards.values_list("code", flat=True))
    back = reverse("audits:application-detail", args=[application.public_id])
    return handle(
        request,
        form,
        lambda data: services.application_determine(
            actor=request.user, application=application, choices=choices_from(data["input"], codes)
        ),
        success="Audit time determined; the review was run again with it.",
        done=back,
        page=lambda status: _form_page(
            request,
            form,
            status,
            title=f"Audit time of {application.organization}",
            back=back,
            current=current,
            action=reverse("audits:application-determine", args=[application.public_id]),
        ),
    )


PROGRAMME_PURPOSES = [
    (DeterminationPurpose.RECERTIFICATION.value, DeterminationPurpose.RECERTIFICATION.label),
    (DeterminationPurpose.CHANGE.value, DeterminationPurpose.CHANGE.label),
]


@login_required
@require_http_methods(["GET", "POST"])
def programme_redetermine(request: HttpRequest, public_id: str) -> HttpResponse:
    """Determine a programme's audit time again from the client's current data (CB administrator, programme
    manager): before the recertification audit, or after changes the client reported."""
    programme: AuditProgramme = selectors.programme_get(user=request.user, public_id=public_id)
    require_cb_role(request.user, programme.certification_body_id, *MANAGERS, action="determine the audit time")
    reasons = selectors.redetermination_reasons(programme)
    purpose = (
        DeterminationPurpose.RECERTIFICATION.value
        if selectors.RECERTIFICATION_DUE in reasons
        else DeterminationPurpose.CHANGE.value
    )
    inp = complete(programme_input(programme, purpose, services.programme_default_choices(programme, purpose)))
    form = DeterminationForm(
        posted(request),
        standards=inp.standards,
        sites=inp.sites,
        audits=AUDITS_BY_PURPOSE[Purpose(purpose)],
        initial_input={**choices_as_input(inp.choices), "purpose": purpose},
        purposes=PROGRAMME_PURPOSES,
    )
    codes = list(inp.standards)
    back = reverse("audits:programme-detail", args=[programme.public_id])

    def call(data: dict[str, Any]) -> Any:
        values = dict(data["input"])
        chosen = values.pop("purpose")
        return services.programme_redetermine(
            actor=request.user, programme=programme, purpose=chosen, choices=choices_from(values, codes)
        )

    return handle(
        request,
        form,
        call,
        success="Audit time determined again; the audits not yet started follow it.",
        done=back,
        page=lambda status: _form_page(
            request,
            form,
            status,
            title=f"Audit time of {programme.organization}, again",
            back=back,
            current=programme.determination,
            action=reverse("audits:programme-redetermine", args=[programme.public_id]),
            reasons=reasons,
        ),
    )
