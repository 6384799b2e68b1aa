"""Benchmark: carry a gap assessment across editions (`assessment_transition`) — ISO/IEC 27001:2013 alone and
9001 + 14001 + 45001 + 27001:2013, each moved to ISO/IEC 27001:2022 over the shipped succession map, to show
that time and queries do not grow with the number of items.

    .venv/bin/python bench/transition.py [--runs 15]

Uses a fresh, migrated SQLite database with the shipped catalogs in a temporary CONFORMO_VAR_DIR. The old
assessment is answered with every status in turn (a fifth not applicable with a justification, notes on every
other item) and one evidence link on every third answer, so that the carry copies real values: statuses,
justifications, owners, notes, the merged controls' statuses and the evidence. The service is called
directly (no HTTP). Prints the median and fastest time and the query count of the last run, side by side for
the two sizes, and beside them the median of creating a blank assessment of the same new standards in the
same run (`assessment_create`, ≤ 30 ms for 298 rows in bench/assessment.py) and the ratio of the two, which
holds on a busy machine where absolute times do not. Target from issue #18: the 298-item assessment (the
four standards after the move) in ≤ 100 ms, with the same number of queries at both sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

ONE = ["iso-iec-27001-2013"]
FOUR = ["iso-9001-2015", "iso-14001-2015", "iso-45001-2018", "iso-iec-27001-2013"]
STATUSES = ["not_started", "planned", "partial", "implemented", "not_applicable"]


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """(median ms, fastest ms, queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), min(times), len(ctx.captured_queries)


def answered(assessment: Any, owner: Any) -> None:
    """Give every answer of `assessment` a status, notes, an owner and (every third) an evidence link."""
    from conformo.readiness.models import Answer, Evidence

    answers = list(Answer.objects.filter(assessment=assessment).order_by("pk"))
    for index, answer in enumerate(answers):
        answer.status = STATUSES[index % len(STATUSES)]
        answer.justification = "Out of scope: no such activity." if answer.status == "not_applicable" else ""
        answer.notes = f"Note {index}" if index % 2 else ""
        answer.owner_id = owner.pk
    Answer.objects.bulk_update(answers, ["status", "justification", "notes", "owner"])
    Evidence.objects.bulk_create(
        Evidence(answer=answer, label=f"Record {i}", url=f"https://intranet.example/{i}")
        for i, answer in enumerate(answers)
        if i % 3 == 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="conformo-bench-transition-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(DEBUG="0", CONFORMO_TESTING="1", CONFORMO_VAR_DIR=str(work))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from conformo.accounts.models import Membership, User
    from conformo.core.actors import SYSTEM
    from conformo.core.roles import Role
    from conformo.organizations.models import Organization
    from conformo.readiness.models import Evidence
    from conformo.readiness.services import assessment_create, assessment_transition
    from conformo.standards.models import Standard
    from conformo.standards.services import catalog_load_shipped

    call_command("migrate", verbosity=0)
    catalog_load_shipped(actor=SYSTEM)
    org = Organization.objects.create(legal_name="Bench GmbH", country="DE")
    admin = User.objects.create_user("bench@example.test", "bench-password-123")
    Membership.objects.create(user=admin, role=Role.CLIENT_ADMIN, organization=org)
    new_edition = Standard.objects.get(code="iso-iec-27001-2022")

    results = []
    for codes in (ONE, FOUR):
        standards = list(Standard.objects.filter(code__in=codes))
        old = assessment_create(actor=admin, organization=org, standards=standards)
        answered(old, admin)

        def carry(old: Any = old) -> Any:
            # a fresh user object each run, so no per-request permission cache is reused
            return assessment_transition(actor=User.objects.get(pk=admin.pk), assessment=old, standard=new_edition)

        median, best, queries = measure(carry, args.runs)
        new = carry()
        evidence = Evidence.objects.filter(answer__assessment=new).count()
        targets = [new_edition if s.code == "iso-iec-27001-2013" else s for s in standards]

        def create(targets: list[Any] = targets) -> Any:
            return assessment_create(actor=User.objects.get(pk=admin.pk), organization=org, standards=targets)

        create_median, _, _ = measure(create, args.runs)
        results.append(
            (len(codes), old.items.count(), new.items.count(), evidence, median, best, queries, create_median)
        )

    print(f"Conformo transition benchmark ({args.runs} runs each, SQLite, in-process): move to ISO/IEC 27001:2022\n")
    header = f"{'standards':>10}{'old items':>11}{'new items':>11}{'evidence':>10}{'median ms':>11}{'best ms':>9}"
    print(header + f"{'queries':>9}{'create ms':>11}{'ratio':>7}")
    for n, old_items, new_items, evidence, median, best, queries, create_ms in results:
        print(
            f"{n:>10}{old_items:>11}{new_items:>11}{evidence:>10}{median:>11.1f}{best:>9.1f}{queries:>9}"
            f"{create_ms:>11.1f}{median / create_ms:>7.2f}"
        )
    same = results[0][6] == results[1][6]
    print(
        f"\nqueries at both sizes equal: {'yes' if same else 'NO'}; 298-item target ≤ 100 ms: "
        f"{'met' if results[1][4] <= 100 else 'MISSED'} ({results[1][4]:.1f} ms)"
    )


if __name__ == "__main__":
    main()
