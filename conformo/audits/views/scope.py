"""The application's scope lines page (`audits:application-scope`): every line at once, as a formset; saving
replaces them all through `application_scope_set`. Refused input comes back on its row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from conformo.audits import selectors, services
from conformo.audits.forms.scope import ScopeLinesForm
from conformo.audits.models import Application
from conformo.audits.scope_display import lines_snapshot, scope_groups
from conformo.audits.services.scope import line_dict
from conformo.core.forms import handle, posted
from conformo.organizations.models import Site


def scope_panel(application: Application) -> dict[str, Any]:
    """What the application page shows of the scope: the lines grouped, and a statement made from them."""
    lines = services.scope_lines(application)
    return {"groups": scope_groups(lines_snapshot(lines)), "statement": services.scope_statement(lines)}


def _scope_form(application: Application, data: Any = None) -> ScopeLinesForm:
    return ScopeLinesForm(
        data,
        standards=[(s.code, s.designation) for s in application.standards.order_by("code")],
        sites=[(str(s.public_id), s.name) for s in Site.objects.filter(organization_id=application.organization_id)],
        lines=[line_dict(line) for line in services.scope_lines(application)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_scope(request: HttpRequest, public_id: str) -> HttpResponse:
    """Edit the scope lines (the client's administrator and the CB's managers, until acceptance or decline)."""
    application = selectors.application_get(user=request.user, public_id=public_id)
    services.scope_edit_check(request.user, application)
    form = _scope_form(application, posted(request))
    return handle(
        request,
        form,
        lambda data: services.application_scope_set(
            actor=request.user,
            application=application,
            lines=data["lines"],
            replace_statement=data["replace_statement"],
        ),
        success="Scope saved.",
        done=reverse("audits:application-detail", args=[application.public_id]),
        page=lambda status: render(
            request,
            "audits/application_scope.html",
            {"application": application, "form": form, "panel": scope_panel(application)},
            status=status,
        ),
    )
