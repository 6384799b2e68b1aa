"""The competence API and pages: the office records and reads, an auditor reads only their own record, clients and
other CBs nothing; refused input is a 422 (or a form error) that changes nothing; lists do not grow in queries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.accounts.models import Membership
from conformo.audits import services as audit_services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Qualification
from conformo.audits.tests.conftest import audit_of
from conformo.competence import services
from conformo.competence.models import Evaluation, EvaluationEvidence, MonitoringRecord
from conformo.conftest import login, token_client

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _base(ready: Any) -> str:
    return f"/api/v1/certification-bodies/{ready.cb.public_id}/competence"


def _evaluation_body(ready: Any, person: Any, evaluator: Any, **values: Any) -> dict[str, Any]:
    return {
        "person": person.email,
        "evaluator": evaluator.email,
        "evaluated_on": "2026-01-10",
        "method": "witnessed_audit",
        "result": "positive",
        "grants": [{"standard": ready.qms.code, "sector_codes": [17], "role": "lead_auditor"}],
        **values,
    }


def test_the_office_records_an_evaluation_with_evidence_through_the_api(ready, cb_admin, decision_maker):
    client, _ = token_client(cb_admin)
    response = _post(client, f"{_base(ready)}/evaluations", _evaluation_body(ready, decision_maker, cb_admin))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["qualifications"][0]["standard"] == ready.qms.code
    assert body["qualifications"][0]["valid_until"] == "2036-01-09"  # the test CB keeps them ten years
    upload = client.post(
        f"/api/v1/competence/evaluations/{body['id']}/evidence",
        {"file": SimpleUploadedFile("exam.pdf", b"%PDF-1.4 exam", content_type="application/pdf")},
    )
    assert upload.status_code == 201, upload.content
    evidence = upload.json()["id"]
    download = client.get(f"/api/v1/competence/evaluations/{body['id']}/evidence/{evidence}/file")
    assert download.status_code == 200
    assert download.getvalue() == b"%PDF-1.4 exam"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"result": "negative"}, "grants"),
        ({"person": "nobody@example.com"}, "person"),
        ({"grants": [{"standard": "iso-0000", "sector_codes": [17]}]}, "grants.0.standard"),
        ({"grants": [{"standard": "iso-9001-2015", "sector_codes": [17], "valid_until": "2040-01-01"}]}, None),
    ],
)
def test_bad_evaluations_are_422_and_change_nothing(ready, cb_admin, decision_maker, values, field):
    client, _ = token_client(cb_admin)
    before = (Evaluation.objects.count(), Qualification.objects.count())
    body = {**_evaluation_body(ready, decision_maker, cb_admin), **values}
    response = _post(client, f"{_base(ready)}/evaluations", body)
    assert response.status_code == 422, response.content
    if field:
        assert field in response.json()["fields"]
    assert (Evaluation.objects.count(), Qualification.objects.count()) == before


def test_the_old_qualification_endpoint_is_gone(ready, cb_admin):
    client, _ = token_client(cb_admin)
    response = _post(
        client,
        f"/api/v1/auditors/{ready.auditor.public_id}/qualifications",
        {"standard": ready.qms.code, "sector_codes": [17], "valid_from": "2026-01-01"},
    )
    assert response.status_code in (404, 405)


def test_an_auditor_reads_only_their_own_record_and_clients_nothing(ready, auditor, lead_auditor, client_admin):
    own = Membership.objects.get(user=auditor, certification_body=ready.cb)
    other = Membership.objects.get(user=lead_auditor, certification_body=ready.cb)
    client, _ = token_client(auditor)
    record = client.get(f"{_base(ready)}/people/{own.public_id}")
    assert record.status_code == 200
    assert [q["standard"] for q in record.json()["qualifications"]] == [ready.ems.code, ready.qms.code]
    assert client.get(f"{_base(ready)}/people/{other.public_id}").status_code == 404
    assert [p["email"] for p in client.get(f"{_base(ready)}/people").json()["items"]] == [auditor.email]
    outsider, _ = token_client(client_admin)
    assert outsider.get(f"{_base(ready)}/people/{own.public_id}").status_code == 404
    # The page is the CB's: a client is told it is not theirs (docs/api.md, "Errors": pages refuse with 403).
    refused = login(client_admin).get(reverse("competence:home"))
    assert refused.status_code == 403
    assert b"have access to this" in refused.content


def test_monitoring_through_the_api_and_its_plan(stage1_done, ready, cb_admin, programme_manager):
    audit_services.cb_settings_update(actor=cb_admin, certification_body=ready.cb, witness_interval_months=36)
    client, _ = token_client(cb_admin)
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    body = {
        "auditor_id": str(ready.lead.public_id),
        "kind": "witnessed",
        "audit_id": str(stage1.public_id),
        "monitored_on": "2026-02-02",
        "monitor": programme_manager.email,
        "outcome": "satisfactory",
    }
    response = _post(client, f"{_base(ready)}/monitoring", body)
    assert response.status_code == 201, response.content
    refused = _post(client, f"{_base(ready)}/monitoring", {**body, "monitor": ready.lead.user.email})
    assert refused.status_code == 422
    assert MonitoringRecord.objects.count() == 1
    plan = {row["auditor"]: row for row in client.get(f"{_base(ready)}/monitoring-plan").json()}
    assert plan[ready.lead.user.email]["last_witnessed"] == "2026-02-02"
    assert plan[ready.auditor.user.email]["state"] == "overdue"


def test_the_evaluation_list_does_not_grow_in_queries(ready, cb_admin):
    client, _ = token_client(cb_admin)
    url = f"{_base(ready)}/evaluations"
    assert client.get(url).status_code == 200  # the token's first use is written once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        services.evaluation_record(
            actor=cb_admin,
            certification_body=ready.cb,
            person=ready.auditor.user,
            evaluator=cb_admin,
            evaluated_on=date(2026, 1, 1 + n),
            method="interview",
            result="positive",
            grants=[services.Grant(ready.qms, [17])],
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_evaluation_page_records_a_positive_evaluation_with_its_file(ready, cb_admin, decision_maker):
    client = login(cb_admin)
    criterion = services.criterion_create(
        actor=cb_admin, certification_body=ready.cb, function="auditing", standard=ready.qms, min_audits=4
    )
    data = {
        "criteria": [criterion.pk],
        "person": decision_maker.pk,
        "evaluator": cb_admin.pk,
        "evaluated_on": "2026-01-10",
        "function": "auditing",
        "method": "exam",
        "result": "positive",
        "standards": [ready.qms.code],
        "sector_codes": "17, 18",
        "role": "auditor",
        "evidence": SimpleUploadedFile("exam.pdf", b"%PDF-1.4", content_type="application/pdf"),
    }
    page = client.post(reverse("competence:evaluation-create"), data, follow=True)
    assert b"Evaluation recorded." in page.content
    evaluation = Evaluation.objects.get(person=decision_maker)
    assert evaluation.qualifications.get().sector_codes == [17, 18]
    assert EvaluationEvidence.objects.filter(evaluation=evaluation).count() == 1
    assert list(evaluation.criteria.all()) == [criterion]
    detail = client.get(reverse("competence:evaluation", args=[evaluation.public_id]))
    assert b"exam.pdf" in detail.content


def test_a_bad_evaluation_form_is_shown_again_with_its_errors(ready, cb_admin, decision_maker):
    data = {
        "person": decision_maker.pk,
        "evaluator": decision_maker.pk,
        "evaluated_on": "2026-01-10",
        "function": "auditing",
        "method": "exam",
        "result": "positive",
        "standards": [ready.qms.code],
        "sector_codes": "17, x",
        "role": "auditor",
    }
    page = login(cb_admin).post(reverse("competence:evaluation-create"), data)
    assert page.status_code == 422
    assert page.context["form"].errors["sector_codes"]
    page = login(cb_admin).post(reverse("competence:evaluation-create"), {**data, "sector_codes": "17"})
    assert page.status_code == 422
    assert b"their own competence" in page.content
    assert not Evaluation.objects.filter(person=decision_maker).exists()


def test_the_pages_show_the_office_everything_and_an_auditor_their_own(stage1_done, ready, cb_admin, auditor):
    office = login(cb_admin)
    home = office.get(reverse("competence:home"))
    assert home.status_code == 200
    assert b"Record an evaluation" in home.content
    lead = Membership.objects.get(user=ready.lead.user, certification_body=ready.cb)
    record = office.get(reverse("competence:person", args=[lead.public_id]))
    assert b"Audits in Conformo" in record.content
    assert b"Stage 1" in record.content
    assert office.get(reverse("competence:monitoring")).status_code == 200
    assert office.get(reverse("competence:criteria")).status_code == 200
    mine = login(auditor).get(reverse("competence:home"))
    assert mine.status_code == 302
    own = login(auditor).get(mine["Location"])
    assert own.status_code == 200
    assert b"Record an evaluation" not in own.content
    assert b"Add to the record" not in own.content
    assert login(auditor).get(reverse("competence:criteria")).status_code == 404


def test_the_monitoring_form_offers_the_audits_of_the_chosen_auditor_and_records_a_witnessing(
    stage1_done, ready, cb_admin, programme_manager
):
    office = login(cb_admin)
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    page = office.get(reverse("competence:monitoring")).content.decode()
    # No auditor chosen: no audits listed (a CB's started audits run to thousands), only the hint.
    assert "Choose the auditor first" in page
    assert str(stage1.public_id) not in page
    assert f'hx-get="{reverse("competence:monitoring-create")}?cb={ready.cb.public_id}"' in page
    url = reverse("competence:monitoring-create") + f"?cb={ready.cb.public_id}"
    lead = office.get(f"{url}&auditor={ready.lead.public_id}").content.decode()
    assert f'<option value="{stage1.public_id}">' in lead
    # Someone who was not on the team is offered nothing; an unreadable choice is no choice, not an error.
    expert = audit_services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=programme_manager)
    assert str(stage1.public_id) not in office.get(f"{url}&auditor={expert.public_id}").content.decode()
    assert "Choose the auditor first" in office.get(f"{url}&auditor=not-an-id").content.decode()
    body = {
        "auditor": str(ready.lead.public_id),
        "kind": "witnessed",
        "audit": str(stage1.public_id),
        "monitored_on": stage1.started_on.isoformat(),
        "monitor": str(programme_manager.pk),
        "outcome": "satisfactory",
    }
    assert office.post(url, body).status_code == 302
    record = MonitoringRecord.objects.get()
    assert (record.auditor, record.audit) == (ready.lead, stage1)


def test_the_monitoring_form_refuses_an_audit_of_another_auditor(stage1_done, ready, cb_admin, programme_manager):
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    outside = audit_services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=programme_manager)
    url = reverse("competence:monitoring-create") + f"?cb={ready.cb.public_id}"
    body = {
        "auditor": str(outside.public_id),
        "kind": "witnessed",
        "audit": str(stage1.public_id),
        "monitored_on": stage1.started_on.isoformat(),
        "monitor": str(cb_admin.pk),
        "outcome": "satisfactory",
    }
    page = login(cb_admin).post(url, body)
    assert page.status_code == 422
    assert b"Select a valid choice" in page.content
    assert not MonitoringRecord.objects.exists()
