"""The CLI contract of `conformo audit-time`, `conformo sampling` and `conformo cycle` (other tools depend on it)."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conformo.tools.tests.conftest import RunCli

QMS = "iso-9001-2015"
EMS = "iso-14001-2015"
OHS = "iso-45001-2018"
ISMS = "iso-iec-27001-2022"
AUDIT_TIME_KEYS = [
    "standards",
    "initial_days",
    "surveillance_days",
    "recertification_days",
    "minimum_onsite_days",
    "warnings",
    "trace",
]
CYCLE_KEYS = [
    "decision_date",
    "surveillance_1_due",
    "surveillance_2_due",
    "recertification_due",
    "expires_on",
    "restoration_deadline",
]


def command_json(name: str, *args: str) -> Any:
    out = StringIO()
    call_command(name, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def command_text(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


# --- the contract shapes, exit codes and one-line refusals: each command once as a real process (`run_cli`,
# production settings), the rest through the same entry point in process (`cli`, conformo/core/tests/cli.py) --


def test_audit_time_json_contract_for_qms_5_persons(run_cli: RunCli) -> None:
    done = run_cli("audit-time", "--standard", QMS, "--personnel", "5", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == AUDIT_TIME_KEYS
    assert result["standards"] == [{"id": QMS, "table_days": 1.5, "adjustment_percent": 0, "days": 1.5}]
    assert result["initial_days"] == 1.5
    assert result["surveillance_days"] == 0.5
    assert result["recertification_days"] == 1
    assert result["minimum_onsite_days"] == 1.2
    assert result["warnings"] == []
    assert all(list(step) == ["step", "rule", "source", "value"] for step in result["trace"])
    assert result["trace"][1]["source"] == "IAF MD 5:2019 Annex A, Table QMS 1"


def test_audit_time_json_for_an_integrated_9001_14001_audit(cli: RunCli) -> None:
    done = cli(
        "audit-time",
        "--standard",
        QMS,
        "--standard",
        EMS,
        "--personnel",
        "55",
        "--complexity",
        "medium",
        "--adjust",
        f"{QMS}=-10",
        "--integration",
        "10",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["standards"] == [
        {"id": QMS, "table_days": 5, "adjustment_percent": -10, "days": 4.5},
        {"id": EMS, "table_days": 6, "adjustment_percent": 0, "days": 6},
    ]
    # (4.5 + 6) x 0.9 = 9.45 -> 9.5 days; 1/3 -> 3; 2/3 -> 6.5; 80 % -> 7.6
    assert (result["initial_days"], result["surveillance_days"], result["recertification_days"]) == (9.5, 3, 6.5)
    assert result["minimum_onsite_days"] == 7.6
    assert [step["step"] for step in result["trace"]][4:6] == ["sum of the standards", "integration reduction"]


def test_sampling_json_contract_for_10_sites(run_cli: RunCli) -> None:
    done = run_cli("sampling", "--sites", "10", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["initial"], result["surveillance"], result["recertification"]) == (4, 2, 3)
    assert result["sites"] == 10


def test_cycle_json_contract_for_a_decision_on_29_february(run_cli: RunCli) -> None:
    done = run_cli("cycle", "--decision-date", "2024-02-29", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "decision_date": "2024-02-29",
        "surveillance_1_due": "2025-02-28",
        "surveillance_2_due": "2026-02-28",
        "recertification_due": "2027-02-27",
        "expires_on": "2027-02-27",
        "restoration_deadline": "2027-08-27",
    }


def test_cycle_json_adds_the_major_nc_deadline_with_stage2_end(cli: RunCli) -> None:
    done = cli("cycle", "--decision-date", "2024-02-29", "--stage2-end", "2024-01-31", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == [*CYCLE_KEYS, "major_nc_verification_deadline"]
    assert result["major_nc_verification_deadline"] == "2024-07-31"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["audit-time", "--standard", "iso-9999", "--personnel", "5"],
            f"unknown standard 'iso-9999'; supported for audit time: {QMS}, {EMS}, {OHS}, {ISMS}",
            id="unknown-standard",
        ),
        pytest.param(
            ["audit-time", "--standard", "iso-22301-2019", "--personnel", "5"],
            f"supported: {QMS}, {EMS}, {OHS}, {ISMS}",
            id="standard-without-audit-time-table",
        ),
        pytest.param(
            ["audit-time", "--standard", QMS, "--personnel", "0"],
            "personnel must be a number greater than 0, got '0'",
            id="personnel-zero",
        ),
        pytest.param(
            ["audit-time", "--standard", QMS, "--personnel", "-3"],
            "personnel must be a number greater than 0, got '-3'",
            id="personnel-negative",
        ),
        pytest.param(
            ["audit-time", "--standard", QMS, "--personnel", "many"],
            "personnel must be a number, got 'many'",
            id="personnel-not-a-number",
        ),
        pytest.param(
            ["audit-time", "--standard", EMS, "--personnel", "10", "--complexity", "extreme"],
            "unknown complexity 'extreme'; choose one of: high, medium, low, limited",
            id="unknown-complexity",
        ),
        pytest.param(
            ["audit-time", "--standard", EMS, "--personnel", "10"],
            "iso-14001-2015 needs a complexity",
            id="ems-without-complexity",
        ),
        pytest.param(
            ["audit-time", "--standard", QMS, "--personnel", "10", "--adjust", "iso-9001-2015"],
            "an adjustment is written ID=PERCENT",
            id="adjustment-without-percent",
        ),
        pytest.param(
            ["sampling", "--sites", "0"],
            "the number of sites must be a whole number of at least 1, got '0'",
            id="zero-sites",
        ),
        pytest.param(
            ["cycle", "--decision-date", "2023-02-29"],
            "the decision date '2023-02-29' is not a real calendar date; give it as YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            ["cycle", "--decision-date", "2024-02-29", "--stage2-end", "2024-03-01"],
            "stage 2 cannot end (2024-03-01) after the certification decision (2024-02-29)",
            id="stage2-after-decision",
        ),
    ],
)
def test_bad_input_is_one_line_with_a_non_zero_exit(cli: RunCli, args: list[str], expected: str) -> None:
    done = cli(*args, "--json")
    assert done.returncode != 0
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]


def test_a_missing_required_option_is_an_argparse_line_with_exit_2(cli: RunCli) -> None:
    done = cli("audit-time", "--standard", QMS)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "conformo audit-time: error: the following arguments are required: --personnel"
    ]


def test_text_output_shows_a_table_and_the_trace(cli: RunCli) -> None:
    done = cli("audit-time", "--standard", QMS, "--personnel", "5")
    assert done.returncode == 0, done.stderr
    assert "Standard       Table days  Adjustment %  Days" in done.stdout
    assert "Initial audit (stage 1 + stage 2): 1.5 days" in done.stdout
    assert "Trace (step, rule, source, value):" in done.stdout
    assert "source: IAF MD 5:2019 Annex A, Table QMS 1" in done.stdout


def test_the_commands_are_listed_by_conformo_help(cli: RunCli) -> None:
    done = cli("--help")
    assert done.returncode == 0
    for name in ("audit-time", "sampling", "cycle"):
        assert f"  {name} " in done.stdout


# --- in process (call_command): the semantics ---------------------------------------------------------------


def test_fractional_personnel_is_rounded_up_to_whole_persons() -> None:
    result = command_json("audit_time", "--standard", QMS, "--personnel", "5.2")
    assert result["standards"][0]["table_days"] == 2  # 6 persons: band 6-10
    assert result["trace"][0]["value"] == "6 persons"


def test_complexity_selects_the_ems_and_ohs_column() -> None:
    high = command_json("audit_time", "--standard", OHS, "--personnel", "50", "--complexity", "HIGH")
    low = command_json("audit_time", "--standard", OHS, "--personnel", "50", "--complexity", "low")
    assert high["standards"][0]["table_days"] > low["standards"][0]["table_days"]
    assert "column high" in high["trace"][1]["source"]


def test_complexity_for_qms_alone_is_ignored_with_a_warning() -> None:
    result = command_json("audit_time", "--standard", QMS, "--personnel", "5", "--complexity", "high")
    assert result["initial_days"] == 1.5
    assert "was not used" in result["warnings"][0]


def test_a_reduction_beyond_the_cap_is_cut_with_a_warning() -> None:
    result = command_json("audit_time", "--standard", QMS, "--personnel", "50", "--adjust", f"{QMS}=-45")
    assert result["standards"][0]["adjustment_percent"] == -30
    assert result["standards"][0]["days"] == 3.5
    assert result["warnings"] == [
        "the reductions for iso-9001-2015 (45 %) exceed the 30 % cap of IAF MD 5 and were cut to 30 %"
    ]


def test_repeated_adjustments_keep_increases_and_reductions_apart() -> None:
    result = command_json(
        "audit_time", "--standard", QMS, "--personnel", "50", "--adjust", f"{QMS}=+20", "--adjust", f"{QMS}=-40"
    )
    # reductions cut to 30 %, then +20: net -10 % (not -20 %), docs/rules.md §7
    assert result["standards"][0]["adjustment_percent"] == -10
    assert result["standards"][0]["days"] == 4.5


def test_an_integration_reduction_beyond_20_percent_is_cut_with_a_warning() -> None:
    result = command_json(
        "audit_time",
        "--standard",
        QMS,
        "--standard",
        EMS,
        "--personnel",
        "50",
        "--complexity",
        "low",
        "--integration",
        "35",
    )
    assert any("exceeds the 20 % cap of IAF MD 11" in warning for warning in result["warnings"])


def test_an_adjustment_for_a_standard_not_audited_is_refused() -> None:
    with pytest.raises(CommandError, match="not among the standards audited"):
        call_command("audit_time", "--standard", QMS, "--personnel", "5", "--adjust", f"{ISMS}=-10")


def test_no_standard_is_refused_naming_the_supported_ones() -> None:
    with pytest.raises(CommandError, match=f"give at least one standard; supported: {QMS}"):
        call_command("audit_time", "--personnel", "5")


def test_one_site_is_computed_with_a_warning() -> None:
    result = command_json("sampling", "--sites", "1")
    assert result["initial"] == 1
    assert "not a multi-site organization" in result["warnings"][0]


def test_sampling_and_cycle_text_output() -> None:
    sampling = command_text("sampling", "--sites", "10")
    assert "Initial                              4" in sampling
    assert "ceil(sqrt(10))" in sampling
    cycle = command_text("cycle", "--decision-date", "2024-02-29", "--stage2-end", "2024-01-15")
    assert "First surveillance due        2025-02-28" in cycle
    assert "Majors verified by            2024-07-15" in cycle
    assert "source: ISO/IEC 17021-1:2015 9.1.3.3" in cycle


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("sampling", ["--sites", "ten"], "the number of sites must be a whole number of at least 1, got 'ten'"),
        ("sampling", ["--sites", "2.5"], "the number of sites must be a whole number of at least 1, got '2.5'"),
        ("cycle", ["--decision-date", "29/02/2024"], "is not a real calendar date; give it as YYYY-MM-DD"),
        ("cycle", ["--decision-date", "2024-02-29", "--stage2-end", "2024-02-30"], "the stage 2 end '2024-02-30'"),
    ],
)
def test_refusals_in_process_are_command_errors(name: str, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(name, *args)
