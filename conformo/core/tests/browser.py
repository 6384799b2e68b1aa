"""Reusable browser-test helpers: Playwright driving Debian's Chromium against pytest-django's live server.

The fixtures `browser` (one Chromium for the whole session) and `page` (a fresh context on the live server)
are defined once, in conformo/conftest.py; a test names `page` (or `browser` and `live_server`) and may
call `sign_in(page, email, password)`. Never run `playwright install`: the browser is /usr/bin/chromium.
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("CONFORMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def sign_in(page: Any, email: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
