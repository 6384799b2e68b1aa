"""`conformo demo`: load the demo CB, its staff and three client organizations. Idempotent."""

from __future__ import annotations

from typing import Any

from conformo.core.management.base import ConformoCommand
from conformo.home.demo import DEMO_PASSWORD, demo_load


class Command(ConformoCommand):
    help = "Load the demo certification body, its staff and three client organizations (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def run(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        if options["quiet"]:
            return
        state = "created" if result.created else "already present, left as it was"
        self.stdout.write(f"Demo data {state}. Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in result.logins:
            self.stdout.write(f"  {email:<36} {role}")
