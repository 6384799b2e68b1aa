"""The navigation marks the one entry a page belongs to (`aria-current="page"`): the longest address the path
starts with, so a page under /cb/figures/ marks "Figures" and not also the workspace at /cb/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformo.conftest import login

pytestmark = pytest.mark.django_db


def current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', html)


def test_one_entry_is_current_the_longest_match(cb_admin: Any) -> None:
    client = login(cb_admin)
    assert current(client.get("/cb/figures/").content.decode()) == ["/cb/figures/"]
    assert current(client.get("/cb/").content.decode()) == ["/cb/"]
    assert current(client.get("/cb/audits/").content.decode()) == ["/cb/audits/"]
