"""`conformo remind [--date YYYY-MM-DD]`: run the daily reminder scan now and say how many notices it created."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conformo.core.management.base import ConformoCommand
from conformo.domain.cycle import parse_iso_date
from conformo.inbox.reminders import daily_scan
from conformo.notifications.kinds import Kind


class Command(ConformoCommand):
    help = (
        "Run the daily reminder scan now (responses due and overdue, certificates expiring, document reviews and "
        "corrective actions due, surveillance windows opening); an event already told is not told again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", help="Scan as on this day (YYYY-MM-DD; default: today): what is in its windows then."
        )

    def run(self, *args: Any, **options: Any) -> None:
        today = parse_iso_date(options["date"], "--date") if options["date"] else timezone.localdate()
        result = daily_scan(today)
        self.stdout.write(f"Reminders of {today:%Y-%m-%d}: {result.total} notice{'' if result.total == 1 else 's'}.")
        for kind, count in sorted(result.created.items()):
            self.stdout.write(f"  {Kind(kind).label}: {count}")
