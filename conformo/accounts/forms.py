from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader

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
        """The one place a reset message is handed to e-mail: a plain-text body and an HTML alternative."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        try:
            message.send()
        except Exception:
            # As Django's form does: a mail server that refuses must not tell the visitor whether the address has
            # an account (the page is the same either way); the operator reads it in the log.
            logger.exception("Failed to send the password reset email to user %s", context["user"].pk)


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
