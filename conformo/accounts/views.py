"""Sign-in, sign-out, password change and personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conformo.accounts.forms import ApiTokenForm, LoginForm, PasswordResetForm, SetNewPasswordForm
from conformo.accounts.models import ApiToken
from conformo.accounts.services import api_token_create, api_token_revoke
from conformo.core.forms import attempt, form_status, posted


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


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The next page is the same whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_email.txt"
    html_email_template_name = "accounts/email/password_reset_email.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_extra_email_context(self) -> dict[str, object]:
        # Links are built on BASE_URL, never on the Host header of the request that asked for them.
        return {"base_url": settings.BASE_URL, "valid_hours": _reset_link_hours()}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)

    def form_invalid(self, form: PasswordResetForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)


def _reset_link_hours() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "valid_hours": _reset_link_hours()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from a reset link; a used, expired or altered link says so and offers a new one."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetNewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_invalid(self, form: SetNewPasswordForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _tokens_page(request: HttpRequest, form: ApiTokenForm, new_token_value: str | None = None) -> HttpResponse:
    """The user's tokens and the create form; a new token's value is shown on this response only."""
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.visible_to(request.user),
            "new_token_value": new_token_value,
            "token_ttl_days": settings.API_TOKEN_TTL_DAYS,
        },
        status=form_status(form),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens."""
    return _tokens_page(request, ApiTokenForm())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token. Its value is shown once, on the response to the POST (no redirect: it is not stored);
    GET shows the tokens with the form."""
    form = ApiTokenForm(posted(request))
    if request.method != "POST":
        return _tokens_page(request, form)
    created = attempt(
        form,
        lambda data: api_token_create(user=request.user, name=data["name"], scope=data["scope"]),  # type: ignore[arg-type]
    )
    if created is None:
        return _tokens_page(request, form)
    return _tokens_page(request, ApiTokenForm(), new_token_value=created[1])


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), public_id=public_id)
    api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:tokens")
