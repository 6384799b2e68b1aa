"""Every demo user, signed in, follows every link the pages show them and meets no refusal, no dead link and no
server error.

Every page link is followed. Downloads (PDF, ZIP, CSV, XLSX, iCalendar) are rendered once per user and URL shape
(ids replaced): the permission and existence checks run before the rendering, which is what takes the time."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

from conformo.accounts.models import User
from conformo.conftest import login
from conformo.home.demo import demo_load

HREF = re.compile(r'href="([^"]*)"')
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/accounts/logout")
START = ("/", "/inbox/")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]+")


def shape(url: str) -> str:
    """The URL with its ids replaced, so that downloads of the same kind count once."""
    return ID.sub("#", urlsplit(url).path)


def links(body: str) -> set[str]:
    found = set()
    for raw in HREF.findall(body):
        url = urldefrag(unescape(raw)).url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith(SKIP_PREFIXES):
            continue
        found.add(url)
    return found


def crawl(user: User) -> list[tuple[str, int, str]]:
    client = login(user)
    seen: set[str] = set(START)
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in START)
    failures = []
    download_shapes: set[str] = set()
    while queue:
        url, referrer = queue.popleft()
        if shape(url) in download_shapes:
            continue
        response = client.get(url)
        if response.status_code != 200:
            if response.status_code not in (301, 302):
                failures.append((url, response.status_code, referrer))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            download_shapes.add(shape(url))
            continue
        for link in links(response.content.decode()) - seen:
            seen.add(link)
            queue.append((link, url))
    return failures


def test_every_demo_user_meets_no_refusal_and_no_dead_link_on_the_links_they_are_shown(db: Any) -> None:
    result = demo_load()
    problems = {}
    for email, _role in result.logins:
        failures = crawl(User.objects.get(email=email))
        if failures:
            problems[email] = failures
    assert not problems, problems
