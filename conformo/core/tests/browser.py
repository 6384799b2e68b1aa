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


def follow(page: Any, target: Any) -> None:
    """Click `target` (a link or a submit button) and wait until the page it leads to has loaded.

    A click returns once it is dispatched, not once the next page is there: the step after it must not find
    (and act on) something of the page being left, which a busy machine leaves on screen for longer.
    """
    with page.expect_navigation():
        target.click()


def sign_in(page: Any, email: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


# A phone held upright (the narrowest width pages are laid out for) and a laptop window.
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def page_scroll_width(page: Any) -> int:
    """How wide the page's content is, in CSS pixels (more than the window: the page scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def unstyled_fields(page: Any) -> list[str]:
    """The visible form fields that conformo.css's field rule does not reach (its 1 px grey border)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('main input, main select, main textarea')]
              .filter(e => !['checkbox', 'radio', 'hidden', 'submit', 'button', 'file'].includes(e.type))
              .filter(e => e.offsetParent !== null)
              .filter(e => getComputedStyle(e).borderTopColor !== 'rgb(156, 163, 175)')
              .map(e => e.name || e.id || e.outerHTML.slice(0, 60))"""
        )
    )


def check_folding_menu(page: Any) -> None:
    """On a phone the main menu is folded behind its "Menu" button, which opens and closes it."""
    menu = page.get_by_role("navigation", name="Main")
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
