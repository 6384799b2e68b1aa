"""End to end, with real processes: `conformo cb create` invites a CB's first administrator, a real `conformo worker`
mails the invitation through a real SMTP server on loopback (aiosmtpd), its link is accepted over HTTP on a real
server process, and the new administrator signs in and sees the dashboard.

It runs its own SQLite instance in a temporary CONFORMO_VAR_DIR (the processes share it), so it runs once: on the
SQLite run of the suite, and is skipped on the PostgreSQL run.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller

from conformo.settings import BASE_DIR

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs its own SQLite instance with real processes: once per suite, on the SQLite run",
)

PASSWORD = "an-unusual-e2e-secret-42"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/accounts/invitations/accept/[^/\s]+/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An SMTP server's handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted"


def wait_for(what: str, check: Callable[[], Any], timeout: float = 30) -> Any:
    """Poll `check()` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}.")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def unhashed_static_manifest(static_root: Path) -> None:
    """The pages name their static files through the production storage's manifest, which `collectstatic` writes
    (and compresses every file: ~40 s). The pages are what is tested here, not their styles: a manifest naming each
    static file as itself lets them render, and the files are not served."""
    source = BASE_DIR / "conformo" / "static"
    paths = {
        p.relative_to(source).as_posix(): p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()
    }
    static_root.mkdir(parents=True, exist_ok=True)
    (static_root / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": paths, "hash": ""}))


def up(url: str) -> bool:
    try:
        return requests.get(url, timeout=3).status_code == 200
    except requests.RequestException:  # not listening yet, or still starting
        return False


def test_an_invitation_is_mailed_accepted_over_http_and_the_new_administrator_signs_in(tmp_path: Path) -> None:
    web, smtp = free_port(), free_port()
    base = f"http://127.0.0.1:{web}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "CONFORMO_TESTING"}}
    env.update(
        CONFORMO_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="an-end-to-end-test-secret-" + "x" * 40,
        BASE_URL=base,
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp),
        PYTHONPATH=str(BASE_DIR),
        PYTHONDONTWRITEBYTECODE="1",
    )
    conformo = [sys.executable, "-m", "conformo.cli"]

    def run(*args: str) -> str:
        result = subprocess.run(
            [*conformo, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> None:
        with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own copy of the file
            processes.append(
                subprocess.Popen([*conformo, *args], env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
            )

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp)
    controller.start()
    try:
        # The server reads the database per request only: it starts while the database is made.
        start("server", "runserver", f"127.0.0.1:{web}", "--noreload", "--skip-checks")
        run("migrate", "--no-input", "-v", "0")
        unhashed_static_manifest(tmp_path / "var" / "static")
        start("worker", "worker", "--no-reload", "--interval", "0.2", "--no-startup-delay")
        printed = run(
            "cb", "create", "--name", "Eastline Audit", "--country", "DE", "--admin-email", "Ada@Eastline.example"
        )
        message: EmailMessage = wait_for("the invitation e-mail", lambda: inbox.messages[:1])[0]
        assert message["To"] == "ada@eastline.example"
        assert message["Subject"] == "[Conformo] Join Eastline Audit on Conformo"
        text = message.get_body(("plain",))
        assert text is not None
        link = LINK.search(text.get_content())
        assert link is not None
        assert link.group(0) in printed  # the same link as the command printed

        wait_for("the web server", lambda: up(f"{base}/healthz"))
        browser = requests.Session()
        form = browser.get(link.group(0), timeout=10)
        assert form.status_code == 200, (tmp_path / "server.log").read_text()[-3000:]
        assert "Join Eastline Audit" in form.text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf is not None
        accepted = browser.post(
            link.group(0),
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "full_name": "Ada Admin",
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
            allow_redirects=False,
            timeout=10,
        )
        assert accepted.status_code == 302, accepted.text
        assert accepted.headers["Location"] == "/dashboard/"
        assert browser.get(link.group(0), timeout=10).status_code == 410  # used once

        signing_in = requests.Session()
        login = signing_in.get(f"{base}/accounts/login/", timeout=10)
        login_csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
        assert login_csrf is not None
        signed_in = signing_in.post(
            f"{base}/accounts/login/",
            data={
                "csrfmiddlewaretoken": login_csrf.group(1),
                "username": "ada@eastline.example",
                "password": PASSWORD,
            },
            timeout=10,
        )
        assert signed_in.status_code == 200
        assert signed_in.url == f"{base}/dashboard/"
        assert "CB administrator" in signed_in.text
        assert "Eastline Audit" in signed_in.text
    finally:
        stop(processes)
        controller.stop()
