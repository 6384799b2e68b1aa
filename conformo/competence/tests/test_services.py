"""Evaluations grant qualifications, the team check reads only current ones and says why one is missing, and
monitoring is attached to real audits and due on the CB's interval."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from conformo.audits import services as audit_services
from conformo.audits.choices import AuditKind, QualificationBasis
from conformo.audits.models import Qualification
from conformo.audits.tests.conftest import audit_of
from conformo.competence import selectors, services
from conformo.competence.models import Evaluation, MonitoringRecord
from conformo.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.domain.competence import MonitoringState
from conformo.inbox.choices import ItemKind
from conformo.inbox.selectors import inbox_items

pytestmark = pytest.mark.django_db


def _evaluate(ready: Any, actor: Any, person: Any, **values: Any) -> Evaluation:
    defaults: dict[str, Any] = {
        "evaluated_on": date(2026, 1, 10),
        "method": "exam",
        "result": "positive",
        "grants": [services.Grant(ready.qms, [17, 29])],
    }
    defaults.update(values)
    return services.evaluation_record(
        actor=actor, certification_body=ready.cb, person=person, evaluator=actor, **defaults
    )


def test_a_positive_evaluation_grants_its_qualifications_for_the_cbs_validity(ready, cb_admin, decision_maker):
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, qualification_validity_months=24)
    evaluation = _evaluate(ready, cb_admin, decision_maker)
    granted = evaluation.qualifications.get()
    assert granted.auditor.user == decision_maker  # put on the auditor register by the grant
    assert (granted.valid_from, granted.valid_until) == (date(2026, 1, 10), date(2028, 1, 9))
    assert granted.basis == QualificationBasis.EVALUATION
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"evaluation.record", "qualification.grant", "auditor.register"} <= actions


@pytest.mark.parametrize(
    ("values", "codes", "field"),
    [
        ({"result": "negative"}, [17], "grants"),
        ({"function": "decision"}, [17], "grants"),
        ({"method": "guess"}, [17], "method"),
        ({}, [40], "grants.0.sector_codes"),
    ],
)
def test_a_refused_evaluation_writes_nothing(ready, cb_admin, decision_maker, values, codes, field):
    before = (Evaluation.objects.count(), Qualification.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        _evaluate(ready, cb_admin, decision_maker, grants=[services.Grant(ready.qms, codes)], **values)
    assert field in (refused.value.fields or {})
    assert (Evaluation.objects.count(), Qualification.objects.count()) == before


def test_nobody_evaluates_themselves_and_an_auditor_cannot_record_evaluations(ready, cb_admin, auditor):
    with pytest.raises(ValidationFailed, match="their own competence"):
        services.evaluation_record(
            actor=cb_admin,
            certification_body=ready.cb,
            person=cb_admin,
            evaluator=cb_admin,
            evaluated_on=date(2026, 1, 1),
            method="interview",
            result="positive",
        )
    with pytest.raises(PermissionDenied):
        _evaluate(ready, auditor, ready.lead.user)


def test_a_qualification_cannot_be_granted_without_a_positive_evaluation(ready, cb_admin):
    negative = _evaluate(ready, cb_admin, ready.auditor.user, result="negative", grants=[])
    with pytest.raises(ValidationFailed) as refused:
        audit_services.qualification_add(
            actor=cb_admin, auditor=ready.auditor, evaluation=negative, standard=ready.qms, sector_codes=[17]
        )
    assert refused.value.code == "evaluation_required"


def test_the_team_check_says_why_a_qualification_does_not_count(programme, ready, cb_admin):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, qualification_lapse_months=12)
    found = audit_services.auditor_eligibility(stage1, [ready.lead, ready.auditor], on=date(2026, 2, 2))
    lead_reasons = [r["message"] for r in found[ready.lead.pk].reasons]
    assert lead_reasons == [
        "Not qualified for ISO 9001:2015 in IAF sector code 17: lead auditor qualification lapsed: no audit since it "
        "became valid on 2020-01-01 (12 months)."
    ]
    assert [r["message"] for r in found[ready.auditor.pk].reasons] == [
        "Not qualified for ISO 9001:2015 in IAF sector code 17."
    ]
    renewed = _evaluate(
        ready,
        cb_admin,
        ready.lead.user,
        evaluated_on=date(2024, 1, 1),
        grants=[services.Grant(ready.qms, [17], "lead_auditor", date(2024, 12, 31))],
    )
    assert renewed.qualifications.get().valid_until == date(2024, 12, 31)
    check = audit_services.audit_team_check(
        stage1, [audit_services.Member(ready.lead, "lead_auditor")], date(2026, 2, 2)
    )
    assert "lead auditor qualification expired on 2024-12-31" in check["reasons"][0]["message"]


def test_an_audit_in_the_standard_keeps_a_qualification_from_lapsing(stage1_done, ready, cb_admin):
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, qualification_lapse_months=12)
    readings = selectors.qualifications_of(cb=ready.cb, person=ready.lead.user, on=date(2026, 6, 1))
    by_standard = {r.qualification.standard.code: r for r in readings}
    assert by_standard[ready.qms.code].current  # stage 1 of ISO 9001 completed on 2026-02-02
    assert by_standard[ready.qms.code].status.lapses_on == date(2027, 2, 2)
    assert not by_standard[ready.ems.code].current


def test_a_witnessing_is_recorded_on_an_audit_of_the_auditors_team_only(
    stage1_done, ready, cb_admin, programme_manager
):
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, witness_interval_months=36)
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with pytest.raises(ApplicationError):
        services.monitoring_record(
            actor=cb_admin,
            auditor=ready.lead,
            kind="witnessed",
            audit=stage2,
            monitored_on=date(2026, 2, 2),
            monitor=programme_manager,
            outcome="satisfactory",
        )
    with pytest.raises(ValidationFailed) as no_audit:
        services.monitoring_record(
            actor=cb_admin,
            auditor=ready.lead,
            kind="witnessed",
            monitored_on=date(2026, 2, 2),
            monitor=programme_manager,
            outcome="satisfactory",
        )
    assert "audit" in (no_audit.value.fields or {})
    assert MonitoringRecord.objects.count() == 0
    record = services.monitoring_record(
        actor=cb_admin,
        auditor=ready.lead,
        kind="witnessed",
        audit=stage1,
        monitored_on=date(2026, 2, 2),
        monitor=programme_manager,
        outcome="satisfactory",
    )
    assert record.audit == stage1
    plan = {row.auditor: row for row in selectors.monitoring_plan(user=cb_admin, cb=ready.cb, on=date(2026, 3, 1))}
    assert plan[ready.lead].due.due_on == date(2029, 2, 2)
    assert plan[ready.lead].due.state == MonitoringState.SCHEDULED
    assert plan[ready.auditor].due.state == MonitoringState.OVERDUE  # qualified in 2020, never witnessed


def test_overdue_witnessing_is_on_the_programme_managers_work_list(
    stage1_done, ready, cb_admin, programme_manager, auditor
):
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, witness_interval_months=36)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        items = [i for i in inbox_items(user=programme_manager) if i.kind == ItemKind.MONITORING_DUE]
        assert sorted(i.title for i in items) == sorted(
            f"Witness {a} on an audit (never witnessed yet)" for a in (ready.lead, ready.auditor)
        )
        assert all(i.overdue and i.due == date(2023, 1, 1) for i in items)
        assert not [i for i in inbox_items(user=auditor) if i.kind == ItemKind.MONITORING_DUE]


def test_the_audit_log_is_read_from_completed_audits(stage1_done, ready):
    [row] = selectors.audit_log_of(cb=ready.cb, person=ready.lead.user)
    assert (row.completed_on, row.role, row.standards, row.sector_codes) == (
        date(2026, 2, 2),
        "lead_auditor",
        [ready.qms.code],
        [17],
    )


def test_the_data_migration_marks_qualifications_without_an_evaluation(ready):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("conformo.audits.migrations.0016_qualifications_before_evaluations")
    Qualification.objects.filter(auditor=ready.lead).update(evaluation=None)
    migration.mark_before_evaluations(apps, None)
    assert set(Qualification.objects.filter(auditor=ready.lead).values_list("basis", flat=True)) == {
        QualificationBasis.BEFORE_EVALUATIONS
    }
    assert set(Qualification.objects.filter(auditor=ready.auditor).values_list("basis", flat=True)) == {
        QualificationBasis.EVALUATION
    }


def test_the_command_prints_the_plan_and_a_persons_competence(stage1_done, ready, cb_admin):
    from io import StringIO

    from django.core.management import call_command

    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, witness_interval_months=36)
    out = StringIO()
    call_command("competence", "plan", "--cb", ready.cb.name, "--date", "2026-03-01", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("overdue    due 2023-01-01  last witnessed never")
    out = StringIO()
    call_command(
        "competence",
        "person",
        "--cb",
        ready.cb.name,
        "--email",
        ready.lead.user.email,
        "--date",
        "2026-03-01",
        stdout=out,
    )
    text = out.getvalue()
    assert f"{ready.qms.code} lead_auditor IAF 17: current" in text
    assert "interview by" in text
