"""The clause searches of the readiness forms (htmx, GET; `conformo.standards.pickers`): the internal audit's
clauses of the latest assessment, and the clauses or controls a risk may be linked to. Each answers with the
clauses its form accepts, so a search offers nothing the form would refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from conformo.organizations.tenancy import organization_for
from conformo.readiness import selectors
from conformo.readiness.views.programme import _internal_audit_form
from conformo.readiness.views.risks import _risk_form, _risk_get
from conformo.standards.pickers import clause_picker_response


def _field(form: forms.Form) -> forms.ModelMultipleChoiceField[Any]:
    field = form.fields["clauses"]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    return field


@login_required
@require_safe
def audit_clauses_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    return clause_picker_response(request, _field(_internal_audit_form(None, org, assessment)))


@login_required
@require_safe
def risk_clauses_view(request: HttpRequest, public_id: str) -> HttpResponse:
    risk = _risk_get(request, public_id)
    return clause_picker_response(request, _field(_risk_form(request, risk, list(risk.clauses.all()))))
