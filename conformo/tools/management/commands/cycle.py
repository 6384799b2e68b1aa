"""`conformo cycle`: due dates of a 3-year certification cycle (ISO/IEC 17021-1).

    conformo cycle --decision-date 2024-02-29 --json
    conformo cycle --decision-date 2024-02-29 --stage2-end 2024-01-15

Dates are YYYY-MM-DD; months are calendar months (a missing day becomes the month's last day).
"""

from __future__ import annotations

import json
from typing import Any

from conformo.core.management.base import ConformoCommand
from conformo.tools import calculators, text


class Command(ConformoCommand):
    help = "Certification cycle due dates from the decision date (ISO/IEC 17021-1)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.epilog = __doc__
        parser.add_argument(
            "--decision-date", required=True, metavar="YYYY-MM-DD", help="Date of the certification decision."
        )
        parser.add_argument(
            "--stage2-end",
            metavar="YYYY-MM-DD",
            help="Last day of the stage 2 audit: adds the deadline to verify major nonconformities.",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def run(self, *args: Any, **options: Any) -> None:
        result = calculators.cycle(decision_date=options["decision_date"], stage2_end=options["stage2_end"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        rows = [
            ("Certification decision", result.decision_date.isoformat()),
            ("First surveillance due", result.surveillance_1_due.isoformat()),
            ("Second surveillance due", result.surveillance_2_due.isoformat()),
            ("Recertification decision due", result.recertification_due.isoformat()),
            ("Certificate expires on", result.expires_on.isoformat()),
            ("Restoration possible until", result.restoration_deadline.isoformat()),
        ]
        if result.major_nc_verification_deadline is not None:
            rows.append(("Majors verified by", result.major_nc_verification_deadline.isoformat()))
        lines = ["Certification cycle", "", *text.table(["Event", "Date"], rows)]
        lines += text.trace(result.trace)
        self.stdout.write("\n".join(lines))
