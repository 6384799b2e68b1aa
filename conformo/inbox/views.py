"""My work: the page listing what waits for the signed-in person, most urgent first, and the count the
navigation shows beside it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conformo.inbox.context_processors import CACHED
from conformo.inbox.selectors import inbox_count, inbox_items


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


@never_cache
@require_safe
def count(request: HttpRequest) -> HttpResponse:
    """The navigation's "(n)" beside My work, as the fragment htmx puts in place of the entry's placeholder
    (`inbox/_count.html`): empty when nothing waits or nobody is signed in (a session that ended while the page
    was open gets no sign-in page inside the navigation)."""
    n = inbox_count(user=request.user) if request.user.is_authenticated else 0
    return render(request, "inbox/_count.html", {"n": n})
