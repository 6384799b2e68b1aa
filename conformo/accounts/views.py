"""Sign-in, sign-out, password change and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from conformo.accounts.forms import ApiTokenForm, LoginForm
from conformo.accounts.models import ApiToken
from conformo.accounts.services import api_token_create, api_token_revoke
from conformo.core.errors import ApplicationError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; create one (its value is shown once, on this response only)."""
    new_token_value: str | None = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token_value = api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_error("name", exc.message)
        else:
            form = ApiTokenForm()
    token_list = ApiToken.objects.visible_to(request.user)
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": token_list, "new_token_value": new_token_value},
        status=422 if form.is_bound and form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), public_id=public_id)
    api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:tokens")
