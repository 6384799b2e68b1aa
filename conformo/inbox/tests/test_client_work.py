"""My work of a client: findings to answer, audit plans to accept, documents, corrective and review actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conformo.audits import services
from conformo.core.roles import Role
from conformo.improvement.services import corrective_action_complete, corrective_action_set, nonconformity_raise
from conformo.inbox.choices import ItemKind
from conformo.inbox.tests.helpers import agrees, items, kinds, only
from conformo.readiness.services import document_create, management_review_create, review_action_add

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 4)


def test_the_client_answers_an_open_nonconformity_by_its_response_date(open_minor, client_admin, client_member):
    for user in (client_admin, client_member):
        item = only(user, open_minor.raised_on, ItemKind.FINDING_RESPONSE_DUE)
        assert item.due == open_minor.response_due
        assert item.url == f"/cb/findings/{open_minor.public_id}/"
        assert (item.audit, item.organization) == ("Stage 2", "Acme Precision Parts")
        assert item.title.startswith(f"Answer {open_minor.reference} (minor nonconformity)")
    assert only(client_member, open_minor.raised_on, ItemKind.FINDING_RESPONSE_DUE).role == Role.CLIENT_MEMBER
    assert not only(client_admin, open_minor.response_due, ItemKind.FINDING_RESPONSE_DUE).overdue
    late = open_minor.response_due + timedelta(days=1)
    assert only(client_admin, late, ItemKind.FINDING_RESPONSE_DUE).overdue


def test_an_answered_finding_leaves_the_clients_list_and_a_rejection_brings_it_back(open_minor, client_admin, ready):
    today = open_minor.raised_on
    response = services.finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="Template", corrective_action="Fixed"
    )
    assert kinds(client_admin, today) == []
    services.finding_response_review(actor=ready.lead.user, response=response, accept=False, comment="No evidence")
    assert kinds(client_admin, today) == [ItemKind.FINDING_RESPONSE_DUE]


def test_the_client_administrator_accepts_the_issued_plan(issued, client_admin, client_member, bluewater, acme):
    item = only(client_admin, date(2026, 1, 20), ItemKind.PLAN_TO_ACCEPT)
    assert item.title == "Accept version 1 of the audit plan, or object to a team member"
    assert item.due == date(2026, 2, 2)
    assert item.url == f"/cb/audits/{issued.audit.public_id}/#audit-plan"
    assert kinds(client_member, date(2026, 1, 20)) == []
    services.plan_accept(actor=client_admin, audit=issued.audit)
    assert kinds(client_admin, date(2026, 1, 20)) == []


def test_documents_due_within_thirty_days_wait_for_the_admin_and_their_owner(acme, client_admin, client_member):
    def add(title, due, owner=None):
        return document_create(actor=client_admin, organization=acme, title=title, owner=owner, review_due=due)

    mine = add("Quality policy", TODAY + timedelta(days=10), owner=client_member)
    add("Supplier list", TODAY - timedelta(days=3))
    add("Calibration plan", TODAY + timedelta(days=31))
    add("Org chart", None)
    admin_items = [(i.title, i.overdue) for i in items(client_admin, TODAY)]
    assert admin_items == [("Review “Supplier list”", True), ("Review “Quality policy”", False)]
    item = only(client_member, TODAY, ItemKind.DOCUMENT_REVIEW_DUE)
    assert item.url == f"/readiness/documents/{mine.public_id}/"
    assert item.due == TODAY + timedelta(days=10)


def test_corrective_actions_wait_to_be_planned_then_done(acme, client_admin, client_member):
    nc = nonconformity_raise(
        actor=client_admin, organization=acme, source="internal_audit", grade="minor", title="Gauge out of date"
    )
    assert only(client_admin, TODAY, ItemKind.CORRECTIVE_ACTION_TO_PLAN).url == f"/improvement/{nc.public_id}/"
    assert kinds(client_member, TODAY) == []
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="No recall list",
        action="Recall list kept",
        due_date=TODAY + timedelta(days=7),
        owner=client_member,
    )
    for user in (client_admin, client_member):
        item = only(user, TODAY, ItemKind.CORRECTIVE_ACTION_DUE)
        assert item.title == "Complete the corrective action for NC-1 “Gauge out of date”"
        assert item.due == TODAY + timedelta(days=7)
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=TODAY)
    assert kinds(client_admin, TODAY) == []


def test_an_observation_needs_no_corrective_action(acme, client_admin):
    nonconformity_raise(
        actor=client_admin, organization=acme, source="incident", grade="observation", title="Could label better"
    )
    assert kinds(client_admin, TODAY) == []


def test_open_management_review_actions_wait_for_the_admin_and_their_owner(acme, client_admin, client_member, ready):
    review = management_review_create(actor=client_admin, organization=acme, title="Review 2026", standards=[ready.qms])
    review_action_add(actor=client_admin, review=review, description="Hire a second inspector", due_date=TODAY)
    review_action_add(actor=client_admin, review=review, description="Update the policy", owner=client_member)
    assert [i.title for i in items(client_admin, TODAY)] == [
        "Hire a second inspector (management review “Review 2026”)",
        "Update the policy (management review “Review 2026”)",
    ]
    assert only(client_member, TODAY, ItemKind.REVIEW_ACTION_DUE).due is None


def test_another_organization_sees_none_of_it(open_minor, acme, client_admin, other_client_admin):
    document_create(actor=client_admin, organization=acme, title="Policy", review_due=TODAY)
    assert items(other_client_admin, open_minor.raised_on) == []
    assert items(other_client_admin, TODAY) == []


def test_the_cb_reading_a_shared_readiness_is_not_asked_to_review_its_documents(acme, client_admin, programme_manager):
    acme.client_relationships.update(shares_readiness=True)
    document_create(actor=client_admin, organization=acme, title="Policy", review_due=TODAY)
    assert kinds(programme_manager, TODAY) == []


def test_the_clients_count_is_the_number_of_its_items(open_minor, acme, client_admin, client_member):
    document_create(actor=client_admin, organization=acme, title="Policy", review_due=TODAY, owner=client_member)
    for user in (client_admin, client_member):
        assert agrees(user, open_minor.raised_on)
        assert len(items(user, open_minor.raised_on)) == 2


def test_nothing_waits_on_a_refused_certification(open_minor, client_admin, decision_maker):
    from conformo.certification.services import decision_take

    assert kinds(client_admin, open_minor.raised_on) == [ItemKind.FINDING_RESPONSE_DUE]
    certification = open_minor.audit.programme.certification
    decision_take(actor=decision_maker, certification=certification, kind="refuse", reason="Major gaps remain")
    assert kinds(client_admin, open_minor.raised_on) == []
