"""My work: the page listing what waits for the signed-in person, most urgent first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from conformo.inbox.context_processors import CACHED
from conformo.inbox.selectors import inbox_items


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = inbox_items(user=request.user, today=today)
    setattr(request, CACHED, len(items))
    return render(
        request,
        "inbox/home.html",
        {
            "items": items,
            "overdue": sum(1 for item in items if item.overdue),
            "today": today,
        },
    )
