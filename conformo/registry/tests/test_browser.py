"""An anonymous visitor checks a certificate in a real browser: search by company name (without its
accents), open the verification page, read the status in large type; an unknown number gives the 404 page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformo.home.demo import demo_load


def _font_px(page: Any, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_finds_a_certificate_by_name_and_sees_its_status_large(page: Any, settings: Any) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    demo_load()  # Delta Logística S.A.: ISO 14001 granted three years ago, never renewed

    page.goto("/registry")
    page.get_by_label("Certificate number or company name").fill("DELTA logistica")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/registry\?q=DELTA"))
    assert page.get_by_role("heading", name="1 certificate found").is_visible()
    results = page.get_by_role("table")
    assert results.get_by_text("Delta Logística S.A.").is_visible()
    assert results.get_by_text("ISO 14001:2015").is_visible()
    number = results.get_by_role("link").first.inner_text()
    assert re.fullmatch(r"NBC-\d{4}-\d{5}", number)

    results.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/verify/{number}")
    assert page.get_by_role("heading", name=number, level=1).is_visible()
    verdict = page.get_by_role("status")
    assert verdict.get_attribute("data-status") == "expired"
    assert verdict.get_by_text("EXPIRED — NOT VALID").is_visible()
    assert _font_px(page, ".verdict-label") >= 1.5 * _font_px(page, ".facts dd")  # larger than anything else
    assert page.get_by_text("Delta Logística S.A. (ES)").is_visible()

    # A suspended and a withdrawn certificate read as not valid, each in its own words.
    for name, label in (("echo engineering", "SUSPENDED — NOT VALID"), ("foxtrot", "WITHDRAWN — NOT VALID")):
        page.goto("/registry")
        page.get_by_label("Certificate number or company name").fill(name)
        page.get_by_role("button", name="Search").click()
        page.get_by_role("table").get_by_role("link").first.click()
        page.wait_for_url("**/verify/**")
        assert page.get_by_role("status").get_by_text(label).is_visible()

    response = page.goto("/verify/NBC-1999-99999")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", name="No certificate NBC-1999-99999").is_visible()
    assert page.get_by_role("link", name="Search the registry").is_visible()
