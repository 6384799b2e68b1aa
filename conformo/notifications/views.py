"""The user's notification choices and the notices sent to them; the CB administrator's deliveries (the CB's
notices whose sending failed or is being retried) with a Resend form for each failed one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from conformo.core.errors import PermissionDenied
from conformo.core.forms import handle, posted
from conformo.notifications.forms import PreferencesForm, ResendForm
from conformo.notifications.kinds import MANDATORY
from conformo.notifications.models import Notice, NoticeStatus
from conformo.notifications.selectors import may_see_deliveries, notice_get, undelivered
from conformo.notifications.services import deliveries_for, notice_resend, preferences_set


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


def _require_deliveries(request: HttpRequest) -> None:
    if not may_see_deliveries(request.user):
        raise PermissionDenied("The deliveries are for the certification body's administrator.")


def _deliveries_page(request: HttpRequest, status: int = 200, refused: forms.Form | None = None) -> HttpResponse:
    """The list, with a Resend form for each failed notice; a refused resend's reason on top (the notice may have
    left the list meanwhile: sent by another administrator)."""
    page = Paginator(undelivered(user=request.user), 50).get_page(request.GET.get("page"))
    rows = [(notice, ResendForm() if notice.status == NoticeStatus.FAILED else None) for notice in page.object_list]
    return render(
        request, "notifications/deliveries.html", {"page": page, "rows": rows, "refused": refused}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def deliveries(request: HttpRequest) -> HttpResponse:
    """The CB's notices whose e-mail failed (sent again with Resend) or is waiting for another attempt."""
    _require_deliveries(request)
    return _deliveries_page(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notice_resend_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a failed notice again (the Resend form of the deliveries page); GET shows the deliveries page."""
    _require_deliveries(request)
    notice = notice_get(user=request.user, public_id=public_id)
    form = ResendForm(posted(request))
    return handle(
        request,
        form,
        lambda _: notice_resend(actor=request.user, notice=notice),
        success=f"The notice to {notice.address} is queued to be sent again.",
        done=reverse("notifications:deliveries"),
        page=lambda status: _deliveries_page(request, status, refused=form),
    )
