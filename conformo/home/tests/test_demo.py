"""After `conformo demo`, every demo user has been told of some work (the services tell as they go), and loading
again tells nobody anything more."""

from __future__ import annotations

from typing import Any

from conformo.conftest import login, recipient_of
from conformo.home.demo import demo_load
from conformo.notifications.models import Notice


def test_every_demo_user_is_told_of_work_that_waits_for_them_on_a_page_they_may_open(db: Any) -> None:
    result = demo_load()
    emails = [email for email, _ in result.logins]
    assert len(emails) == 11  # README's table of demo logins
    for email in emails:
        notices = list(Notice.objects.filter(recipient__email=email).select_related("recipient"))
        assert notices, f"{email} was told of nothing"
        client = login(recipient_of(notices[0]))
        for link in {n.link for n in notices}:
            assert client.get(link).status_code == 200, (email, link)
    assert set(
        Notice.objects.filter(recipient__email="decision@northbridge.example").values_list("kind", flat=True)
    ) == {"decision_awaiting"}
    assert Notice.objects.filter(recipient__email="expert@northbridge.example", kind="team_assigned").exists()


def test_loading_the_demo_again_tells_nobody_anything_more(db: Any) -> None:
    demo_load()
    count = Notice.objects.count()
    demo_load()
    assert Notice.objects.count() == count
