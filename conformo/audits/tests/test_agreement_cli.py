"""`conformo agreement list|draft|publish`: the operator writes and publishes a CB's agreement from text files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformo.audits import selectors
from conformo.audits.tests.factories import AGREEMENT_TEXTS

pytestmark = pytest.mark.django_db


def texts(tmp_path: Path) -> list[str]:
    args = []
    for option, field in (
        ("--body-file", "body"),
        ("--marks-file", "mark_rules"),
        ("--duties-file", "suspension_duties"),
    ):
        path = tmp_path / f"{field}.txt"
        path.write_text(AGREEMENT_TEXTS[field], encoding="utf-8")
        args += [option, str(path)]
    return args


def test_a_draft_from_files_is_published_and_listed_as_current(cli: Any, cb: Any, tmp_path: Path) -> None:
    drafted = cli("agreement", "draft", "--cb", cb.name, "--title", "Terms", *texts(tmp_path))
    assert drafted.returncode == 0, drafted.stderr
    assert drafted.stdout.strip() == f"Draft version 1 of the agreement of {cb.name} written."
    assert selectors.current_agreement_template(cb) is None
    published = cli("agreement", "publish", "--cb", cb.name, "--version", "1")
    assert published.returncode == 0, published.stderr
    current = selectors.current_agreement_template(cb)
    assert current is not None
    assert (current.version, current.mark_rules) == (1, AGREEMENT_TEXTS["mark_rules"])
    listed = cli("agreement", "list", "--cb", cb.name)
    assert listed.stdout.splitlines() == ["* 1  published  Terms"]


def test_unknown_names_and_unreadable_files_are_one_line_and_a_non_zero_exit(cli: Any, cb: Any, tmp_path: Path) -> None:
    nobody = cli("agreement", "list", "--cb", "Nobody Ltd")
    assert (nobody.returncode, nobody.stderr.strip()) == (1, "CommandError: No certification body named 'Nobody Ltd'.")
    missing = cli("agreement", "publish", "--cb", cb.name, "--version", "4")
    assert missing.returncode == 1
    assert "has no version 4" in missing.stderr
    args = texts(tmp_path)
    args[1] = str(tmp_path / "absent.txt")
    unreadable = cli("agreement", "draft", "--cb", cb.name, "--title", "Terms", *args)
    assert unreadable.returncode == 1
    assert "Cannot read" in unreadable.stderr
    assert selectors.current_agreement_template(cb) is None


def test_the_command_starts_as_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env["CONFORMO_VAR_DIR"] = str(tmp_path / "cli-var")
    done = subprocess.run(
        [sys.executable, "-m", "conformo.cli", "agreement", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "list,draft,publish" in done.stdout
