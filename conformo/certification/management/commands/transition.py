"""`conformo transition list --cb NAME`; `conformo transition set --cb NAME OLD NEW [--ends-on DATE] …`:
a CB's edition transitions, its policy for each, and its clients still on an old edition (the operator's CLI,
acting as the installation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand

YES_NO = {"yes": True, "no": False}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from exc


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"{text!r} is not a number.") from exc


class Command(ConformoCommand):
    help = "Edition transitions: list a CB's transitions, its policy and its clients still on an old edition; set it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Each transition with the CB's policy, then the clients in transition.")
        listing.add_argument("--cb", required=True, help="The certification body's name or short name.")
        setting = sub.add_parser("set", help="Set the CB's policy for the transition OLD → NEW.")
        setting.add_argument("--cb", required=True, help="The certification body's name or short name.")
        setting.add_argument("old", help="The old edition's id, e.g. iso-14001-2015.")
        setting.add_argument("new", help="The new edition's id.")
        setting.add_argument("--ends-on", help="The end the CB applies (YYYY-MM-DD); 'default' for the standard's.")
        setting.add_argument("--basis", help="Whose decision the end is.")
        setting.add_argument("--extra-percent", help="Extra time of a transition audit (%% of its base time).")
        setting.add_argument("--extra-days", help="Extra time of a transition audit (days).")
        setting.add_argument("--combine-surveillance", choices=sorted(YES_NO))
        setting.add_argument("--combine-recertification", choices=sorted(YES_NO))

    def _cb(self, name: str) -> Any:
        from conformo.organizations.models import CertificationBody

        cb = (
            CertificationBody.objects.filter(name=name).first()
            or CertificationBody.objects.filter(short_name=name).first()
        )
        if cb is None:
            raise CommandError(f"No certification body named {name!r}.")
        return cb

    def run(self, *args: Any, **options: Any) -> None:
        cb = self._cb(options["cb"])
        if options["action"] == "set":
            self.set_policy(cb, options)
        self.list(cb)

    def set_policy(self, cb: Any, options: dict[str, Any]) -> None:
        from conformo.certification.transitions import transition_policy_save
        from conformo.standards.models import Transition

        transition = Transition.objects.filter(
            old_standard__code=options["old"], new_standard__code=options["new"]
        ).first()
        if transition is None:
            raise CommandError(f"No transition {options['old']} → {options['new']} in the catalog.")
        values: dict[str, Any] = {}
        if options["ends_on"] is not None:
            values["ends_on"] = None if options["ends_on"] == "default" else _date(options["ends_on"])
        if options["basis"] is not None:
            values["ends_on_basis"] = options["basis"]
        if options["extra_percent"] is not None:
            values["extra_percent"] = _decimal(options["extra_percent"])
        if options["extra_days"] is not None:
            values["extra_days"] = _decimal(options["extra_days"])
        for flag, field in (
            ("combine_surveillance", "combine_with_surveillance"),
            ("combine_recertification", "combine_with_recertification"),
        ):
            if options[flag] is not None:
                values[field] = YES_NO[options[flag]]
        transition_policy_save(actor=SYSTEM, certification_body=cb, transition=transition, **values)
        self.stdout.write(f"Policy for {transition.old_standard.designation} saved.")

    def list(self, cb: Any) -> None:
        from conformo.certification.transitions import transition_clients, transition_policies

        rows = transition_policies(actor=SYSTEM, certification_body=cb)
        if not rows:
            self.stdout.write("No edition transition in the catalog.")
        for row in rows:
            p = row.policy
            combine = [
                name
                for name, on in (
                    ("surveillance", p.combine_with_surveillance),
                    ("recertification", p.combine_with_recertification),
                )
                if on
            ]
            self.stdout.write(
                f"{row.transition.old_standard.designation} → {row.transition.new_standard.designation}: "
                f"ends {row.ends_on.isoformat()}{' (' + p.ends_on_basis + ')' if p.ends_on_basis else ''}, "
                f"extra {p.extra_percent} % + {p.extra_days} d, combined with {', '.join(combine) or 'nothing'}"
            )
        for client in transition_clients(actor=SYSTEM, certification_body=cb, today=timezone.localdate()):
            self.stdout.write(
                f"  {client.programme.organization.legal_name}: {client.transition.old_standard.designation}, "
                f"{client.days_left} days left — {client.risk or 'on track'}"
            )
