"""Phones, tablets and laptops, in Chromium on the demo data: the verification page and a list at 390 px
(folded menu, nothing wider than the screen, a wide table scrolling in its own box), and the readiness
dashboard within a 1,280 px window and on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conformo.core.tests.browser import (
    LAPTOP,
    PHONE,
    check_folding_menu,
    page_scroll_width,
    sign_in,
    unstyled_fields,
)
from conformo.home.demo import DEMO_PASSWORD, demo_load


def _tab(browser: Any, live_server: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_verify_page_a_list_and_the_dashboard_fit_phones_and_laptops(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    demo_load()

    # Anyone checks a certificate on a phone: the search form and the verdict fit the screen.
    visitor = _tab(browser, live_server, PHONE)
    try:
        visitor.goto("/registry")
        check_folding_menu(visitor)
        assert unstyled_fields(visitor) == []
        visitor.get_by_label("Certificate number or company name").fill("delta logistica")
        visitor.get_by_role("button", name="Search").click()
        visitor.wait_for_url(re.compile(r"/registry\?q="))
        assert page_scroll_width(visitor) <= PHONE["width"]
        visitor.locator(".table-scroll").get_by_role("link").first.click()
        visitor.wait_for_url("**/verify/**")
        expect(visitor.get_by_role("status")).to_contain_text("NOT VALID")
        assert page_scroll_width(visitor) <= PHONE["width"]
        verdict = visitor.get_by_role("status").bounding_box()
        assert verdict is not None
        assert verdict["x"] >= 0
        assert verdict["x"] + verdict["width"] <= PHONE["width"]
    finally:
        visitor.context.close()

    # The CB's certificate list on a phone: the table scrolls sideways inside its box, the page does not.
    admin = _tab(browser, live_server, PHONE)
    try:
        admin.goto("/accounts/login/")
        admin.get_by_label("Email").fill("admin@northbridge.example")
        admin.get_by_label("Password").fill(DEMO_PASSWORD)
        admin.get_by_role("button", name="Sign in").click()
        admin.wait_for_url("**/dashboard/")
        check_folding_menu(admin)
        admin.get_by_role("button", name="Menu").click()
        admin.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates", exact=True).click()
        admin.wait_for_url("**/certificates/")
        box = admin.locator(".table-scroll").first
        expect(box.locator("tbody tr").first).to_be_visible()
        assert page_scroll_width(admin) <= PHONE["width"]
        sizes = box.evaluate("e => [e.clientWidth, e.scrollWidth, getComputedStyle(e).overflowX]")
        assert sizes[0] <= PHONE["width"]
        assert sizes[2] == "auto"
        last_header = box.locator("thead th").last
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        header = last_header.bounding_box()
        assert header is not None
        assert header["x"] + header["width"] <= PHONE["width"] + 1
    finally:
        admin.context.close()

    # The client's readiness dashboard: within a laptop window, and on a phone.
    client = _tab(browser, live_server, LAPTOP)
    try:
        sign_in(client, "ehs@bluewater.example", DEMO_PASSWORD)
        client.goto("/readiness/")
        expect(client.get_by_role("heading", name="Readiness per standard")).to_be_visible()
        assert page_scroll_width(client) <= LAPTOP["width"]
        chart_text = client.locator("svg.chart text").first
        rendered = chart_text.evaluate("e => e.getBoundingClientRect().height")
        assert rendered >= 12
        client.set_viewport_size(PHONE)
        client.reload()
        expect(client.get_by_role("heading", name="Readiness per standard")).to_be_visible()
        assert page_scroll_width(client) <= PHONE["width"]
        check_folding_menu(client)
    finally:
        client.context.close()
