from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from conformo.core.audit import audit_log_record
from conformo.core.models import AuditLogEntry
from conformo.core.tests.cli import run_in_process
from conformo.home.demo import demo_load
from conformo.organizations.models import Organization

ROOT = Path(__file__).resolve().parents[3]


def test_health_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_database_unavailable_without_the_connection_details(db, caplog):
    cause = 'connection to server at "db.internal" (10.1.2.3), port 5433 failed: database "conformo_prod"'
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError(cause)):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "detail": "database unavailable"}
    for detail in ("db.internal", "10.1.2.3", "5433", "conformo_prod"):
        assert detail not in response.content.decode()
    assert "db.internal" in caplog.text  # the operator finds the cause in the log


def test_the_openapi_document_is_3_1(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")
    assert "/api/v1/organizations" in response.json()["paths"]


def test_the_api_docs_load_only_local_assets(db):
    body = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in body
    # Every script and stylesheet is served from our own /static/ (a CSRF token may
    # contain any letters, so the test looks at the asset addresses, not the page text).
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "https://" not in body


def test_pages_load_no_external_assets(db):
    body = Client().get("/").content.decode()
    assert "htmx" in body
    assert "https://" not in body


def test_an_unknown_page_is_a_friendly_404(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist." in response.content.decode()


def test_the_audit_log_must_be_written_inside_a_transaction(transactional_db):
    from conformo.core.tests.factories import UserFactory

    user = UserFactory.create()
    with pytest.raises(RuntimeError):
        audit_log_record(actor=user, action="x", obj=user)
    assert AuditLogEntry.objects.count() == 0


def test_audit_log_entries_cannot_be_changed_or_deleted(cb_admin):
    with transaction.atomic():
        entry = audit_log_record(actor=cb_admin, action="test.do", obj=cb_admin, after={"a": 1})
    entry.action = "tampered"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "test.do"


def test_a_cb_admin_reads_their_tenants_audit_log_and_others_do_not(cb_admin, other_cb_admin, client_member, cb):
    from conformo.organizations.services import organization_create

    organization_create(actor=cb_admin, legal_name="Foxtrot", country="IT", certification_body=cb)
    from conformo.accounts.services import api_token_create

    def listing(user):
        _, raw = api_token_create(user=user, name="t")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/audit-log").json()

    assert [e["action"] for e in listing(cb_admin)["items"]] == ["organization.create"]
    assert listing(other_cb_admin)["count"] == 0
    assert listing(client_member)["count"] == 0


def test_the_demo_loads_once_and_a_second_run_changes_nothing(db):
    first = demo_load()
    counts = (Organization.objects.count(), AuditLogEntry.objects.count())
    second = demo_load()
    assert first.created
    assert not second.created
    assert (Organization.objects.count(), AuditLogEntry.objects.count()) == counts
    assert (
        counts[0] == 7
    )  # three clients at points of the lifecycle, three with certificates in other statuses, a retailer
    assert len(first.logins) == len(second.logins) >= 9


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    skip = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    clean.update(env)
    clean["CONFORMO_VAR_DIR"] = env.get("CONFORMO_VAR_DIR", clean.get("CONFORMO_VAR_DIR", str(ROOT / "var")))
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = _run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='conformo.settings'; django.setup()",
        ]
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_deploy_check_is_clean_with_production_settings():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="x" * 20 + "production-secret-key-that-is-long-and-random-0123456789",
        BASE_URL="https://certs.example.org",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_PRELOAD="1",
        ALLOWED_HOSTS="certs.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_says_that_production_needs_a_mail_server():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="x" * 20 + "production-secret-key-that-is-long-and-random-0123456789",
        BASE_URL="https://certs.example.org",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_PRELOAD="1",
        ALLOWED_HOSTS="certs.example.org",
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr + result.stdout


def test_the_cli_lists_conformo_commands_and_refuses_unknown_ones(tmp_path):
    help_run = run_in_process("--help")
    assert help_run.returncode == 0
    assert "demo" in help_run.stdout
    unknown = _run([sys.executable, "-m", "conformo.cli", "no-such-command"], CONFORMO_VAR_DIR=str(tmp_path))
    assert unknown.returncode != 0
    assert "Traceback" not in unknown.stderr
    key = tmp_path / "secret_key"
    assert key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
