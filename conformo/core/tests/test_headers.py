"""Security headers on every response, pages without inline script or style, and the admin's own address."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import clear_url_caches

from conformo.conftest import login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ROOT = Path(__file__).resolve().parents[3]
# Rendered to PDF (WeasyPrint) or sent as e-mail, never served as a page: no Content-Security-Policy applies.
NOT_PAGES = re.compile(r"(_pdf\.html|/pdf\.html|/email/)")


def policy(response: Any) -> dict[str, list[str]]:
    return {
        name: rest
        for name, *rest in (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/registry/", "/healthz", "/nowhere/"])
def test_every_response_has_a_csp_without_inline_script_and_a_permissions_policy(db: Any, path: str) -> None:
    response = Client().get(path)
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_signed_in_dashboard_has_the_headers_too(cb_admin: Any) -> None:
    response = login(cb_admin).get("/dashboard/")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    assert response["Permissions-Policy"]


def test_the_registry_fast_path_sets_the_same_headers(db: Any, settings: Any) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    response = Client().get("/api/v1/registry/certificates/NOPE-1")
    assert response.status_code == 404
    assert policy(response)["default-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


def test_only_the_api_docs_page_allows_inline_style_and_still_no_inline_script(db: Any) -> None:
    response = Client().get("/api/v1/docs")
    assert policy(response)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy(response)["script-src"] == ["'self'"]
    body = response.content.decode()
    # Its one inline <script> is a JSON data block, which browsers never execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body)
    assert inline == [' type="application/json" id="swagger-settings"']


def page_templates() -> list[Path]:
    return [p for p in sorted(TEMPLATES.rglob("*.html")) if not NOT_PAGES.search(p.as_posix())]


def test_no_page_template_has_inline_script_event_handlers_script_urls_or_style_attributes() -> None:
    offending = []
    for path in page_templates():
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\son[a-z]+\s*=", r"javascript:", r"\sstyle\s*=", r"<style"):
            if re.search(pattern, text, re.IGNORECASE):
                offending.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert len(page_templates()) > 50
    assert offending == []


@pytest.fixture
def admin_at_back_office(settings: Any) -> Iterator[None]:
    import conformo.urls

    settings.ADMIN_PATH = "back-office/"
    importlib.reload(conformo.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(conformo.urls)
    clear_url_caches()


def test_the_admin_sits_at_its_configured_path_and_its_sign_in_is_throttled(
    admin_at_back_office: None, superuser: Any, settings: Any
) -> None:
    assert Client().get("/admin/").status_code == 404
    assert Client().get("/back-office/").status_code == 302
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/back-office/login/", {"username": "root@example.test", "password": "wrong"})
    refused = client.post("/back-office/login/", {"username": "root@example.test", "password": "pw-for-tests"})
    assert refused.status_code == 429
    assert client.get("/back-office/").status_code == 302  # still not signed in


@pytest.mark.parametrize(("value", "accepted"), [("back-office", True), ("ops/admin_1/", True), ("../x", False)])
def test_admin_path_must_be_a_plain_path(value: str, accepted: bool) -> None:
    env = {**os.environ, "ADMIN_PATH": value, "CONFORMO_TESTING": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", "import conformo.settings as s; print(s.ADMIN_PATH)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode == 0) is accepted
    if accepted:
        assert result.stdout.strip() == value.strip("/") + "/"
    else:
        assert "ADMIN_PATH must be a path" in result.stderr
