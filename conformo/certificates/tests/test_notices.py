"""A certificate issued, re-issued, suspended or withdrawn is told to the client and the CB's office, once per
change, with the certificate's page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conformo.certificates.models import Certificate
from conformo.certificates.services import certificate_apply_decision
from conformo.certificates.tests.conftest import decide, issue
from conformo.certification.models import Certification
from conformo.conftest import login, recipient_of
from conformo.notifications.kinds import Kind
from conformo.notifications.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(client_admin: Any, client_member: Any, cb_admin: Any, programme_manager: Any, auditor: Any) -> set[str]:
    """The client and the CB's office (and an auditor, who is not told), made before the certificate."""
    return {client_admin.email, client_member.email, cb_admin.email, programme_manager.email}


def told(kind: str) -> list[Notice]:
    return list(Notice.objects.filter(kind=kind).select_related("recipient").order_by("created_at", "pk"))


def test_an_issued_certificate_is_told_to_the_client_and_the_cb_office_with_its_page(
    people: set[str], other_client_admin: Any, granted: Certificate, certification: Certification
) -> None:
    notices = told(Kind.CERTIFICATE_ISSUED)
    assert {n.address for n in notices} == people  # not the decision maker who acted, not the auditor
    for notice in notices:
        assert notice.subject == "Certificate NBC-2026-00001 issued: Acme Precision Parts"
        assert notice.link == "/certificates/NBC-2026-00001/"
        assert (notice.certification_body_id, notice.organization_id) == (
            certification.certification_body_id,
            certification.organization_id,
        )
        assert login(recipient_of(notice)).get(notice.link).status_code == 200
    assert "valid until 2029-03-01" in notices[0].lines[0]


def test_a_re_issue_is_told_as_the_new_revision(
    people: set[str], granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    issue(certification, "reduce_scope", date(2026, 6, 1), decision_maker, scope="Machining (Stuttgart only)")
    reissued = [n for n in told(Kind.CERTIFICATE_ISSUED) if "re-issued" in n.subject]
    assert {n.address for n in reissued} == people
    assert reissued[0].link == "/certificates/NBC-2026-00001-R1/"
    assert "re-issued (revision 1)" in reissued[0].lines[0]
    assert "Scope: Machining (Stuttgart only)" in reissued[0].lines


def test_each_suspension_and_the_withdrawal_are_told_and_a_restoration_is_not_told_here(
    people: set[str], granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    issue(certification, "suspend", date(2026, 5, 1), decision_maker, state_after="suspended", reason="No audit")
    issue(certification, "restore", date(2026, 6, 1), decision_maker)
    issue(certification, "suspend", date(2026, 7, 1), decision_maker, state_after="suspended", reason="Again")
    issue(certification, "withdraw", date(2026, 9, 1), decision_maker, state_after="withdrawn", reason="Unresolved")
    suspended = told(Kind.CERTIFICATE_SUSPENDED)
    assert len(suspended) == 2 * len(people)
    assert {tuple(n.lines[:2]) for n in suspended} == {
        ("Certificate NBC-2026-00001 is suspended from 2026-05-01.", "Reason: No audit"),
        ("Certificate NBC-2026-00001 is suspended from 2026-07-01.", "Reason: Again"),
    }
    withdrawn = told(Kind.CERTIFICATE_WITHDRAWN)
    assert {n.address for n in withdrawn} == people
    assert withdrawn[0].subject == "Certificate NBC-2026-00001 withdrawn: Acme Precision Parts"
    assert Notice.objects.count() == 4 * len(people)  # issued, suspended twice, withdrawn; the restoration: nothing


def test_applying_the_same_decision_again_tells_nobody_twice(
    people: set[str], granted: Certificate, certification: Certification, decision_maker: Any
) -> None:
    decision = decide(certification, "suspend", date(2026, 5, 1), decision_maker, state_after="suspended", reason="x")
    certificate_apply_decision(decision=decision, actor=decision_maker)
    certificate_apply_decision(decision=decision, actor=decision_maker)
    assert len(told(Kind.CERTIFICATE_SUSPENDED)) == len(people)
