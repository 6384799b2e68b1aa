"""The certification file: one ZIP with the accepted agreements, the issued plans and reports, the certificate,
the audit log and a manifest whose SHA-256s match the files; for the CB-wide staff of the certification's CB
only."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import ROW, issue_report
from conformo.audits.tests.factories import AGREEMENT_TEXTS
from conformo.certificates.models import Certificate
from conformo.certification.export import certification_file_build, certification_for_file
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import audit_of, team
from conformo.conftest import login, token_client
from conformo.core.errors import NotFound, PermissionDenied
from conformo.core.models import AuditLogEntry
from conformo.organizations.services import site_update


@pytest.fixture
def filed(programme, ready, programme_manager, decision_maker):
    """Acme certified on 2026-04-10: stage 1 with an issued plan (two versions) and report, stage 2 with an
    issued report (two revisions), a grant and its certificate."""
    lead = ready.lead.user
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 1, 20), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 2)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
        services.plan_draft(actor=programme_manager, audit=stage1)
        services.plan_update(actor=programme_manager, audit=stage1, language="English", timetable=[ROW])
        services.plan_issue(actor=programme_manager, audit=stage1)
        services.plan_update(actor=programme_manager, audit=stage1, language="German")
        services.plan_issue(actor=programme_manager, audit=stage1, change_note="The client asked for German.")
    with time_machine.travel(date(2026, 2, 2), tick=False):
        services.audit_start(actor=programme_manager, audit=stage1)
        services.audit_complete(actor=programme_manager, audit=stage1)
        issue_report(stage1, lead)
    stage2 = audit_of(programme, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
        issue_report(stage2, lead)
        services.report_revise(actor=lead, audit=stage2, reason="Typo in the conclusions")
        services.report_update(actor=lead, audit=stage2, conclusions="Effective, objectives met")
        services.report_issue(actor=lead, audit=stage2)
    with time_machine.travel(date(2026, 4, 10), tick=False):
        decision_take(actor=decision_maker, certification=programme.certification, kind="grant")
    certification = programme.certification
    certification.refresh_from_db()
    return certification


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_file_holds_each_issued_plan_and_report_revision_the_certificate_the_log_and_a_manifest(
    filed, programme_manager
):
    name, data = certification_file_build(user=programme_manager, certification=filed)
    certificate = Certificate.objects.get(certification=filed, is_current=True)
    assert name == f"certification-file-{certificate.number}.zip"
    assert sorted(_open(data).namelist()) == [
        "agreement/01-v1.json",
        "audit-log.json",
        "audit-time/01-initial.json",
        f"certificate/{certificate.number}.pdf",
        "manifest.json",
        "plans/cycle-1/01-stage1-plan-v1.pdf",
        "plans/cycle-1/01-stage1-plan-v2.pdf",
        "reports/cycle-1/01-stage1-report-rev1.pdf",
        "reports/cycle-1/02-stage2-report-rev1.pdf",
        "reports/cycle-1/02-stage2-report-rev2.pdf",
    ]


def test_the_file_holds_each_accepted_agreement_who_when_how_from_where_and_the_signed_copy(
    filed, cb_admin, programme_manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = filed.programmes.get().application
    draft = services.agreement_template_create(
        actor=cb_admin, certification_body=filed.certification_body, **{**AGREEMENT_TEXTS, "title": "Terms 2"}
    )
    services.agreement_template_publish(actor=cb_admin, template=draft)
    services.agreement_record(
        actor=programme_manager,
        application=application,
        file=SimpleUploadedFile("countersigned.pdf", b"%PDF-1.4 v2"),
        signed_on=date(2026, 5, 2),
        ip_address="203.0.113.20",
    )
    archive = _open(certification_file_build(user=programme_manager, certification=filed)[1])
    first = json.loads(archive.read("agreement/01-v1.json"))
    assert (first["version"], first["method"], first["mark_rules"]) == (1, "in_app", AGREEMENT_TEXTS["mark_rules"])
    second = json.loads(archive.read("agreement/02-v2.json"))
    assert (second["title"], second["method"], second["recorded_by"]) == (
        "Terms 2",
        "signed_paper",
        "programme@northbridge.test",
    )
    assert (second["ip_address"], second["signed_on"], second["signed_copy"]) == (
        "203.0.113.20",
        "2026-05-02",
        "countersigned.pdf",
    )
    assert second["accepted_at"]
    assert archive.read("agreement/02-signed-countersigned.pdf") == b"%PDF-1.4 v2"
    log = json.loads(archive.read("audit-log.json"))
    assert [r["action"] for r in log if r["object_type"] == "audits.agreement"] == [
        "agreement.accept",
        "agreement.record",
    ]


def test_the_file_holds_each_audit_time_determination_with_its_inputs_and_trace(filed, programme_manager, client_admin):
    programme = filed.programmes.get()
    site = programme.application.sites.filter(is_headquarters=False).first()
    site_update(actor=client_admin, site=site, permanent_staff=site.permanent_staff + 25)
    services.programme_redetermine(actor=programme_manager, programme=programme, purpose="change")
    archive = _open(certification_file_build(user=programme_manager, certification=filed)[1])
    first = json.loads(archive.read("audit-time/01-initial.json"))
    again = json.loads(archive.read("audit-time/02-change.json"))
    assert first["trace"][0]["step"] == "purpose"
    assert first["inputs"]["sites"][0]["central"] is True
    assert again["result"]["audits"][0]["audit"] == "surveillance1"
    log = json.loads(archive.read("audit-log.json"))
    assert [r["action"] for r in log if r["object_type"] == "audits.audittimedetermination"] == [
        "determination.record",
        "determination.record",
    ]


def test_the_manifest_hashes_match_the_files_and_name_the_certification_and_its_cycle(filed, decision_maker):
    archive = _open(certification_file_build(user=decision_maker, certification=filed)[1])
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["name"] for f in manifest["files"]} == set(archive.namelist()) - {"manifest.json"}
    for entry in manifest["files"]:
        content = archive.read(entry["name"])
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["bytes"] == len(content)
    for entry in manifest["files"]:
        if entry["name"].endswith(".pdf"):
            assert archive.read(entry["name"]).startswith(b"%PDF")
    identity = manifest["certification"]
    assert identity["id"] == str(filed.public_id)
    assert identity["organization"] == filed.organization.legal_name
    assert identity["expires_on"] == "2029-04-09"
    assert identity["cycle"]["number"] == 1
    assert identity["standards"] == ["ISO 9001:2015"]


def test_the_audit_log_holds_the_certifications_rows_and_those_of_its_audits_and_nobody_elses(
    filed, programme_manager, bluewater
):
    AuditLogEntry.objects.create(action="other.thing", object_type="audits.audit", object_id="999999", object_repr="x")
    archive = _open(certification_file_build(user=programme_manager, certification=filed)[1])
    log = json.loads(archive.read("audit-log.json"))
    actions = {row["action"] for row in log}
    assert {"certification.grant", "certificate.issue", "programme.create", "audit_plan.issue"} <= actions
    assert {"audit_report.issue", "audit_report.revise", "audit.complete"} <= actions
    types = {row["object_type"] for row in log}
    assert {"certification.certification", "audits.auditplan", "audits.auditreport", "audits.audit"} <= types
    assert "other.thing" not in actions
    assert [row["at"] for row in log] == sorted(row["at"] for row in log)


def test_the_cli_writes_the_file_named_by_certificate_number(filed, cli, tmp_path):
    number = Certificate.objects.get(certification=filed, is_current=True).number
    out = tmp_path / "file.zip"
    result = cli("certification", "export-file", number, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "manifest.json" in _open(out.read_bytes()).namelist()
    again = cli("certification", "export-file", str(filed.public_id), "--out", str(out))
    assert again.returncode == 0, again.stderr


def test_the_cli_refuses_an_unknown_certification_in_one_line(db, cli, tmp_path):
    result = cli("certification", "export-file", "NO-SUCH-1", "--out", str(tmp_path / "x.zip"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "NO-SUCH-1" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.zip").exists()


def test_the_cli_refuses_a_directory_as_the_output(filed, cli, tmp_path):
    result = cli("certification", "export-file", str(filed.public_id), "--out", str(tmp_path))
    assert result.returncode != 0
    assert "directory" in result.stderr


def test_auditors_and_the_client_are_refused_and_other_tenants_do_not_see_it(
    filed, lead_auditor, client_admin, other_cb_admin
):
    for user in (lead_auditor, client_admin):
        with pytest.raises(PermissionDenied):
            certification_for_file(user=user, number_or_id=str(filed.public_id))
    with pytest.raises(NotFound):
        certification_for_file(user=other_cb_admin, number_or_id=str(filed.public_id))


def test_the_page_offers_the_file_to_cb_staff_and_serves_it_as_a_zip(filed, cb_admin, client_admin):
    page = login(cb_admin).get(reverse("certification:detail", args=[filed.public_id]))
    url = reverse("certification:file", args=[filed.public_id])
    assert url in page.content.decode()
    response = login(cb_admin).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "manifest.json" in _open(response.content).namelist()
    client_page = login(client_admin).get(reverse("certification:detail", args=[filed.public_id]))
    assert client_page.status_code == 200
    assert url not in client_page.content.decode()
    assert login(client_admin).get(url).status_code == 403


def test_the_api_answers_a_zip_to_staff_403_to_the_client_and_404_to_other_tenants(
    filed, programme_manager, client_admin, other_cb_admin
):
    url = f"/api/v1/certifications/{filed.public_id}/file"
    client, _raw = token_client(programme_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert _open(response.content).testzip() is None
    assert token_client(client_admin)[0].get(url).status_code == 403
    assert token_client(other_cb_admin)[0].get(url).status_code == 404
    assert token_client(programme_manager)[0].get("/api/v1/certifications/not-a-uuid/file").status_code in (404, 422)


def test_exporting_writes_nothing(filed, programme_manager):
    before = AuditLogEntry.objects.count()
    certification_file_build(user=programme_manager, certification=filed)
    assert AuditLogEntry.objects.count() == before


def test_the_cli_without_out_is_one_argparse_line_with_exit_2(db, cli):
    done = cli("certification", "export-file", "CERT-1")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "conformo certification export-file: error: the following arguments are required: --out"
    ]


def test_conformo_help_lists_the_certification_command(db, cli):
    done = cli("--help")
    assert done.returncode == 0
    assert "  certification " in done.stdout
