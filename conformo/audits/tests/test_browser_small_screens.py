"""An auditor records a finding on a phone-sized screen (390 px), in Chromium: the form fits the screen, its
fields are styled and large enough to touch, and the finding is raised."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from conformo.audits import services
from conformo.audits.tests.test_browser_lifecycle import PASSWORD, on, press
from conformo.core.tests.browser import PHONE, check_folding_menu, page_scroll_width, sign_in, unstyled_fields


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_auditor_raises_a_finding_on_a_phone(
    browser: Any, live_server: Any, stage1: Any, ready: Any, programme_manager: Any
) -> None:
    with on(date(2026, 2, 2)):
        services.audit_start(actor=programme_manager, audit=stage1)
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(15_000)
        tab = context.new_page()
        try:
            sign_in(tab, ready.lead.user.email, PASSWORD)
            tab.goto(f"/cb/audits/{stage1.public_id}/")
            expect(tab.get_by_role("heading", name="Raise a finding")).to_be_visible()
            check_folding_menu(tab)
            assert page_scroll_width(tab) <= PHONE["width"]
            assert unstyled_fields(tab) == []

            statement = tab.get_by_label("Statement")
            box = statement.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]
            for field in (tab.get_by_label("Grade"), statement, tab.get_by_role("button", name="Raise", exact=True)):
                height = field.bounding_box()
                assert height is not None
                assert height["height"] >= 44

            tab.get_by_label("Grade").select_option("area_of_concern")  # stage 1 raises areas of concern
            statement.fill("Calibration labels not yet planned for gauges")
            tab.get_by_label("Objective evidence").fill("Seen at the inspection bench")
            press(tab, "Raise", "Finding raised.")
            expect(tab.get_by_role("cell", name="Calibration labels not yet planned for gauges")).to_be_visible()
            assert page_scroll_width(tab) <= PHONE["width"]
        finally:
            context.close()
