from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from conformo.accounts.choices import TokenScope

logger = logging.getLogger(__name__)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        """Accounts are stored in lower case (`UserManager.create_user`): `Ann@Example.org` signs in as well."""
        return str(self.cleaned_data["username"]).strip().lower()


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “registry export script”.")
    scope = forms.TypedChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ_WRITE,
        required=False,
        empty_value=TokenScope.READ_WRITE,
        help_text="A read-only token can only read (GET); it cannot change anything.",
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Ask for a reset link by email. Django's form: it finds the active accounts with this address and a usable
    password and mails each a one-time link; the page afterwards is the same whether or not any account matched."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """The one place a reset message is handed on: a mandatory notice (conformo.notifications), queued and sent by
        the worker like every other mail — a plain-text and an HTML body with the one-time link. The visitor's
        request never waits for the mail server, and a server that refuses is retried, never shown to them."""
        from django.db import transaction
        from django.urls import reverse

        from conformo.notifications.kinds import Kind
        from conformo.notifications.services import notify

        user, hours = context["user"], context["valid_hours"]
        link = reverse("accounts:password-reset-confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        with transaction.atomic():
            notify(
                recipient=user,
                kind=Kind.PASSWORD_RESET,
                key=f"password-reset:{context['token']}",
                subject="Reset your Conformo password",
                lines=[
                    f"Someone — we hope you — asked to reset the password of your Conformo account ({user.email}).",
                    f"The link works once, for {hours} hour{'s' if hours != 1 else ''}. If you did not ask for it, "
                    "ignore this message: your password stays as it is.",
                ],
                link=link,
                action="Choose a new password",
            )


class SetNewPasswordForm(auth_forms.SetPasswordForm):
    """The new password from a reset link, set through `user_password_reset` (audit-logged)."""

    def save(self, commit: bool = True) -> Any:
        from conformo.accounts.services import user_password_reset

        return user_password_reset(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
        help_text="The 6 digits your app shows now for Conformo.",
    )


class TwoFactorRemoveForm(forms.Form):
    code = forms.CharField(
        label="A current code from your app",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password = forms.CharField(
        label="Or your password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Use your password if you no longer have the app.",
    )


class CertificationBodySecurityForm(forms.Form):
    require_staff_two_factor = forms.BooleanField(
        label="Staff must sign in with two-factor authentication",
        required=False,
        help_text="Every person with a role at this certification body (you included) must enter a code from an "
        "authenticator app at each sign-in; those without an app are asked to set one up before anything else.",
    )


class NextForm(forms.Form):
    """Where the user was going (`next`), posted back by the two-factor forms or given in the query; checked
    by the view before anyone is sent there."""

    next = forms.CharField(required=False, max_length=2000)
