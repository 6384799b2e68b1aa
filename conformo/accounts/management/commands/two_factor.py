"""`conformo two-factor reset EMAIL`: turn off a user's two-factor authentication (a lost phone)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.accounts.models import User
from conformo.accounts.services import two_factor_reset
from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = "Two-factor authentication: reset a user's (they sign in with their password and may set it up again)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reset = sub.add_parser(
            "reset",
            help="Remove the user's authenticator app (audit-logged). If their certification body requires "
            "two-factor authentication, their next sign-in asks them to set up an app again.",
        )
        reset.add_argument("email", help="The email the user signs in with.")

    def run(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No user signs in with {email}.")
        two_factor_reset(actor=SYSTEM, user=user)
        self.stdout.write(f"Two-factor authentication of {email} is off.")
