"""The responsive layout's rules that templates must keep: every page table scrolls in its own box, no table
is visually hidden by itself (it would still widen the page), and the menu groups the CB's registers."""

from __future__ import annotations

import re
from typing import Any

from conformo.conftest import login
from conformo.core.tests.test_headers import page_templates

TABLE = re.compile(r"<table\b[^>]*>")


def test_every_page_table_sits_in_a_scrolling_box() -> None:
    unwrapped = []
    for path in page_templates():
        text = path.read_text()
        for match in TABLE.finditer(text):
            if 'class="table' not in match.group(0):
                continue
            if not text[: match.start()].endswith('<div class="table-scroll">'):
                unwrapped.append(f"{path.name}:{text[: match.start()].count(chr(10)) + 1}")
    assert unwrapped == []


def test_no_table_is_visually_hidden_by_its_own_class() -> None:
    hidden = [
        path.name
        for path in page_templates()
        for match in TABLE.finditer(path.read_text())
        if "visually-hidden" in match.group(0)
    ]
    assert hidden == []


def test_the_menu_groups_the_certification_bodys_registers_after_the_main_entries(cb_admin: Any) -> None:
    page = login(cb_admin).get("/dashboard/")
    groups = page.context["nav_groups"]
    assert groups[0]["label"] == ""
    assert "Dashboard" in [item["label"] for item in groups[0]["items"]]
    cb_group = next(group for group in groups if group["label"] == "Certification body")
    assert {"Schedule", "Auditors", "Deliveries"} <= {item["label"] for item in cb_group["items"]}
    html = page.content.decode()
    assert 'aria-controls="main-nav account-nav"' in html
    assert f'<ul aria-labelledby="{cb_group["slug"]}">' in html


def test_a_client_sees_no_schedule_in_the_menu(client_admin: Any) -> None:
    groups = login(client_admin).get("/dashboard/").context["nav_groups"]
    labels = {item["label"] for group in groups for item in group["items"]}
    assert "Schedule" not in labels
    assert "Auditors" not in labels
