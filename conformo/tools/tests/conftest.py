"""Helpers of the calculator tests: the `conformo` CLI run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run `python -m conformo.cli ARGS` from the project root, as in production (no DEBUG, no SECRET_KEY)."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "CONFORMO_TESTING"}}
    env["CONFORMO_VAR_DIR"] = str(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "conformo.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run
