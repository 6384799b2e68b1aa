from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conformo.accounts.models import User
from conformo.core.tests.browser import follow, sign_in
from conformo.home.demo import DEMO_PASSWORD, demo_load
from conformo.inbox.selectors import inbox_count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_demo_user_signs_in_and_reaches_their_dashboard(page):
    demo_load()
    sign_in(page, "admin@northbridge.example", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Northbridge Certification Ltd").first).to_be_visible()
    # My work's count arrives after the page (inbox:count, fetched by htmx into the navigation entry). The test
    # reads the count once the page's requests are over: on SQLite the live server's threads share its connection.
    page.wait_for_load_state("networkidle")
    count = inbox_count(user=User.objects.get(email="admin@northbridge.example"))
    assert count > 0
    expect(page.get_by_role("link", name=f"My work ({count})")).to_be_visible()
    follow(page, page.get_by_role("link", name="Organizations"))
    expect(page.get_by_role("link", name="Acme Precision Parts GmbH")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
