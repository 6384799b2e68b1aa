"""`conformo cb create|invite`: set up a certification body and its administrator without the Django admin."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from conformo.core.actors import SYSTEM
from conformo.core.errors import NotFound
from conformo.core.management.base import ConformoCommand
from conformo.core.roles import CB_ROLES


class Command(ConformoCommand):
    help = (
        "Certification bodies: register one and invite its first administrator, or invite someone to its staff.\n\n"
        "Prints the invitation's link (it works with no mail server); `conformo worker` also e-mails it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Register a certification body and invite its first CB administrator; print the link."
        )
        create.add_argument("--name", required=True, help="The CB's name (unique).")
        create.add_argument("--country", required=True, help="Two-letter ISO 3166-1 code, e.g. DE.")
        create.add_argument("--short-name", default="", help="A short name, e.g. NBC.")
        create.add_argument("--admin-email", required=True, help="The address of its first administrator.")
        create.add_argument("--admin-name", default="", help="The administrator's name (optional).")
        invite = sub.add_parser(
            "invite",
            help="Invite someone to a CB's staff (default: as CB administrator); an open invitation of the same "
            "address and role is sent again with a new link. Print the link.",
        )
        invite.add_argument("--cb", required=True, help="The CB's name.")
        invite.add_argument("--email", required=True, help="The address to invite.")
        invite.add_argument(
            "--role", default="cb_admin", choices=sorted(r.value for r in CB_ROLES), help="The role (cb_admin)."
        )
        invite.add_argument("--name", default="", help="The invitee's name (optional).")

    def run(self, *args: Any, **options: Any) -> None:
        from conformo.accounts.invitation_links import invitation_link
        from conformo.accounts.invitations import certification_body_open

        if options["action"] == "create":
            invitation = certification_body_open(
                actor=SYSTEM,
                name=options["name"],
                country=options["country"],
                short_name=options["short_name"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
            )
            self.stdout.write(
                f"Registered {invitation.certification_body} and invited {invitation.email} as its CB administrator."
            )
        else:
            invitation = self.invite(options["cb"], options["email"], options["role"], options["name"])
        self.stdout.write(f"The invitation's link (valid until {invitation.expires_at:%Y-%m-%d %H:%M %Z}, works once):")
        self.stdout.write(f"  {invitation_link(invitation)}")
        self.stdout.write("`conformo worker` e-mails it too when EMAIL_HOST is set (docs/people.md).")

    @transaction.atomic
    def invite(self, cb_name: str, email: str, role: str, name: str) -> Any:
        from conformo.accounts.invitations import clean_email, invitation_create, invitation_resend
        from conformo.accounts.models import Invitation
        from conformo.organizations.models import CertificationBody

        cb = CertificationBody.objects.filter(name__iexact=cb_name.strip()).first()
        if cb is None:
            raise NotFound(f"No certification body is named {cb_name!r}.")
        open_one = Invitation.objects.open().filter(email=clean_email(email), role=role, certification_body=cb).first()
        if open_one is not None:
            return invitation_resend(actor=SYSTEM, invitation=open_one)
        return invitation_create(actor=SYSTEM, email=email, role=role, certification_body=cb, full_name=name)
