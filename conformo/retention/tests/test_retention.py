"""Records retention (ISO/IEC 17021-1 9.9) around its boundary: the day before nothing goes, the day after exactly
the expected records go, a second run changes nothing, nothing outside the policy is removed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conformo.audits.models import Complaint, FindingAttachment
from conformo.audits.services import finding_attach
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.retention import services
from conformo.retention.models import RetentionLogEntry, RetentionRun
from conformo.retention.records import REMOVED
from conformo.retention.selectors import due_records, policy_in_force
from conformo.retention.tests.conftest import closed_complaint

pytestmark = pytest.mark.django_db

CLOSED = date(2026, 3, 10)  # kept until 2032-03-10 (six years), due from 2032-03-11


def test_the_default_policy_keeps_every_kind_six_years(cb):
    rows = policy_in_force(cb)
    assert {(r.kind.value, r.years, r.action.value, r.set) for r in rows} == {
        ("applications", 6, "anonymise", False),
        ("complaints", 6, "anonymise", False),
        ("appeals", 6, "anonymise", False),
        ("finding_evidence", 6, "delete", False),
        ("audit_plans", 6, "anonymise", False),
        ("audit_reports", 6, "anonymise", False),
        ("findings", 6, "anonymise", False),
        ("decisions", 6, "anonymise", False),
        ("certificates", 6, "anonymise", False),
        ("agreements", 6, "anonymise", False),
        ("quotations", 6, "anonymise", False),
    }


def test_a_policy_shorter_than_two_cycles_or_an_action_the_kind_refuses_changes_nothing(cb, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.policy_update(
            actor=cb_admin,
            certification_body=cb,
            rows=[
                {"kind": "complaints", "years": 10, "action": "delete"},
                {"kind": "appeals", "years": 5, "action": "anonymise"},
                {"kind": "applications", "years": 6, "action": "delete"},
            ],
        )
    assert set(refused.value.fields) == {"appeals.years", "applications.action"}
    assert not any(row.set for row in policy_in_force(cb))


def test_only_the_cb_administrator_sets_the_policy_and_applies_it(cb, programme_manager):
    with pytest.raises(PermissionDenied):
        services.policy_update(
            actor=programme_manager,
            certification_body=cb,
            rows=[{"kind": "complaints", "years": 7, "action": "delete"}],
        )
    with pytest.raises(PermissionDenied):
        services.retention_apply(actor=programme_manager, certification_body=cb)


def test_around_the_boundary_exactly_the_expired_complaint_is_anonymised_once(
    cb, cb_admin, decision_maker, acme, other_cb, other_cb_admin
):
    expired = closed_complaint(cb, cb_admin, decision_maker, CLOSED, acme)
    a_day_younger = closed_complaint(cb, cb_admin, decision_maker, date(2026, 3, 11), acme)
    with time_machine.travel(date(2020, 1, 1), tick=False):
        from conformo.audits.services import complaint_receive

        still_open = complaint_receive(
            actor=cb_admin, certification_body=cb, complainant="Old Open", subject="Open", description="Still open"
        )
    other_cbs = closed_complaint(other_cb, other_cb_admin, other_cb_admin, CLOSED)
    untouched = {c.pk: (c.complainant, c.description) for c in (a_day_younger, still_open, other_cbs)}

    assert due_records(cb, date(2032, 3, 10)) == []
    assert services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 3, 10)) is None
    assert not RetentionRun.objects.exists()

    assert [d.record_id for d in due_records(cb, date(2032, 3, 11))] == [str(expired.public_id)]
    run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 3, 11))
    assert run is not None
    assert (run.deleted, run.anonymised) == (0, 1)
    expired.refresh_from_db()
    assert (expired.complainant, expired.description, expired.handler_id) == (REMOVED, REMOVED, None)
    assert (expired.received_on, expired.closed_on, expired.status) == (CLOSED, CLOSED, "closed")
    for complaint in Complaint.objects.exclude(pk=expired.pk):
        assert (complaint.complainant, complaint.description) == untouched[complaint.pk]
    entry = RetentionLogEntry.objects.get()
    assert (entry.kind, entry.record_id, entry.kept_until, entry.action) == (
        "complaints",
        str(expired.public_id),
        date(2032, 3, 10),
        "anonymise",
    )
    # The audit log keeps that the complaint existed and what was done to it, without its words.
    history = AuditLogEntry.objects.filter(object_type="audits.complaint", object_id=str(expired.pk))
    assert history.count() == 5
    assert all(e.after in (None, {"redacted": "retention"}) for e in history)
    assert "Jane" not in str(list(history.values("object_repr", "before", "after")))
    assert AuditLogEntry.objects.filter(action="retention.run", object_id=str(run.pk)).exists()

    again = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 3, 11))
    assert again is None
    assert RetentionRun.objects.count() == 1
    assert RetentionLogEntry.objects.count() == 1
    # A day later the complaint closed a day later is due, and only it.
    assert [d.record_id for d in due_records(cb, date(2032, 3, 12))] == [str(a_day_younger.public_id)]


def test_a_longer_period_and_delete_remove_the_row_but_not_its_audit_log(cb, cb_admin, decision_maker):
    services.policy_update(
        actor=cb_admin, certification_body=cb, rows=[{"kind": "complaints", "years": 7, "action": "delete"}]
    )
    complaint = closed_complaint(cb, cb_admin, decision_maker, CLOSED)
    pk = complaint.pk
    assert due_records(cb, date(2033, 3, 10)) == []
    run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2033, 3, 11))
    assert run is not None and run.deleted == 1  # noqa: PT018 - one run, one deletion
    assert not Complaint.objects.filter(pk=pk).exists()
    assert AuditLogEntry.objects.filter(object_type="audits.complaint", object_id=str(pk)).count() == 5


def test_anonymise_instead_of_delete_when_asked(cb, cb_admin, decision_maker):
    services.policy_update(
        actor=cb_admin, certification_body=cb, rows=[{"kind": "complaints", "years": 6, "action": "delete"}]
    )
    complaint = closed_complaint(cb, cb_admin, decision_maker, CLOSED)
    run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 3, 11), anonymise_only=True)
    assert run is not None
    assert (run.deleted, run.anonymised) == (0, 1)
    complaint.refresh_from_db()
    assert complaint.description == REMOVED


def test_evidence_of_an_ended_certification_goes_with_its_file_six_years_after_the_end(
    open_minor, cb_admin, ready, media, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    with time_machine.travel(date(2026, 3, 3), tick=False):
        attachment = finding_attach(actor=ready.lead.user, finding=open_minor, file=upload)
    path = media / attachment.file.name
    assert path.exists()
    certification = open_minor.audit.programme.certification
    # Acme's certification expired on 2027-01-31 (set directly: the lifecycle is certification's own tests).
    type(certification).objects.filter(pk=certification.pk).update(state="active", expires_on=date(2027, 1, 31))
    cb = certification.certification_body
    assert due_records(cb, date(2033, 1, 31)) == []
    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2033, 2, 1))
    assert run is not None and run.deleted == 1  # noqa: PT018 - one run, one deletion
    assert not FindingAttachment.objects.exists()
    assert not path.exists()
    open_minor.refresh_from_db()  # the finding itself stays
    assert services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2033, 2, 2)) is None


def test_a_declined_application_is_anonymised_six_years_after_it_was_declined(
    ready, acme, acme_sites, programme_manager, cb_admin
):
    from conformo.audits.services import application_decline, application_submit

    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = application_submit(
            actor=programme_manager,
            certification_body=ready.cb,
            organization=acme,
            standards=[ready.qms],
            scope="Machining",
            sites=acme_sites,
            sector_codes=[17],
            contact_name="John Doe",
            contact_email="john@acme.test",
        )
        application_decline(actor=programme_manager, application=application, reason="Outside our accreditation")
    assert due_records(ready.cb, date(2032, 1, 5)) == []
    run = services.retention_apply(actor=cb_admin, certification_body=ready.cb, on=date(2032, 1, 6))
    assert run is not None and run.anonymised == 1  # noqa: PT018 - one run, one record
    application.refresh_from_db()
    assert (application.contact_name, application.contact_email, application.status) == ("", "", "declined")
