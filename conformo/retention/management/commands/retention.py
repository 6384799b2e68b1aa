"""`conformo retention --cb NAME [--apply] [--anonymise] [--on DATE]`: a CB's records past retention."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = (
        "Records retention (ISO/IEC 17021-1 9.9): list a CB's records past its retention policy (a dry run), or with "
        "--apply delete or anonymise them in one transaction with a retention log (docs/cb-workflow.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cb", required=True, help="The certification body's name or short name.")
        parser.add_argument("--apply", action="store_true", help="Delete or anonymise them (default: only list).")
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Anonymise instead of deleting where the kind allows it; delete-only kinds wait for another run.",
        )
        parser.add_argument("--on", type=date.fromisoformat, help="The day to apply the policy for (default today).")

    def run(self, *args: Any, **options: Any) -> None:
        from django.db.models import Q
        from django.utils import timezone

        from conformo.organizations.models import CertificationBody
        from conformo.retention.selectors import due_records
        from conformo.retention.services import retention_apply

        name = options["cb"].strip()
        cb = CertificationBody.objects.filter(Q(name=name) | Q(short_name=name)).first()
        if cb is None:
            raise CommandError(f"No certification body named {name!r}.")
        today = options["on"] or timezone.localdate()
        due = due_records(cb, today, anonymise_only=options["anonymise"])
        verb = "" if options["apply"] else "would be "
        for record in due:
            self.stdout.write(
                f"{record.action.value:<9}  {record.kind.value:<16}  {record.record_id}  closed {record.closed_on}, "
                f"kept until {record.kept_until}  {record.title}"
            )
        if not options["apply"]:
            self.stdout.write(
                f"{len(due)} record(s) {verb}removed or anonymised on {today}; run with --apply to do it."
            )
            return
        run = retention_apply(actor=SYSTEM, certification_body=cb, on=today, anonymise_only=options["anonymise"])
        if run is None:
            self.stdout.write(f"Nothing is past retention at {cb} on {today}.")
        else:
            self.stdout.write(
                f"Retention run {run.public_id}: {run.deleted} deleted, {run.anonymised} anonymised at {cb} on {today}."
            )
