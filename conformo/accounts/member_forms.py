"""Forms of the members pages and of accepting an invitation (conformo.accounts.members)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from conformo.core.roles import Role


class EmptyForm(forms.Form):
    """An action without input (resend, revoke, end a membership): a form all the same, one path for every action."""


class InvitationForm(forms.Form):
    """Invite a person by e-mail with one of the roles the inviter may give."""

    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    full_name = forms.CharField(label="Name (optional)", max_length=200, required=False)
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, roles: Sequence[Role], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        choices = [(r.value, r.label) for r in roles]
        # No role is picked for the inviter: the first would be the CB administrator.
        field.choices = choices if len(roles) == 1 else [("", "Choose a role"), *choices]


class RoleForm(forms.Form):
    """Give a member another role in the same tenant."""

    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, roles: Sequence[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.value, r.label) for r in roles]


class AcceptNewAccountForm(forms.Form):
    """Accept an invitation as someone new: a name and a password."""

    full_name = forms.CharField(
        label="Your name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
    )
    password_again = forms.CharField(
        label="The password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ.")
        return data


class CertificationBodyOpenForm(forms.Form):
    """An installation administrator registers a certification body and invites its first administrator."""

    name = forms.CharField(label="Name", max_length=200)
    short_name = forms.CharField(label="Short name", max_length=40, required=False)
    country = forms.CharField(label="Country", max_length=2, help_text="Two-letter ISO 3166-1 code, e.g. DE.")
    admin_email = forms.EmailField(label="E-mail of its administrator", max_length=254)
    admin_name = forms.CharField(label="Name of its administrator (optional)", max_length=200, required=False)
