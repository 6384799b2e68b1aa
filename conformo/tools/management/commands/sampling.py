"""`conformo sampling`: multi-site sample sizes (IAF MD 1).

    conformo sampling --sites 10 --json

The central function is audited at every audit, in addition to the sample.
"""

from __future__ import annotations

import json
from typing import Any

from conformo.core.management.base import ConformoCommand
from conformo.domain.trace import fmt
from conformo.tools import calculators, text


class Command(ConformoCommand):
    help = "Multi-site sample sizes for initial, surveillance and recertification audits (IAF MD 1)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.epilog = __doc__
        parser.add_argument(
            "--sites",
            required=True,
            metavar="N",
            help="Number of sites besides the central function (a whole number of at least 1).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def run(self, *args: Any, **options: Any) -> None:
        result = calculators.sampling(sites=options["sites"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        lines = [f"Sample sizes for {result.sites} sites (the central function is audited in addition)", ""]
        lines += text.table(
            ["Audit", "Sites sampled", "Chosen at random (min.)"],
            [
                ("Initial", result.initial, result.random_initial),
                ("Surveillance (per year)", result.surveillance, result.random_surveillance),
                ("Recertification", result.recertification, result.random_recertification),
            ],
            right=[False, True, True],
        )
        lines.append("")
        lines += text.facts(
            [
                ("Random share", fmt(result.random_share)),
                ("Without sampling, per surveillance year", f"{result.no_sampling_surveillance_per_year} sites"),
            ]
        )
        lines += text.warnings(result.warnings)
        lines += text.trace(result.trace)
        self.stdout.write("\n".join(lines))
