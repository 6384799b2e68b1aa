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
    bluewater = Assessment.objects.get(
        organization__legal_name="Bluewater Logistics B.V.", replaced_edition__isnull=True
    )
    assert [s.code for s in cobalt.standards.all()] == ["iso-iec-27001-2022"]
    assert sorted(s.code for s in bluewater.standards.all()) == ["iso-14001-2015", "iso-45001-2018"]
    answered = Item.objects.filter(assessment=cobalt).exclude(answer__status=ItemStatus.NOT_STARTED)
    assert answered.filter(clause__kind="control", clause__ref="7.8", answer__status=ItemStatus.NOT_APPLICABLE).exists()
    assert answered.filter(clause__kind="clause").count() > 10
    assert Document.objects.filter(organization=cobalt.organization).count() > 5


def test_a_shared_clause_is_answered_once_for_both_standards_in_the_demo(demo):
    bluewater = Assessment.objects.get(
        organization__legal_name="Bluewater Logistics B.V.", replaced_edition__isnull=True
    )
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


def test_bluewater_has_a_transition_assessment_in_progress_on_the_made_up_demo_edition(demo):
    from conformo.readiness.choices import TransitionState
    from conformo.readiness.selectors import transition_deadline, transition_progress

    moved = Assessment.objects.get(organization__legal_name="Bluewater Logistics B.V.", replaced_edition__isnull=False)
    assert moved.replaced_edition is not None
    assert moved.replaced_edition.code == "iso-14001-2015"
    assert sorted(s.code for s in moved.standards.all()) == ["example-iso-14001-2026", "iso-45001-2018"]
    progress = transition_progress(assessment=moved)
    assert progress.confirmed >= 6
    assert progress.to_confirm > 10
    assert progress.open >= 1
    assert [d["ref"] for d in moved.dropped] == ["10.1"]
    carried = Item.objects.get(assessment=moved, clause__standard__code="example-iso-14001-2026", clause__ref="10.1")
    assert carried.answer.carried_from[0]["ref"] == "10.3"
    assert carried.answer.transition_state in (TransitionState.TO_CONFIRM, TransitionState.CONFIRMED)
    edition = moved.standards.get(code="example-iso-14001-2026")
    assert "made-up" in edition.designation
    assert str(transition_deadline(organization=moved.organization, standard=edition)) == "2029-04-15"
