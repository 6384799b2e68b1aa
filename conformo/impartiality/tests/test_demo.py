"""The demo's impartiality register and retention policy: what a quality manager shows an assessor."""

from __future__ import annotations

import pytest

from conformo.accounts.models import User
from conformo.conftest import login
from conformo.home.demo import DEMO_CB_NAME, demo_load
from conformo.impartiality.models import CommitteeMeeting, Threat
from conformo.inbox.choices import ItemKind
from conformo.inbox.selectors import inbox_items
from conformo.organizations.models import CertificationBody
from conformo.retention.selectors import policy_in_force

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reviewed_register_an_overdue_threat_and_a_retention_policy():
    demo_load()
    cb = CertificationBody.objects.get(name=DEMO_CB_NAME)
    assert Threat.objects.filter(certification_body=cb).count() == 4
    meeting = CommitteeMeeting.objects.get(certification_body=cb)
    assert meeting.attendees.count() == 3
    assert meeting.reviews.count() == 3
    admin = User.objects.get(email="admin@northbridge.example")
    overdue = [i for i in inbox_items(user=admin) if i.kind == ItemKind.IMPARTIALITY_REVIEW_DUE]
    assert [i.title for i in overdue] == ["Review “Pressure from a client to close findings early”"]
    assert login(admin).get(overdue[0].url).status_code == 200
    assert all(row.set for row in policy_in_force(cb))
    demo_load()
    assert Threat.objects.filter(certification_body=cb).count() == 4
