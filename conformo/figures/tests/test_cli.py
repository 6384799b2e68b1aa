"""`conformo figures`: the same figures for the operator, as text, CSV or JSON; refusals in one line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from conformo.figures.tests.world import TODAY, World


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_the_cli_prints_a_figure_as_json_text_and_csv(world: World) -> None:
    body = json.loads(run("complaints-appeals", "--cb", world.cb.name, "--year", "2025", "--format", "json"))
    assert body["handling"][0]["median_days"] == "15.0"
    assert body["filters"]["start"] == "2025-01-01"
    days = json.loads(run("audit-days", "--cb", world.cb.name, "--year", "2025", "--format", "json"))
    assert (days["audits"], days["days"]) == (4, "9.5")
    assert "Lead auditor\t1" in run("auditors", "--cb", world.cb.name)
    assert "ISO 9001:2015,Minor nonconformity,3,9.5,0.32" in run(
        "nonconformities", "--cb", world.cb.name, "--year", "2025", "--format", "csv"
    )


def test_the_cli_refuses_an_unknown_cb_or_a_bad_range(world: World) -> None:
    with pytest.raises(CommandError, match="No certification body"):
        run("auditors", "--cb", "Nobody")
    with pytest.raises(CommandError, match="not valid"):
        run("auditors", "--cb", world.cb.name, "--start", "2025-02-01", "--end", "2025-01-01")
