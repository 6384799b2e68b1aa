"""The shipped service definitions and reverse-proxy example (deploy/, docs/deployment.md): both services are
restarted whatever way they exit, never given up on, hardened, and agree with the app's settings."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = ("conformo-web.service", "conformo-worker.service")
HARDENING = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectControlGroups": "yes",
    "RestrictSUIDSGID": "yes",
    "CapabilityBoundingSet": "",
    "UMask": "0077",
}


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # systemd keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def environment() -> dict[str, str]:
    lines = (DEPLOY / "conformo.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.mark.parametrize("name", UNITS)
def test_each_service_is_restarted_whenever_it_exits_and_never_given_up_on(name: str) -> None:
    parsed = unit(name)
    assert parsed["Service"]["Restart"] == "always"
    assert 0 < int(parsed["Service"]["RestartSec"]) <= 5
    # systemd's default start limit (5 starts in 10 s) would leave a crash-looping server stopped for good.
    assert parsed["Unit"]["StartLimitIntervalSec"] == "0"
    assert parsed["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.parametrize("name", UNITS)
def test_each_service_is_hardened_and_writes_only_the_var_directory(name: str) -> None:
    service = unit(name)["Service"]
    for key, value in HARDENING.items():
        assert service[key] == value, key
    assert service["ReadWritePaths"] == environment()["CONFORMO_VAR_DIR"]
    assert service["User"] == "conformo"
    assert service["EnvironmentFile"] == "/etc/conformo/conformo.env"


def test_granian_respawns_its_workers_and_the_worker_unit_runs_the_queue() -> None:
    web = unit("conformo-web.service")["Service"]["ExecStart"].split()
    assert web[0].endswith("/granian")
    assert "--respawn-failed-workers" in web
    assert web[-1] == "conformo.wsgi:application"
    worker = unit("conformo-worker.service")["Service"]["ExecStart"].split()
    assert worker[1:] == ["worker", "--no-reload"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_both_units(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent) + "/"
    if not (Path(venv_bin) / "granian").exists():
        pytest.skip("granian is not installed beside this Python")
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace("/opt/conformo/.venv/bin/", venv_bin)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown key" not in result.stderr, result.stderr
    assert "Unknown lvalue" not in result.stderr, result.stderr


def test_the_proxy_example_agrees_with_the_app() -> None:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    body = re.search(r"client_max_body_size (\d+)m;", text)
    assert body is not None
    assert int(body.group(1)) * 1024 * 1024 == settings.MAX_UPLOAD_BYTES
    port = re.search(r"--port (\d+)", unit("conformo-web.service")["Service"]["ExecStart"])
    assert port is not None
    assert f"server 127.0.0.1:{port.group(1)};" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header Host $host;" in text
    assert f"alias {environment()['CONFORMO_VAR_DIR']}/static/;" in text
    assert "listen 443 ssl;" in text
    assert "ssl_certificate " in text
    assert "/files" not in text.replace("(CONFORMO_VAR_DIR/files)", "")  # uploads only through the app
    assert text.count("{") == text.count("}")
