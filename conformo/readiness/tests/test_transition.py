"""Transition assessments: an ISO/IEC 27001:2013 assessment moved to the 2022 edition across the shipped map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from conformo.conftest import login, token_client
from conformo.core.actors import SYSTEM
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.readiness.choices import TransitionState
from conformo.readiness.models import Evidence, Item
from conformo.readiness.selectors import transition_deadline, transition_progress
from conformo.readiness.services import (
    answer_confirm,
    assessment_create,
    assessment_transition,
    evidence_add,
    item_answer,
)
from conformo.standards.models import ClauseKind, Standard
from conformo.standards.services import catalog_load_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(db: Any) -> dict[str, Standard]:
    catalogs = Path(settings.BASE_DIR) / "catalogs"
    paths: list[Path | str] = [catalogs / "iso-iec-27001-2013.yaml", catalogs / "iso-iec-27001-2022.yaml"]
    catalog_load_paths(actor=SYSTEM, paths=paths)
    return {(s.edition_year and str(s.edition_year)) or s.code: s for s in Standard.objects.all()}


def _item(assessment: Any, ref: str, kind: str = ClauseKind.CONTROL) -> Item:
    return Item.objects.select_related("answer", "clause", "assessment").get(
        assessment=assessment, clause__ref=ref, clause__kind=kind
    )


@pytest.fixture
def old(client_admin: Any, acme: Any, editions: dict[str, Standard]) -> Any:
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[editions["2013"]])
    item_answer(actor=client_admin, item=_item(assessment, "6.1.2"), status="implemented", notes="RACI chart")
    item_answer(actor=client_admin, item=_item(assessment, "8.1.1"), status="implemented")
    item_answer(actor=client_admin, item=_item(assessment, "8.1.2"), status="planned")
    item_answer(
        actor=client_admin,
        item=_item(assessment, "14.2.7"),
        status="not_applicable",
        justification="No outsourced development.",
    )
    item_answer(actor=client_admin, item=_item(assessment, "10.1", ClauseKind.CLAUSE), status="partial")
    evidence_add(actor=client_admin, item=_item(assessment, "8.1.1"), label="Asset register", url="https://x.test/a")
    evidence_add(actor=client_admin, item=_item(assessment, "8.1.2"), label="Owners", url="https://x.test/o")
    return assessment


def test_answers_and_evidence_cross_the_succession_map_in_a_bounded_number_of_queries(
    client_admin: Any, old: Any, editions: dict[str, Standard], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        new = assessment_transition(actor=client_admin, assessment=old, standard=editions["2022"])
    assert [s.code for s in new.standards.all()] == ["iso-iec-27001-2022"]
    assert (new.previous, new.replaced_edition) == (old, editions["2013"])
    assert new.items.filter(clause__kind=ClauseKind.CONTROL).count() == 93
    # A.6.1.2 → A.5.3, one to one: carried over, to confirm
    segregation = _item(new, "5.3").answer
    assert (segregation.status, segregation.notes) == ("implemented", "RACI chart")
    assert segregation.transition_state == TransitionState.TO_CONFIRM
    assert segregation.carried_from == [{"ref": "A.6.1.2", "status": "implemented"}]
    # A.8.1.1 + A.8.1.2 → A.5.9, merged: to review, from the weaker status, with both evidence links
    inventory = _item(new, "5.9").answer
    assert (inventory.status, inventory.transition_state) == ("planned", TransitionState.TO_REVIEW)
    assert [c["ref"] for c in inventory.carried_from] == ["A.8.1.1", "A.8.1.2"]
    assert sorted(Evidence.objects.filter(answer=inventory).values_list("label", flat=True)) == [
        "Asset register",
        "Owners",
    ]
    # the SoA follows: A.14.2.7 → A.8.30 stays not applicable with its justification
    outsourced = _item(new, "8.30").answer
    assert (outsourced.status, outsourced.justification) == ("not_applicable", "No outsourced development.")
    # a new control starts open; clause 10.1 of 2013 is 10.2 in 2022
    assert _item(new, "5.7").answer.transition_state == TransitionState.OPEN
    assert _item(new, "5.7").answer.status == "not_started"
    assert _item(new, "10.2", ClauseKind.CLAUSE).answer.status == "partial"
    assert new.dropped == []
    assert AuditLogEntry.objects.filter(action="readiness.assessment.transition", object_id=str(new.pk)).exists()


def test_progress_counts_each_state_and_confirming_or_answering_settles_an_item(
    client_admin: Any, old: Any, editions: dict[str, Standard]
) -> None:
    new = assessment_transition(actor=client_admin, assessment=old, standard=editions["2022"])
    before = transition_progress(assessment=new)
    assert before.open == 11 + 1  # 11 new controls and clause 6.3
    assert before.confirmed == 0
    assert before.total == new.items.count()
    answer_confirm(actor=client_admin, item=_item(new, "5.3"))
    item_answer(actor=client_admin, item=_item(new, "5.9"), status="partial")
    item_answer(actor=client_admin, item=_item(new, "5.7"), status="planned")
    after = transition_progress(assessment=new)
    assert after.confirmed == 3
    assert (after.to_confirm, after.to_review, after.open) == (
        before.to_confirm - 1,
        before.to_review - 1,
        before.open - 1,
    )
    with pytest.raises(Conflict):
        answer_confirm(actor=client_admin, item=_item(new, "5.3"))
    assert str(transition_deadline(organization=new.organization, standard=editions["2022"])) == "2025-10-31"


def test_only_a_new_edition_of_a_covered_standard_is_accepted_and_nothing_is_written(
    client_admin: Any, old: Any, editions: dict[str, Standard]
) -> None:
    count = Item.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        assessment_transition(actor=client_admin, assessment=old, standard=editions["2013"])
    assert "standard" in caught.value.fields
    assert Item.objects.count() == count


def test_a_member_who_cannot_manage_may_not_start_a_transition(
    client_member: Any, old: Any, editions: dict[str, Standard]
) -> None:
    with pytest.raises(PermissionDenied):
        assessment_transition(actor=client_member, assessment=old, standard=editions["2022"])


def test_the_pages_offer_the_move_create_it_show_progress_and_confirm_a_row(
    client_admin: Any, old: Any, editions: dict[str, Standard], django_assert_max_num_queries: Any
) -> None:
    client = login(client_admin)
    detail = client.get(reverse("readiness:assessment-detail", args=[old.public_id]))
    move = reverse("readiness:assessment-transition", args=[old.public_id])
    assert move in detail.content.decode()
    assert client.get(move).status_code == 200
    refused = client.post(move, {"standard": "iso-iec-27001-2013"})
    assert refused.status_code == 422
    created = client.post(move, {"standard": "iso-iec-27001-2022", "title": ""})
    assert created.status_code == 302
    new = old.reruns.get()
    with django_assert_max_num_queries(30):
        page = client.get(created["Location"]).content.decode()
    assert "carried over, to confirm" in page
    assert "Merged or split from A.8.1.1 (Implemented), A.8.1.2 (Planned)" in page
    assert "Transition ends" in page
    assert "2025-10-31" in page
    item = _item(new, "5.3")
    confirm = reverse("readiness:item-confirm", args=[new.public_id, item.pk])
    row = client.post(confirm, HTTP_HX_REQUEST="true").content.decode()
    assert "Confirmed; from A.6.1.2" in row
    item.answer.refresh_from_db()
    assert item.answer.transition_state == TransitionState.CONFIRMED
    dashboard = client.get(reverse("readiness:dashboard", args=[old.organization.public_id])).content.decode()
    assert "Transition to ISO/IEC 27001:2022" in dashboard
    assert "Confirmed: 1 of" in dashboard


def test_a_member_sees_neither_the_move_nor_may_post_it(client_member: Any, old: Any) -> None:
    client = login(client_member)
    move = reverse("readiness:assessment-transition", args=[old.public_id])
    assert move not in client.get(reverse("readiness:assessment-detail", args=[old.public_id])).content.decode()
    assert client.post(move, {"standard": "iso-iec-27001-2022"}).status_code == 403


def test_the_api_moves_an_assessment_reports_progress_and_confirms_an_item(
    client_admin: Any, old: Any, editions: dict[str, Standard]
) -> None:
    api, _ = token_client(client_admin)
    url = f"/api/v1/assessments/{old.public_id}/transition"
    bad = api.post(url, {"standard": "iso-99999-2024"}, content_type="application/json")
    assert bad.status_code == 422
    assert "standard" in bad.json()["fields"]
    assert api.get(url).status_code == 404  # not a transition assessment
    created = api.post(url, {"standard": "iso-iec-27001-2022"}, content_type="application/json")
    assert created.status_code == 201
    new_id = created.json()["id"]
    assert created.json()["previous_id"] == str(old.public_id)
    progress = api.get(f"/api/v1/assessments/{new_id}/transition").json()
    assert (progress["replaced_edition"], progress["standard"], progress["deadline"]) == (
        "iso-iec-27001-2013",
        "iso-iec-27001-2022",
        "2025-10-31",
    )
    assert progress["open"] == 12
    rows = api.get(f"/api/v1/assessments/{new_id}/items?standard=iso-iec-27001-2022&page_size=200").json()["items"]
    row = next(r for r in rows if r["kind"] == "control" and r["ref"] == "5.3")
    assert (row["transition_state"], row["carried_from"]) == (
        "to_confirm",
        [{"ref": "A.6.1.2", "status": "implemented"}],
    )
    confirmed = api.post(f"/api/v1/assessments/{new_id}/items/{row['id']}/confirm")
    assert confirmed.json()["transition_state"] == "confirmed"
    again = api.post(f"/api/v1/assessments/{new_id}/items/{row['id']}/confirm")
    assert (again.status_code, again.json()["code"]) == (409, "nothing_to_confirm")
