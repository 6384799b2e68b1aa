from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from conformo.accounts.choices import TokenScope


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
