"""The user's notification choices and the notices sent to them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from conformo.core.forms import handle, posted
from conformo.notifications.forms import PreferencesForm
from conformo.notifications.kinds import MANDATORY
from conformo.notifications.models import Notice
from conformo.notifications.services import deliveries_for, preferences_set


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """How each kind of notice reaches the user (GET shows the form; POST saves it), and their latest notices."""
    user: Any = request.user
    form = PreferencesForm(posted(request), current=deliveries_for(user))

    def page(status: int) -> HttpResponse:
        notices = Notice.objects.filter(recipient=user).order_by("-created_at")[:50]
        return render(request, "notifications/preferences.html", {"form": form, "notices": notices}, status=status)

    return handle(
        request,
        form,
        lambda data: preferences_set(
            actor=user, user=user, choices={kind: value for kind, value in data.items() if kind not in MANDATORY}
        ),
        success="Your notification choices are saved.",
        done=request.path,
        page=page,
    )
