"""`conformo competence plan|person --cb NAME ...`: the monitoring plan and a person's competence, as the CB's
quality manager shows them to an accreditation assessor (read only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.management.base import ConformoCommand


class Command(ConformoCommand):
    help = "Competence: the monitoring plan of a CB, or one person's qualifications, evaluations and monitoring."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="Every qualified auditor's next on-site witnessing, overdue first.")
        plan.add_argument("--cb", required=True, help="The certification body's name or short name.")
        plan.add_argument("--date", type=date.fromisoformat, help="The day to read the plan on (default: today).")
        person = sub.add_parser("person", help="One person's qualifications (state), evaluations and monitoring.")
        person.add_argument("--cb", required=True, help="The certification body's name or short name.")
        person.add_argument("--email", required=True)
        person.add_argument("--date", type=date.fromisoformat, help="The day to read the states on (default: today).")

    def run(self, *args: Any, **options: Any) -> None:
        from django.db.models import Q
        from django.utils import timezone

        from conformo.competence import selectors
        from conformo.core.actors import SYSTEM
        from conformo.organizations.models import CertificationBody

        name = options["cb"].strip()
        cb = CertificationBody.objects.filter(Q(name=name) | Q(short_name=name)).first()
        if cb is None:
            raise CommandError(f"No certification body named {name!r}.")
        on = options["date"] or timezone.localdate()
        if options["action"] == "plan":
            for row in selectors.monitoring_plan(user=SYSTEM, cb=cb, on=on):
                last = row.last_witnessed.isoformat() if row.last_witnessed else "never"
                state = row.due.state.value
                self.stdout.write(
                    f"{state:<9}  due {row.due.due_on}  last witnessed {last:<10}  {row.auditor.user.email}"
                )
            return
        membership = selectors.people(user=SYSTEM, cb=cb).filter(user__email__iexact=options["email"].strip()).first()
        if membership is None:
            raise CommandError(f"{cb} has no member with the address {options['email']!r}.")
        person = membership.user
        self.stdout.write(f"{person} <{person.email}> at {cb}, on {on}")
        self.stdout.write("Qualifications:")
        for reading in selectors.qualifications_of(cb=cb, person=person, on=on):
            q = reading.qualification
            self.stdout.write(
                f"  {q.standard.code} {q.role} IAF {','.join(map(str, q.sector_codes))}: {reading.status.reason}"
                f" (from {q.valid_from}, {q.get_basis_display().lower()})"
            )
        self.stdout.write("Evaluations:")
        for evaluation in selectors.evaluation_list(user=SYSTEM, cb=cb, person=person):
            self.stdout.write(
                f"  {evaluation.evaluated_on} {evaluation.method} by {evaluation.evaluator.email}: {evaluation.result}"
                f" ({evaluation.evidence.count()} evidence files)"
            )
        self.stdout.write("Monitoring:")
        for record in selectors.monitoring_list(user=SYSTEM, cb=cb).filter(auditor__user=person):
            where = f" on {record.audit}" if record.audit_id else ""
            self.stdout.write(
                f"  {record.monitored_on} {record.kind}{where} by {record.monitor.email}: {record.outcome}"
            )
