"""The certification agreement (ISO/IEC 17021-1 5.1.2): the CB's versions, the client's acceptance or the CB's
record of a signed copy, the stage-1 gate and its CB setting, and the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conformo.audits import selectors, services
from conformo.audits.models import Agreement, AgreementTemplate
from conformo.audits.tests.conftest import stage1_of
from conformo.audits.tests.factories import AGREEMENT_TEXTS, published_agreement
from conformo.conftest import token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.domain.agreement import MARK_USE_DUTY_FALLBACK

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")


# --- versions ----------------------------------------------------------------------------------------------


def test_versions_number_up_and_the_current_one_is_the_latest_published(ready, cb_admin):
    first = services.agreement_template_create(actor=cb_admin, certification_body=ready.cb, **AGREEMENT_TEXTS)
    assert selectors.current_agreement_template(ready.cb) is None  # a draft is not current
    services.agreement_template_publish(actor=cb_admin, template=first)
    second = services.agreement_template_create(actor=cb_admin, certification_body=ready.cb, **AGREEMENT_TEXTS)
    assert (first.version, second.version) == (1, 2)
    assert selectors.current_agreement_template(ready.cb) == first
    services.agreement_template_publish(actor=cb_admin, template=second)
    assert selectors.current_agreement_template(ready.cb) == second


def test_a_published_version_never_changes(ready, cb_admin):
    template = published_agreement(ready.cb)
    with pytest.raises(Conflict) as refused:
        services.agreement_template_update(actor=cb_admin, template=template, **{**AGREEMENT_TEXTS, "title": "New"})
    assert refused.value.code == "agreement_template_published"
    template.refresh_from_db()
    assert template.title == AGREEMENT_TEXTS["title"]


def test_a_draft_changes_and_each_change_is_logged(ready, cb_admin):
    draft = services.agreement_template_create(actor=cb_admin, certification_body=ready.cb, **AGREEMENT_TEXTS)
    services.agreement_template_update(actor=cb_admin, template=draft, **{**AGREEMENT_TEXTS, "title": "Terms 2027"})
    services.agreement_template_publish(actor=cb_admin, template=draft)
    actions = list(
        AuditLogEntry.objects.filter(object_type="audits.agreementtemplate", object_id=str(draft.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["agreement_template.create", "agreement_template.update", "agreement_template.publish"]


def test_only_the_cb_administrator_writes_the_agreement(ready, programme_manager, other_cb_admin):
    for actor in (programme_manager, other_cb_admin):
        with pytest.raises(PermissionDenied):
            services.agreement_template_create(actor=actor, certification_body=ready.cb, **AGREEMENT_TEXTS)
    assert not AgreementTemplate.objects.exists()


def test_a_blank_text_is_a_field_error(ready, cb_admin):
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_template_create(
            actor=cb_admin, certification_body=ready.cb, **{**AGREEMENT_TEXTS, "mark_rules": "  "}
        )
    assert refused.value.fields == {"mark_rules": ["Required."]}


# --- acceptance and the stage-1 gate --------------------------------------------------------------------------


def test_stage_1_cannot_start_before_the_agreement_is_accepted(unsigned, programme_manager):
    published_agreement(unsigned.certification_body)
    stage1 = stage1_of(unsigned)
    with pytest.raises(Conflict) as refused:
        services.audit_start(actor=programme_manager, audit=stage1)
    assert refused.value.code == "agreement_not_accepted"
    assert "5.1.2" in refused.value.message
    stage1.refresh_from_db()
    assert stage1.status == "planned"


def test_the_client_accepts_the_current_version_and_stage_1_may_start(unsigned, client_admin, programme_manager):
    template = published_agreement(unsigned.certification_body)
    agreement = services.agreement_accept(
        actor=client_admin, application=unsigned, version=template.version, ip_address="203.0.113.9"
    )
    assert (agreement.method, agreement.accepted_by, agreement.ip_address) == ("in_app", client_admin, "203.0.113.9")
    entry = AuditLogEntry.objects.get(action="agreement.accept")
    assert entry.after is not None
    assert entry.after["version"] == 1
    assert entry.after["ip_address"] == "203.0.113.9"
    assert entry.organization_id == unsigned.organization_id
    started = services.audit_start(actor=programme_manager, audit=stage1_of(unsigned))
    assert started.status == "in_progress"


def test_a_version_published_after_the_client_read_it_is_refused(unsigned, client_admin, cb_admin):
    first = published_agreement(unsigned.certification_body)
    second = services.agreement_template_create(
        actor=cb_admin, certification_body=unsigned.certification_body, **AGREEMENT_TEXTS
    )
    services.agreement_template_publish(actor=cb_admin, template=second)
    with pytest.raises(Conflict) as refused:
        services.agreement_accept(actor=client_admin, application=unsigned, version=first.version)
    assert refused.value.code == "agreement_version_changed"
    assert not Agreement.objects.exists()


def test_only_the_clients_administrator_accepts_for_the_organization(
    unsigned, client_member, programme_manager, other_client_admin
):
    template = published_agreement(unsigned.certification_body)
    for actor in (client_member, programme_manager, other_client_admin):
        with pytest.raises(PermissionDenied):
            services.agreement_accept(actor=actor, application=unsigned, version=template.version)
    assert not Agreement.objects.exists()


def test_nothing_can_be_accepted_before_the_cb_publishes_an_agreement(unsigned, client_admin):
    with pytest.raises(Conflict) as refused:
        services.agreement_accept(actor=client_admin, application=unsigned, version=1)
    assert refused.value.code == "agreement_unpublished"


def test_the_cb_records_a_signed_copy_with_its_date(unsigned, programme_manager, client_admin):
    published_agreement(unsigned.certification_body)
    agreement = services.agreement_record(
        actor=programme_manager, application=unsigned, file=pdf(), signed_on=date(2026, 1, 20)
    )
    assert (agreement.method, agreement.recorded_by, agreement.signed_copy_name) == (
        "signed_paper",
        programme_manager,
        "signed.pdf",
    )
    assert agreement.signed_copy.read() == b"%PDF-1.4 signed"
    assert selectors.accepted_agreement(unsigned) == agreement
    with pytest.raises(PermissionDenied):
        services.agreement_record(actor=client_admin, application=unsigned, file=pdf(), signed_on=date(2026, 1, 20))


def test_a_signed_copy_of_the_wrong_type_or_date_is_refused(unsigned, programme_manager):
    published_agreement(unsigned.certification_body)
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_record(
            actor=programme_manager, application=unsigned, file=pdf("notes.docx"), signed_on=date(2026, 1, 20)
        )
    assert refused.value.fields["file"][0].startswith("Accepted types: .jpeg, .jpg, .pdf, .png")
    with pytest.raises(ValidationFailed) as refused, time_machine.travel(date(2026, 1, 5), tick=False):
        services.agreement_record(actor=programme_manager, application=unsigned, file=pdf(), signed_on=date(2026, 1, 6))
    assert "signed_on" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_record(
            actor=programme_manager, application=unsigned, file=pdf(), signed_on=date(2026, 1, 6), version=9
        )
    assert "version" in refused.value.fields
    assert not Agreement.objects.exists()


def test_the_stage1_exception_needs_the_cb_setting_and_a_reason(unsigned, programme_manager, cb_admin):
    published_agreement(unsigned.certification_body)
    with pytest.raises(Conflict) as refused:
        services.agreement_stage1_record(actor=programme_manager, application=unsigned, reason="Signed at the visit")
    assert refused.value.code == "agreement_at_stage1_not_allowed"
    services.cb_settings_update(
        actor=cb_admin, certification_body=unsigned.certification_body, allow_agreement_at_stage1=True
    )
    stage1 = stage1_of(unsigned)
    with pytest.raises(Conflict) as still:
        services.audit_start(actor=programme_manager, audit=stage1)
    assert "record the agreement, or why" in still.value.message
    with pytest.raises(ValidationFailed):
        services.agreement_stage1_record(actor=programme_manager, application=unsigned, reason=" ")
    services.agreement_stage1_record(
        actor=programme_manager, application=unsigned, reason="The director signs at the opening meeting"
    )
    unsigned.refresh_from_db()  # the service wrote a fresh copy of the application
    assert services.audit_start(actor=programme_manager, audit=stage1_of(unsigned)).status == "in_progress"
    assert AuditLogEntry.objects.filter(action="agreement.stage1_exception").count() == 1


def test_the_notices_mark_use_duty_is_the_accepted_text_or_our_reading_of_9_6_5(unsigned, client_admin, bluewater):
    template = published_agreement(unsigned.certification_body)
    cb_id = unsigned.certification_body_id
    assert selectors.mark_use_duty(cb_id, unsigned.organization_id) == MARK_USE_DUTY_FALLBACK
    services.agreement_accept(actor=client_admin, application=unsigned, version=template.version)
    duty = selectors.mark_use_duty(cb_id, unsigned.organization_id)
    assert duty.startswith(AGREEMENT_TEXTS["suspension_duties"])
    assert "version 1" in duty
    assert selectors.mark_use_duty(cb_id, bluewater.pk) == MARK_USE_DUTY_FALLBACK
    assert "9.6.5" in MARK_USE_DUTY_FALLBACK


# --- API -----------------------------------------------------------------------------------------------------


def post(user: Any, path: str, body: dict[str, Any]) -> Any:
    client, _ = token_client(user)
    return client.post(API + path, json.dumps(body), content_type="application/json")


def test_the_api_writes_publishes_and_accepts_the_agreement(unsigned, cb_admin, client_admin, programme_manager):
    created = post(
        cb_admin,
        "/agreement-templates",
        {"certification_body_id": str(unsigned.certification_body.public_id), **AGREEMENT_TEXTS},
    )
    assert created.status_code == 201, created.content
    template_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    published = post(cb_admin, f"/agreement-templates/{template_id}/publish", {})
    assert published.json()["status"] == "published"
    client, _ = token_client(client_admin)
    overview = client.get(f"{API}/applications/{unsigned.public_id}/agreement").json()
    assert overview["current"]["version"] == 1
    assert overview["accepted"] is None
    assert overview["stage1_blocked"].startswith("Stage 1 cannot start")
    refused = post(
        client_admin, f"/applications/{unsigned.public_id}/agreement/accept", {"version": 1, "on_behalf": False}
    )
    assert refused.status_code == 422
    assert "on_behalf" in refused.json()["fields"]
    accepted = client.post(
        f"{API}/applications/{unsigned.public_id}/agreement/accept",
        json.dumps({"version": 1, "on_behalf": True}),
        content_type="application/json",
        REMOTE_ADDR="198.51.100.7",
    )
    assert accepted.status_code == 201, accepted.content
    assert (accepted.json()["accepted_by"], accepted.json()["ip_address"]) == ("quality@acme.test", "198.51.100.7")
    again = post(
        client_admin, f"/applications/{unsigned.public_id}/agreement/accept", {"version": 1, "on_behalf": True}
    )
    assert (again.status_code, again.json()["code"]) == (409, "agreement_already_accepted")
    pm, _ = token_client(programme_manager)
    overview = pm.get(f"{API}/applications/{unsigned.public_id}/agreement").json()
    assert overview["accepted"]["method"] == "in_app"
    assert overview["stage1_blocked"] is None


def test_the_api_records_a_signed_copy_as_multipart_and_serves_it(unsigned, programme_manager, client_admin):
    published_agreement(unsigned.certification_body)
    pm, _ = token_client(programme_manager)
    path = f"{API}/applications/{unsigned.public_id}/agreement/record"
    bad = pm.post(path, {"file": pdf("tool.exe"), "signed_on": "2026-01-20"})
    assert bad.status_code == 422
    assert "file" in bad.json()["fields"]
    unreadable = pm.post(path, {"file": pdf(), "signed_on": "2026-02-31"})
    assert unreadable.status_code == 422
    recorded = pm.post(path, {"file": pdf(), "signed_on": "2026-01-20", "version": "1"})
    assert recorded.status_code == 201, recorded.content
    body = recorded.json()
    assert (body["method"], body["recorded_by"], body["signed_on"]) == (
        "signed_paper",
        "programme@northbridge.test",
        "2026-01-20",
    )
    client, _ = token_client(client_admin)
    download = client.get(f"{API}/applications/{unsigned.public_id}/agreement/{body['id']}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"  # type: ignore[attr-defined]  # a FileResponse streams


def test_another_cb_sees_neither_the_versions_nor_an_applications_agreement(unsigned, other_cb_admin, cb_admin):
    template = published_agreement(unsigned.certification_body)
    client, _ = token_client(other_cb_admin)
    assert client.get(f"{API}/agreement-templates").json()["items"] == []
    assert client.get(f"{API}/agreement-templates/{template.public_id}").status_code == 404
    assert client.get(f"{API}/applications/{unsigned.public_id}/agreement").status_code == 404
    assert post(other_cb_admin, f"/agreement-templates/{template.public_id}/publish", {}).status_code == 404
    mine, _ = token_client(cb_admin)
    assert [t["version"] for t in mine.get(f"{API}/agreement-templates").json()["items"]] == [1]


def test_the_versions_list_runs_the_same_queries_for_one_version_or_five(ready, cb_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _ = token_client(cb_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/agreement-templates").status_code == 200
        return len(queries)

    published_agreement(ready.cb)
    count()  # warm-up: the first use of a token also records when it was last used
    one = count()
    for _ in range(4):
        services.agreement_template_create(actor=cb_admin, certification_body=ready.cb, **AGREEMENT_TEXTS)
    assert count() == one
