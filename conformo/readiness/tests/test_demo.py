from __future__ import annotations

import pytest

from conformo.core.actors import SYSTEM
from conformo.core.models import AuditLogEntry
from conformo.home.demo import demo_load
from conformo.readiness.choices import ItemStatus
from conformo.readiness.models import Assessment, Document, Item
from conformo.standards.services import catalog_load_shipped


@pytest.fixture
def demo(db):
    catalog_load_shipped(actor=SYSTEM)
    demo_load()


def test_the_demo_gives_two_clients_assessments_in_progress(demo):
    cobalt = Assessment.objects.get(organization__legal_name="Cobalt Cloud Services Ltd")
    bluewater = Assessment.objects.get(organization__legal_name="Bluewater Logistics B.V.")
    assert [s.code for s in cobalt.standards.all()] == ["iso-iec-27001-2022"]
    assert sorted(s.code for s in bluewater.standards.all()) == ["iso-14001-2015", "iso-45001-2018"]
    answered = Item.objects.filter(assessment=cobalt).exclude(answer__status=ItemStatus.NOT_STARTED)
    assert answered.filter(clause__kind="control", clause__ref="7.8", answer__status=ItemStatus.NOT_APPLICABLE).exists()
    assert answered.filter(clause__kind="clause").count() > 10
    assert Document.objects.filter(organization=cobalt.organization).count() > 5


def test_a_shared_clause_is_answered_once_for_both_standards_in_the_demo(demo):
    bluewater = Assessment.objects.get(organization__legal_name="Bluewater Logistics B.V.")
    policy = Item.objects.filter(assessment=bluewater, clause__ref="5.2").select_related("answer")
    assert policy.count() == 2
    assert len({item.answer_id for item in policy}) == 1
    first = policy.first()
    assert first is not None
    assert first.answer.status != ItemStatus.NOT_STARTED


def test_loading_the_demo_again_changes_no_readiness_work(demo):
    before = (Assessment.objects.count(), AuditLogEntry.objects.count())
    demo_load()
    assert (Assessment.objects.count(), AuditLogEntry.objects.count()) == before
