"""`conformo audit-time`: initial, surveillance and recertification audit time (IAF MD 5, MD 11, ISO/IEC 27006-1).

    conformo audit-time --standard iso-9001-2015 --personnel 5 --json
    conformo audit-time --standard iso-9001-2015 --standard iso-14001-2015 --personnel 50 \\
        --complexity medium --adjust iso-9001-2015=-10 --integration 10

Refusals (unknown standard, personnel <= 0, unknown complexity, ...) are one line on stderr, exit code 1.
"""

from __future__ import annotations

import json
from typing import Any

from conformo.core.management.base import ConformoCommand
from conformo.domain.audit_time import COMPLEXITY_LEVELS, SUPPORTED_STANDARDS
from conformo.domain.trace import fmt
from conformo.tools import calculators, text


class Command(ConformoCommand):
    help = "Audit time in days for one or several standards, with the rules applied (IAF MD 5 / MD 11)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.epilog = __doc__
        parser.add_argument(
            "--standard",
            action="append",
            default=[],
            metavar="ID",
            help=f"A standard audited (repeat for a combined audit): {', '.join(SUPPORTED_STANDARDS)}.",
        )
        parser.add_argument(
            "--personnel",
            required=True,
            metavar="N",
            help="Effective personnel (IAF MD 5 cl. 2.3); a fraction is rounded up to whole persons.",
        )
        parser.add_argument(
            "--complexity",
            metavar="LEVEL",
            help=f"Complexity / risk category, required for EMS and OH&S: {', '.join(COMPLEXITY_LEVELS)}.",
        )
        parser.add_argument(
            "--adjust",
            action="append",
            default=[],
            metavar="ID=PERCENT",
            help="Adjustment of one standard's table time in percent (e.g. iso-9001-2015=-10); repeat to keep "
            "increases and reductions apart. Reductions together are cut to 30 %% with a warning.",
        )
        parser.add_argument(
            "--integration",
            metavar="PERCENT",
            help="IAF MD 11 integration reduction for several standards (0 to 20; more is cut with a warning).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def run(self, *args: Any, **options: Any) -> None:
        result = calculators.audit_time(
            standards=options["standard"],
            personnel=options["personnel"],
            complexity=options["complexity"],
            adjust=options["adjust"],
            integration_percent=options["integration"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        lines = [f"Audit time for {result.persons} persons (days of 8 hours)", ""]
        lines += text.table(
            ["Standard", "Table days", "Adjustment %", "Days"],
            [(s.id, fmt(s.table_days), fmt(s.adjustment_percent), fmt(s.days)) for s in result.standards],
            right=[False, True, True, True],
        )
        lines.append("")
        lines += text.facts(
            [
                ("Initial audit (stage 1 + stage 2)", f"{fmt(result.initial_days)} days"),
                ("Surveillance audit, per year", f"{fmt(result.surveillance_days)} days"),
                ("Recertification audit", f"{fmt(result.recertification_days)} days"),
                ("Minimum on-site time", f"{fmt(result.minimum_onsite_days)} days"),
            ]
        )
        lines += text.warnings(result.warnings)
        lines += text.trace(result.trace)
        self.stdout.write("\n".join(lines))
