"""`conformo figures FIGURE --cb NAME [--year Y | --start D --end D] [--period P] [--standard ID] [--on D]
[--format text|csv|json]`: a figure for the accreditation body or the management review, as the pages show it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from conformo.core.management.base import ConformoCommand
from conformo.domain.figures import Period
from conformo.figures.selectors import FIGURES


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(ConformoCommand):
    help = (
        "Figures for the accreditation body and the CB's management review: audit days, certificates, decision "
        "lead times, nonconformities per audit day, overdue surveillance, suspensions and withdrawals, complaints "
        "and appeals, auditors per qualification (run by the installation's operator for any CB)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("figure", choices=list(FIGURES), help="Which figure.")
        parser.add_argument("--cb", required=True, help="The certification body's name.")
        parser.add_argument("--year", type=int, help="The year (default: the current one).")
        parser.add_argument("--start", type=_day, help="First day of the range (default: 1 January of the year).")
        parser.add_argument("--end", type=_day, help="Last day of the range, included (default: 31 December).")
        parser.add_argument("--period", choices=[p.value for p in Period], default=Period.QUARTER.value)
        parser.add_argument("--standard", help="Only this standard (a catalog id, e.g. iso-9001-2015).")
        parser.add_argument("--on", type=_day, help="The day qualifications are read on (default: today).")
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")

    def run(self, *args: Any, **options: Any) -> None:
        from conformo.figures.exports import table_csv
        from conformo.figures.filters import figure_filter
        from conformo.figures.selectors import figure_for
        from conformo.organizations.models import CertificationBody

        cb = CertificationBody.objects.filter(name__iexact=options["cb"].strip()).first()
        if cb is None:
            raise CommandError(f"No certification body is named {options['cb']!r}.")
        chosen = figure_filter(
            cb=cb,
            today=timezone.localdate(),
            **{key: options[key] for key in ("year", "start", "end", "period", "standard", "on")},
        )
        figure = figure_for(options["figure"], chosen, full=True)
        if options["format"] == "json":
            body = {"filters": chosen.as_dict(), **figure.totals, **{t.key: t.rows for t in figure.tables}}
            self.stdout.write(json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        for table in figure.tables:
            if options["format"] == "csv":
                self.stdout.write(f"# {table.title}")
                self.stdout.write(table_csv(table).decode("utf-8"), ending="")
                continue
            self.stdout.write(f"{table.title} — {cb.name}, {chosen.start} to {chosen.end}")
            if table.note:
                self.stdout.write(table.note)
            self.stdout.write("\t".join(column.title for column in table.columns))
            for row in table.cells():
                self.stdout.write("\t".join(str(cell) for cell in row))
            if not table.rows:
                self.stdout.write("Nothing in this range.")
            self.stdout.write("")
