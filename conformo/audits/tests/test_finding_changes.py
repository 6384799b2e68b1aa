"""Findings before the report is issued: the lead auditor or the member who raised one corrects or withdraws
it until the audit's report is issued (logged before/after); a nonconformity cites a clause or a control; and
references are unambiguous, so Annex A control A.5.1 and clause 5.1 of ISO/IEC 27001 are both citable."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Finding
from conformo.audits.tests.conftest import audit_of, issue_report
from conformo.certification.services import decision_take
from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.standards.models import Clause, ClauseKind, Standard

API = "/api/v1"
ISMS = "iso-iec-27001-2022"


def post(user: Any, path: str, body: dict[str, Any]) -> Any:
    client, _ = token_client(user)
    return client.post(API + path, json.dumps(body), content_type="application/json")


@pytest.fixture
def isms(open_minor: Finding) -> Standard:
    """ISO/IEC 27001 in the programme's scope, with clause 5.1 and Annex A control 5.1 (same number)."""
    standard = Standard.objects.create(code=ISMS, designation="ISO/IEC 27001:2022", title="ISMS")
    Clause.objects.create(standard=standard, kind=ClauseKind.CLAUSE, ref="5.1", title="Leadership and commitment")
    Clause.objects.create(
        standard=standard, kind=ClauseKind.CONTROL, ref="5.1", title="Policies for information security"
    )
    open_minor.audit.programme.standards.add(standard)
    return standard


@pytest.fixture
def by_auditor(open_minor: Finding, ready: Any) -> Finding:
    """An opportunity for improvement raised by the team's (non-lead) auditor at the same stage 2."""
    return services.finding_raise(actor=ready.auditor.user, audit=open_minor.audit, grade="ofi", statement="Could")


# --- the service --------------------------------------------------------------------------------------------


def test_the_lead_auditor_corrects_a_finding_and_the_audit_log_keeps_before_and_after(open_minor, ready):
    clause = ready.qms.clauses.get(ref="9.2")
    services.finding_edit(
        actor=ready.lead.user, finding=open_minor, grade="major", statement="No internal audits", clauses=[clause]
    )
    open_minor.refresh_from_db()
    assert (open_minor.grade, open_minor.statement) == ("major", "No internal audits")
    assert list(open_minor.clauses.all()) == [clause]
    assert open_minor.verification_due is not None  # a major's verification date, recomputed
    entry = AuditLogEntry.objects.get(action="finding.edit", object_id=str(open_minor.pk))
    before, after = entry.before or {}, entry.after or {}
    assert (before["grade"], before["clauses"]) == ("minor", ["iso-9001-2015:8.5.1"])
    assert (after["grade"], after["clauses"]) == ("major", ["iso-9001-2015:9.2"])
    assert after["statement"] == "No internal audits"


def test_the_member_who_raised_a_finding_corrects_it_but_not_a_finding_raised_by_someone_else(
    open_minor, by_auditor, ready, programme_manager
):
    services.finding_edit(actor=ready.auditor.user, finding=by_auditor, grade="ofi", statement="Could do better")
    assert Finding.objects.get(pk=by_auditor.pk).statement == "Could do better"
    for someone_else in (ready.auditor.user, programme_manager):
        with pytest.raises(PermissionDenied) as refused:
            services.finding_edit(
                actor=someone_else,
                finding=open_minor,
                grade="minor",
                statement="x",
                clauses=list(open_minor.clauses.all()),
            )
        assert refused.value.code == "not_finding_author"
    # The lead auditor may correct any finding of the audit.
    services.finding_withdraw(actor=ready.lead.user, finding=by_auditor, reason="Duplicate of the minor")


def test_a_finding_still_changes_after_the_audit_is_completed_until_the_report_is_issued(
    open_minor, ready, programme_manager
):
    services.audit_complete(actor=programme_manager, audit=open_minor.audit)
    open_minor.refresh_from_db()
    services.finding_edit(
        actor=ready.lead.user,
        finding=open_minor,
        grade="minor",
        statement="Missing sign-off of the work order",
        clauses=list(open_minor.clauses.all()),
    )
    assert Finding.objects.get(pk=open_minor.pk).statement == "Missing sign-off of the work order"


def test_a_finding_can_no_longer_change_once_the_audit_report_is_issued(open_minor, ready, programme_manager):
    services.audit_complete(actor=programme_manager, audit=open_minor.audit)
    issue_report(open_minor.audit, ready.lead.user)
    open_minor.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        services.finding_edit(actor=ready.lead.user, finding=open_minor, grade="ofi", statement="Softer")
    assert refused.value.code == "finding_locked"
    assert "9.4.8" in str(refused.value)
    with pytest.raises(Conflict):
        services.finding_withdraw(actor=ready.lead.user, finding=open_minor, reason="Changed my mind")
    assert Finding.objects.get(pk=open_minor.pk).grade == "minor"


def test_a_withdrawn_finding_stays_on_the_record_with_its_reason_and_expects_no_response(
    open_minor, ready, client_admin
):
    with pytest.raises(ValidationFailed):
        services.finding_withdraw(actor=ready.lead.user, finding=open_minor, reason=" ")
    services.finding_withdraw(actor=ready.lead.user, finding=open_minor, reason="Raised on the wrong client")
    open_minor.refresh_from_db()
    assert (open_minor.status, open_minor.withdrawal_reason) == ("withdrawn", "Raised on the wrong client")
    entry = AuditLogEntry.objects.get(action="finding.withdraw", object_id=str(open_minor.pk))
    assert (entry.before or {})["status"] == "open"
    assert entry.after == {"status": "withdrawn", "reason": "Raised on the wrong client"}
    with pytest.raises(Conflict):
        services.finding_respond(
            actor=client_admin, finding=open_minor, correction="c", root_cause="r", corrective_action="a"
        )
    with pytest.raises(Conflict) as refused:
        services.finding_edit(actor=ready.lead.user, finding=open_minor, grade="ofi", statement="Again")
    assert refused.value.code == "finding_locked"


def test_a_withdrawn_major_does_not_hold_up_the_grant(open_minor, ready, programme_manager, decision_maker):
    stage2 = open_minor.audit
    major = services.finding_raise(
        actor=ready.lead.user,
        audit=stage2,
        grade="major",
        statement="No internal audit",
        clauses=[ready.qms.clauses.get(ref="9.2")],
    )
    for finding in (major, open_minor):
        services.finding_withdraw(actor=ready.lead.user, finding=finding, reason="Evidence found after all")
    services.audit_complete(actor=programme_manager, audit=stage2)
    issue_report(stage2, ready.lead.user)
    decision = decision_take(actor=decision_maker, certification=stage2.programme.certification, kind="grant")
    assert decision.state_after == "active"


def test_a_nonconformity_must_cite_a_clause_or_a_control(open_minor, ready):
    stage2 = open_minor.audit
    for grade in ("major", "minor"):
        with pytest.raises(ValidationFailed) as refused:
            services.finding_raise(actor=ready.lead.user, audit=stage2, grade=grade, statement="Uncited")
        assert refused.value.code == "nonconformity_without_clause"
        assert refused.value.fields == {"clauses": ["Cite at least one clause or control."]}
    with pytest.raises(ValidationFailed) as refused:
        services.finding_edit(actor=ready.lead.user, finding=open_minor, grade="minor", statement="x", clauses=[])
    assert refused.value.code == "nonconformity_without_clause"
    assert services.finding_raise(actor=ready.lead.user, audit=stage2, grade="positive", statement="Good").pk


# --- the API ------------------------------------------------------------------------------------------------


def test_annex_a_control_5_1_and_clause_5_1_are_both_citable_through_the_api(open_minor, isms, lead_auditor):
    path = f"/audits/{open_minor.audit.public_id}/findings"
    body = {"grade": "minor", "statement": "Policy not approved"}
    cited = {
        "control (object)": {"standard": ISMS, "kind": "control", "ref": "5.1"},
        "control (object, A.)": {"standard": ISMS, "kind": "control", "ref": "A.5.1"},
        "control (string)": f"{ISMS}:A.5.1",
        "clause (object)": {"standard": ISMS, "kind": "clause", "ref": "5.1"},
        "clause (string, as before)": f"{ISMS}:5.1",
    }
    for name, reference in cited.items():
        response = post(lead_auditor, path, {**body, "clauses": [reference]})
        assert response.status_code == 201, (name, response.content)
        finding = response.json()
        kind = name.split()[0]
        assert finding["references"] == [
            {
                "standard": ISMS,
                "kind": kind,
                "ref": "5.1",
                "title": "Policies for information security" if kind == "control" else "Leadership and commitment",
            }
        ], name
        assert finding["clauses"] == [f"{ISMS}:A.5.1" if kind == "control" else f"{ISMS}:5.1"]


@pytest.mark.parametrize(
    "reference",
    [f"{ISMS}:A.9.99", f"{ISMS}:9.99", {"standard": ISMS, "kind": "control", "ref": "6.1"}, {"kind": "annex"}],
)
def test_an_unknown_or_malformed_reference_is_refused_with_422(open_minor, isms, lead_auditor, reference):
    response = post(
        lead_auditor,
        f"/audits/{open_minor.audit.public_id}/findings",
        {"grade": "minor", "statement": "x", "clauses": [reference]},
    )
    assert response.status_code == 422, response.content
    assert not open_minor.audit.findings.exclude(pk=open_minor.pk).exists()


def test_the_api_corrects_and_withdraws_a_finding_before_the_audit_is_completed(
    open_minor, isms, lead_auditor, auditor, programme_manager
):
    edit = f"/findings/{open_minor.public_id}/edit"
    corrected = {
        "grade": "major",
        "statement": "Policy never approved",
        "clauses": [{"standard": ISMS, "kind": "control", "ref": "5.1"}],
    }
    assert post(auditor, edit, corrected).status_code == 403  # on the team, but did not raise it
    assert post(lead_auditor, edit, {**corrected, "clauses": []}).json()["code"] == "nonconformity_without_clause"
    response = post(lead_auditor, edit, corrected)
    assert response.status_code == 200, response.content
    assert (response.json()["grade"], response.json()["clauses"]) == ("major", [f"{ISMS}:A.5.1"])
    withdraw = f"/findings/{open_minor.public_id}/withdraw"
    assert post(lead_auditor, withdraw, {}).status_code == 422  # a reason is required
    response = post(lead_auditor, withdraw, {"reason": "Raised in error"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["withdrawal_reason"]) == ("withdrawn", "Raised in error")
    assert post(lead_auditor, edit, corrected).status_code == 409


def test_the_api_refuses_a_correction_after_the_audit_report_is_issued_with_409(
    open_minor, lead_auditor, programme_manager, outsider
):
    services.audit_complete(actor=programme_manager, audit=open_minor.audit)
    issue_report(open_minor.audit, lead_auditor)
    response = post(lead_auditor, f"/findings/{open_minor.public_id}/withdraw", {"reason": "Too late"})
    assert (response.status_code, response.json()["code"]) == (409, "finding_locked")
    assert post(outsider, f"/findings/{open_minor.public_id}/withdraw", {"reason": "x"}).status_code == 404


# --- the pages ----------------------------------------------------------------------------------------------


def test_the_finding_picker_names_the_kind_so_clause_5_1_and_control_a_5_1_are_told_apart(open_minor, isms, ready):
    page = login(ready.lead.user).get(reverse("audits:audit-detail", args=[open_minor.audit.public_id]))
    text = page.content.decode()
    assert "ISO/IEC 27001:2022 — clause 5.1 Leadership and commitment" in text
    assert "ISO/IEC 27001:2022 — control A.5.1 Policies for information security" in text
    control = Clause.objects.get(standard=isms, kind=ClauseKind.CONTROL)
    response = login(ready.lead.user).post(
        reverse("audits:finding-raise", args=[open_minor.audit.public_id]),
        {"grade": "minor", "statement": "Policy unsigned", "clauses": [control.public_id]},
    )
    assert response.status_code == 302
    assert list(Finding.objects.get(statement="Policy unsigned").clauses.all()) == [control]


def test_the_finding_page_corrects_and_withdraws_a_finding(open_minor, ready):
    lead = login(ready.lead.user)
    edit_url = reverse("audits:finding-edit", args=[open_minor.public_id])
    page = lead.get(edit_url)
    assert page.status_code == 200
    assert "Save the corrected finding" in page.content.decode()
    clause = ready.qms.clauses.get(ref="7.5")
    page = lead.post(edit_url, {"grade": "minor", "statement": "Kept text"})
    assert page.status_code == 422
    assert page.context["edit_form"].errors["clauses"]
    assert "Kept text" in page.content.decode()
    page = lead.post(edit_url, {"grade": "minor", "statement": "Records missing", "clauses": [clause.public_id]})
    assert page.status_code == 302
    assert Finding.objects.get(pk=open_minor.pk).statement == "Records missing"
    withdraw_url = reverse("audits:finding-withdraw", args=[open_minor.public_id])
    page = lead.post(withdraw_url, {"reason": "Not a finding"}, follow=True)
    assert "Withdrawn on" in page.content.decode()
    assert "Not a finding" in page.content.decode()
    assert Finding.objects.get(pk=open_minor.pk).status == "withdrawn"


def test_only_the_lead_or_the_member_who_raised_it_sees_and_uses_the_correction_forms(open_minor, ready, client_admin):
    other = login(ready.auditor.user)
    page = other.get(reverse("audits:finding-detail", args=[open_minor.public_id]))
    assert page.status_code == 200
    assert "Save the corrected finding" not in page.content.decode()
    response = other.post(reverse("audits:finding-withdraw", args=[open_minor.public_id]), {"reason": "Mine now"})
    assert response.status_code == 403
    client_page = login(client_admin).get(reverse("audits:finding-detail", args=[open_minor.public_id]))
    assert "Save the corrected finding" not in client_page.content.decode()
    assert Finding.objects.get(pk=open_minor.pk).status == "open"


def test_once_the_report_is_issued_the_finding_page_says_why_it_can_no_longer_change(
    open_minor, ready, programme_manager
):
    stage2 = audit_of(open_minor.audit.programme, AuditKind.STAGE_2)
    services.audit_complete(actor=programme_manager, audit=stage2)
    issue_report(stage2, ready.lead.user)
    page = login(ready.lead.user).get(reverse("audits:finding-detail", args=[open_minor.public_id])).content.decode()
    assert "Save the corrected finding" not in page
    assert "can no longer be edited or withdrawn" in page
