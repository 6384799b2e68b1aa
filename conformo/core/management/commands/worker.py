"""`conformo worker`: run the background tasks (e-mail, digests, daily scans) from the database queue."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from conformo.core.periodic import ensure_scheduled


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks from the database queue: sends e-mail, digests and daily reminder scans. "
        "Run it beside the web server (`make run` does); several workers may share the queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for path, run_after in ensure_scheduled():
            self.stdout.write(f"Scheduled {path} to run after {run_after:%Y-%m-%d %H:%M %Z}.")
        super().handle(*args, **options)
