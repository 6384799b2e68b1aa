"""The test run's own setup: the Hypothesis profile for CI and the in-process CLI runner."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from conformo.conftest import hypothesis_profile
from conformo.core.tests.cli import run_in_process


def test_the_ci_profile_has_no_deadline_and_tolerates_slow_data_generation() -> None:
    ci = hypothesis_settings.get_profile("ci")
    assert ci.deadline is None
    assert HealthCheck.too_slow in ci.suppress_health_check
    assert hypothesis_settings.get_profile("default").deadline is not None


@pytest.mark.parametrize(
    ("environ", "profile"),
    [
        ({}, "default"),
        ({"CI": "true"}, "ci"),
        ({"CI": "1"}, "ci"),
        ({"CI": "false"}, "default"),
        ({"CI": ""}, "default"),
        ({"CI": "true", "HYPOTHESIS_PROFILE": "default"}, "default"),
    ],
)
def test_the_ci_variable_selects_the_ci_profile(environ: dict[str, str], profile: str) -> None:
    assert hypothesis_profile(environ) == profile


def test_the_run_uses_the_profile_its_environment_selects() -> None:
    selected = hypothesis_settings.get_profile(hypothesis_profile(os.environ))
    assert hypothesis_settings().deadline == selected.deadline
    assert hypothesis_settings().suppress_health_check == selected.suppress_health_check


def test_the_in_process_cli_gives_the_exit_code_and_both_streams() -> None:
    listed = run_in_process("--help")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert "audit-time" in listed.stdout
    refused = run_in_process("sampling", "--sites", "0")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "CommandError: the number of sites must be a whole number of at least 1, got '0'"
    ]
    usage = run_in_process("sampling")
    assert usage.returncode == 2
    assert "the following arguments are required: --sites" in usage.stderr
