"""A certification decision is told to the client and the CB's office once: by the certificate when it issues,
suspends or withdraws one, else as a decision. A restoration can put a renewal report back in the queue. A
suspension or withdrawal repeats what the client must do about marks (its accepted agreement)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.factories import AGREEMENT_TEXTS
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import issue_report, team
from conformo.conftest import login
from conformo.core.roles import Role
from conformo.core.tests.factories import MembershipFactory, UserFactory
from conformo.notifications.kinds import Kind
from conformo.notifications.models import Notice

pytestmark = pytest.mark.django_db


def told(kind):
    return {n.address: n for n in Notice.objects.filter(kind=kind).select_related("recipient")}


@pytest.fixture
def people(client_admin, client_member, cb_admin, programme_manager):
    """The client and the CB's office, made before the decisions."""
    return {client_admin.email, client_member.email, cb_admin.email, programme_manager.email}


def test_a_refusal_is_told_as_a_decision_with_its_reason_and_the_certifications_page(
    people, stage1_done, decision_maker
):
    certification = stage1_done.certification
    decision_take(actor=decision_maker, certification=certification, kind="refuse", reason="System not implemented")
    decided = told(Kind.DECISION_TAKEN)
    assert set(decided) == people  # not the decision maker who took it
    notice = decided["quality@acme.test"]
    assert notice.subject == "Certification decision — refuse: Acme Precision Parts"
    assert "Reason: System not implemented" in notice.lines
    assert notice.lines[-1] == "The certification is now: refused."
    assert notice.link == f"/certification/{certification.public_id}/"
    for recipient in ("quality@acme.test", "programme@northbridge.test"):
        assert login(decided[recipient].recipient).get(notice.link).status_code == 200


def test_a_grant_is_told_once_by_its_certificate_not_again_as_a_decision(people, granted):
    assert told(Kind.DECISION_TAKEN) == {}
    assert set(told(Kind.CERTIFICATE_ISSUED)) == people


def test_a_restoration_is_told_as_a_decision_and_the_suspension_by_the_certificate(people, granted, decision_maker):
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="suspend",
        reason="Client request",
        decided_on=date(2026, 6, 1),
    )
    decision_take(
        actor=decision_maker, certification=granted, kind="restore", issue_resolved=True, decided_on=date(2026, 7, 1)
    )
    assert set(told(Kind.CERTIFICATE_SUSPENDED)) == people
    restored = told(Kind.DECISION_TAKEN)
    assert set(restored) == people
    assert restored["quality@acme.test"].subject == "Certification decision — restore: Acme Precision Parts"


def test_a_renewal_report_issued_while_suspended_reaches_the_queue_when_the_certification_is_restored(
    granted, ready, cb, programme_manager, decision_maker
):
    colleague = UserFactory.create(email="second-decision@northbridge.test")
    MembershipFactory.create(user=colleague, role=Role.DECISION_MAKER, certification_body=cb)
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="suspend",
        reason="Client request",
        decided_on=date(2028, 12, 1),
    )
    recertification = granted.programmes.get().audits.get(kind=AuditKind.RECERTIFICATION)
    with time_machine.travel(date(2029, 1, 10), tick=False):
        services.audit_plan(
            actor=programme_manager,
            audit=recertification,
            planned_start=date(2029, 1, 10),
            planned_end=date(2029, 1, 11),
        )
        services.audit_team_assign(actor=programme_manager, audit=recertification, members=team(ready))
        services.audit_start(actor=programme_manager, audit=recertification)
        services.audit_complete(actor=programme_manager, audit=recertification)
        report = issue_report(
            recertification, ready.lead.user, recommendation="renew", surveillance_review="Both surveillances held"
        )
    renewal = Notice.objects.filter(kind=Kind.DECISION_AWAITING, key=f"report:{report.pk}:awaiting-decision")
    assert not renewal.exists()  # a suspended certification is not renewed
    decision_take(
        actor=decision_maker, certification=granted, kind="restore", issue_resolved=True, decided_on=date(2029, 1, 20)
    )
    [notice] = renewal
    assert notice.recipient == colleague  # the decision maker who restored it knows already
    assert notice.subject == "Awaiting your decision: renewal for Acme Precision Parts"


def test_a_suspension_and_a_withdrawal_tell_the_mark_use_duty_of_the_accepted_agreement(
    people, granted, decision_maker
):
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="suspend",
        reason="Client request",
        decided_on=date(2026, 6, 1),
    )
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="withdraw",
        reason="Not resolved",
        decided_on=date(2026, 7, 1),
    )
    duty = f"Use of marks and references to certification: {AGREEMENT_TEXTS['suspension_duties']}"
    for kind in (Kind.CERTIFICATE_SUSPENDED, Kind.CERTIFICATE_WITHDRAWN):
        notice = told(kind)["quality@acme.test"]
        assert any(line.startswith(duty) for line in notice.lines), notice.lines
    assert "Certification agreement" in told(Kind.CERTIFICATE_WITHDRAWN)["quality@acme.test"].lines[-1]
