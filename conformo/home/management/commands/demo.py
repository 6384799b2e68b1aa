"""`conformo demo`: load the demo CB, its staff and three client organizations. Idempotent.

`conformo demo --scale N [--seed S]`: build the scale demo instead (N clients with three years of history, its own
certification body; see `conformo.home.demo_scale`). Refused if it is loaded already."""

from __future__ import annotations

import argparse
from typing import Any

from conformo.core.management.base import ConformoCommand
from conformo.home.demo import DEMO_PASSWORD, demo_load


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("give at least 1")
    return number


class Command(ConformoCommand):
    help = "Load the demo certification body, its staff and three client organizations (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--scale",
            type=_positive,
            metavar="N",
            help="Build the scale demo instead: N client organizations with three years of history (once).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the scale demo (default 1).")

    def run(self, *args: Any, **options: Any) -> None:
        if options["scale"]:
            self._scale(options["scale"], options["seed"], quiet=options["quiet"])
            return
        result = demo_load()
        if options["quiet"]:
            return
        state = "created" if result.created else "already present, left as it was"
        self.stdout.write(f"Demo data {state}. Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in result.logins:
            self.stdout.write(f"  {email:<36} {role}")

    def _scale(self, n: int, seed: int, *, quiet: bool) -> None:
        from conformo.home.demo_scale import SCALE_CB_NAME, demo_scale_load

        step = max(1, n // 10)

        def progress(done: int, total: int) -> None:
            if not quiet and (done % step == 0 or done == total):
                self.stdout.write(f"  {done}/{total} clients")

        result = demo_scale_load(n, seed, progress=progress)
        self.stdout.write(f"Scale demo loaded: {SCALE_CB_NAME}, {n} clients, seed {seed}, {result.seconds:.1f} s")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<14} {count}")
        statuses = ", ".join(f"{status} {count}" for status, count in result.statuses.items())
        self.stdout.write(f"  certificates by status: {statuses}")
