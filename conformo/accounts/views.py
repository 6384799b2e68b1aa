"""Sign-in, sign-out, password change and reset, two-factor authentication and personal API tokens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from conformo.accounts.forms import (
    ApiTokenForm,
    CertificationBodySecurityForm,
    LoginForm,
    NextForm,
    PasswordResetForm,
    SetNewPasswordForm,
    TwoFactorCodeForm,
    TwoFactorRemoveForm,
)
from conformo.accounts.models import ApiToken, User
from conformo.accounts.services import (
    api_token_create,
    api_token_revoke,
    certification_body_security_update,
    two_factor_confirm,
    two_factor_enrol_start,
    two_factor_remove,
    two_factor_verify,
)
from conformo.accounts.two_factor import Need, forget_two_factor_need, setup_qr_svg, setup_secret, two_factor_need
from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.forms import attempt, form_status, handle, posted
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role, reach
from conformo.organizations.models import CertificationBody


def _user(request: HttpRequest) -> User:
    """The signed-in user of a `login_required` view."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


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
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_extra_email_context(self) -> dict[str, object]:
        # The link is built on BASE_URL (conformo.notifications.emails), never on the request's Host header.
        return {"valid_hours": _reset_link_hours()}

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)

    def form_invalid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
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

    def form_invalid(self, form: auth_forms.SetPasswordForm[User]) -> HttpResponse:
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
        lambda data: api_token_create(user=_user(request), name=data["name"], scope=data["scope"]),
    )
    if created is None:
        return _tokens_page(request, form)
    return _tokens_page(request, ApiTokenForm(), new_token_value=created[1])


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), public_id=public_id)
    api_token_revoke(user=_user(request), token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:tokens")


def _next_param(request: HttpRequest) -> str:
    """The page the user was on their way to (`next`, posted back by the two-factor forms or in the query), as
    given: `_next_url` checks it before anyone is sent there."""
    for data in (request.POST, request.GET):
        form = NextForm(data)
        if form.is_valid() and form.cleaned_data["next"]:
            return str(form.cleaned_data["next"])
    return ""


def _next_url(request: HttpRequest) -> str:
    """Where to go after the two-factor step: `next` when it is a URL of this site, else the dashboard."""
    target = _next_param(request)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse("home:dashboard"))


def _security_page(
    request: HttpRequest,
    status: int = 200,
    *,
    confirm_form: TwoFactorCodeForm | None = None,
    remove_form: TwoFactorRemoveForm | None = None,
) -> HttpResponse:
    """The user's sign-in security: two-factor status and set-up, and for a CB administrator the CB's requirement."""
    user = _user(request)
    devices = list(TOTPDevice.objects.filter(user=user))
    confirmed = next((d for d in devices if d.confirmed), None)
    pending = next((d for d in devices if not d.confirmed), None) if confirmed is None else None
    administered = CertificationBody.objects.filter(pk__in=reach(user).cbs_with(Role.CB_ADMIN))
    response = render(
        request,
        "accounts/security.html",
        {
            "device": confirmed,
            "pending": pending,
            "qr_svg": setup_qr_svg(pending) if pending else None,
            "secret": setup_secret(pending) if pending else None,
            "confirm_form": confirm_form or TwoFactorCodeForm(),
            "remove_form": remove_form or TwoFactorRemoveForm(),
            "must_enrol": two_factor_need(user) is Need.ENROL,
            "certification_bodies": [
                (cb, CertificationBodySecurityForm(initial={"require_staff_two_factor": cb.require_staff_two_factor}))
                for cb in administered
            ],
            "next": _next_param(request),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the set-up secret is on it
    return response


@login_required
@require_safe
def security(request: HttpRequest) -> HttpResponse:
    """Two-factor authentication: set up, confirm, remove; the CB's requirement for a CB administrator."""
    return _security_page(request)


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    """Start setting up an authenticator app (a new secret, shown on the security page until confirmed)."""
    two_factor_enrol_start(actor=_user(request), user=_user(request))
    target = reverse("accounts:security")
    next_url = _next_param(request)
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_confirm_view(request: HttpRequest) -> HttpResponse:
    """Confirm the app with a code: two-factor authentication is on, and this session counts as verified."""
    form = TwoFactorCodeForm(posted(request))

    def confirm(data: dict[str, object]) -> object:
        device = two_factor_confirm(actor=_user(request), user=_user(request), code=str(data["code"]))
        otp_login(request, device)
        forget_two_factor_need(request.user)
        return device

    return handle(
        request,
        form,
        confirm,
        success="Two-factor authentication is on: each sign-in now asks for a code from your app.",
        done=lambda _device: _next_url(request) if _next_param(request) else str(reverse("accounts:security")),
        page=lambda status: _security_page(request, status, confirm_form=form),
    )


@login_required
@require_POST
def two_factor_remove_view(request: HttpRequest) -> HttpResponse:
    """Turn two-factor authentication off, with a current code or the password."""
    form = TwoFactorRemoveForm(posted(request))
    return handle(
        request,
        form,
        lambda data: two_factor_remove(
            actor=_user(request),
            user=_user(request),
            code=data["code"],
            password=data["password"],
        ),
        success="Two-factor authentication is off.",
        done=str(reverse("accounts:security")),
        page=lambda status: _security_page(request, status, remove_form=form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The sign-in's second step: a code from the user's app before anything else."""
    if two_factor_need(request.user) is not Need.VERIFY:
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(posted(request))

    def verify(data: dict[str, object]) -> object:
        device = two_factor_verify(actor=_user(request), user=_user(request), code=str(data["code"]))
        otp_login(request, device)
        return device

    def page(status: int) -> HttpResponse:
        return render(
            request,
            "accounts/two_factor_verify.html",
            {"form": form, "next": _next_param(request)},
            status=status,
        )

    if request.method != "POST":
        return page(200)
    if attempt(form, verify) is None:
        return page(form_status(form))
    return redirect(_next_url(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certification_body_security(request: HttpRequest, public_id: str) -> HttpResponse:
    """The CB administrator's choice: must the CB's staff sign in with two-factor authentication?"""
    cb = CertificationBody.objects.filter(public_id=public_id).first()
    if cb is None or not reach(request.user).roles_by_cb.get(cb.pk):
        raise NotFound("No such certification body.")
    if not has_cb_role(request.user, cb.pk, Role.CB_ADMIN):
        raise PermissionDenied("Only an administrator of the certification body can change how its staff sign in.")
    form = CertificationBodySecurityForm(
        posted(request), initial={"require_staff_two_factor": cb.require_staff_two_factor}
    )
    return handle(
        request,
        form,
        lambda data: certification_body_security_update(
            actor=_user(request),
            certification_body=cb,
            require_staff_two_factor=bool(data["require_staff_two_factor"]),
        ),
        success=f"Sign-in requirements of {cb} saved.",
        done=str(reverse("accounts:security")),
        page=lambda status: render(request, "accounts/cb_security.html", {"cb": cb, "form": form}, status=status),
    )
