from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformo.certificates import signing
from conformo.certificates.signing import b64url_decode, b64url_encode
from conformo.core.tests.cli import run_in_process

# In process, the command's system checks read the test database.
pytestmark = pytest.mark.django_db

RECORD = {
    "number": "NBC-2026-00001",
    "status": "active",
    "holder": {"name": "Acme", "country": "DE"},
    "standards": ["iso-9001-2015"],
    "expires_on": "2029-03-01",
}


def run_verify(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env["CONFORMO_VAR_DIR"] = str(tmp_path / "cli-var")
    return subprocess.run(
        [sys.executable, "-m", "conformo.cli", "certificate", "verify", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def verify_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command through the same entry point, in this process (conformo/core/tests/cli.py)."""
    return run_in_process("certificate", "verify", *args)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, str]:
    token = signing.credential_sign(number="NBC-2026-00001", record=RECORD, now=1767225600)
    credential = tmp_path / "c.jws"
    credential.write_text(token)
    key_file = tmp_path / "jwks.json"
    key_file.write_text(json.dumps(signing.jwks()))
    return credential, key_file, token


# One real process (production settings, no SECRET_KEY) as the smoke test; the other cases in process.


def test_a_valid_credential_exits_0_with_a_one_line_summary(files: tuple[Path, Path, str], tmp_path: Path) -> None:
    credential, key_file, _ = files
    result = run_verify(tmp_path, str(credential), "--jwks", str(key_file))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("VALID signature: NBC-2026-00001 ACTIVE — Acme (DE), iso-9001-2015, expires 2029-03-01")
    assert "2026-01-01T00:00:00Z" in lines[0]


def test_a_tampered_credential_exits_1(files: tuple[Path, Path, str], tmp_path: Path) -> None:
    credential, key_file, token = files
    head, body, sig = token.split(".")
    payload = json.loads(b64url_decode(body))
    payload["certificate"]["status"] = "activ3"
    credential.write_text(f"{head}.{b64url_encode(json.dumps(payload).encode())}.{sig}")
    result = verify_in_process(str(credential), "--jwks", str(key_file))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("INVALID")
    assert "bad signature" in result.stderr


def test_an_unknown_key_exits_1(files: tuple[Path, Path, str], tmp_path: Path) -> None:
    credential, key_file, _ = files
    key_file.write_text(json.dumps({"keys": []}))
    result = verify_in_process(str(credential), "--jwks", str(key_file))
    assert result.returncode == 1
    assert "unknown key" in result.stderr


@pytest.mark.parametrize("case", ["missing-credential", "missing-jwks", "jwks-not-json", "binary-credential"])
def test_unreadable_input_exits_2(files: tuple[Path, Path, str], tmp_path: Path, case: str) -> None:
    credential, key_file, _ = files
    if case == "missing-credential":
        credential = tmp_path / "nope.jws"
    elif case == "missing-jwks":
        key_file = tmp_path / "nope.json"
    elif case == "jwks-not-json":
        key_file.write_text("{not json")
    else:
        credential.write_bytes(b"\xff\xfe\x00binary")
    result = verify_in_process(str(credential), "--jwks", str(key_file))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_arguments_exit_2(tmp_path: Path) -> None:
    result = verify_in_process("only-a-file")
    assert result.returncode == 2


def test_rotate_key_keeps_the_old_key_published(settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    old = signing.signing_key().kid
    out = StringIO()
    call_command("certificate", "rotate-key", stdout=out)
    assert f"{old} retired" in out.getvalue()
    assert old in {k["kid"] for k in signing.jwks()["keys"]}
