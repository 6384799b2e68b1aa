"""Every demo user finds work waiting in My work."""

from __future__ import annotations

import pytest

from conformo.accounts.models import User
from conformo.home.demo import demo_load
from conformo.improvement.models import Nonconformity
from conformo.inbox.choices import ItemKind
from conformo.inbox.selectors import inbox_count, inbox_items

pytestmark = pytest.mark.django_db


def test_every_demo_user_has_work_waiting():
    emails = [email for email, _ in demo_load().logins]  # README's table of demo logins
    assert len(emails) == 11
    for email in emails:
        listed = inbox_items(user=User.objects.get(email=email))
        assert listed, f"{email} has nothing in My work"
        assert inbox_count(user=User.objects.get(email=email)) == len(listed)


def test_the_demo_gives_the_members_and_the_technical_expert_their_own_work():
    demo_load()

    def kinds(email):
        return {item.kind for item in inbox_items(user=User.objects.get(email=email))}

    assert kinds("staff@acme.example") == {ItemKind.CORRECTIVE_ACTION_DUE}
    assert kinds("engineer@cobalt.example") == {ItemKind.DOCUMENT_REVIEW_DUE}
    assert kinds("expert@northbridge.example") == {ItemKind.AUDIT_TO_PREPARE}


def test_loading_the_demo_twice_adds_no_second_nonconformity():
    demo_load()
    demo_load()
    assert Nonconformity.objects.count() == 1
