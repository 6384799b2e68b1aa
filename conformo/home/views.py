"""The per-role dashboard: one section per membership, each filled by the app that owns its figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from conformo.home.dashboard import dashboard_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "home/dashboard.html", {"dashboard": dashboard_for(request.user)})
