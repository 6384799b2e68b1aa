"""`conformo retention`, the retention API and page."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conformo.audits.models import Complaint
from conformo.conftest import login
from conformo.domain.retention import KIND_RULES
from conformo.retention.models import RetentionRun
from conformo.retention.records import REMOVED
from conformo.retention.tests.conftest import closed_complaint

pytestmark = pytest.mark.django_db

CLOSED = date(2026, 3, 10)


def test_the_command_lists_by_default_and_applies_with_apply(cli, cb, cb_admin, decision_maker):
    complaint = closed_complaint(cb, cb_admin, decision_maker, CLOSED)
    dry = cli("retention", "--cb", cb.name, "--on", "2032-03-11")
    assert dry.returncode == 0, dry.stderr
    assert str(complaint.public_id) in dry.stdout
    assert "1 record(s) would be removed or anonymised on 2032-03-11" in dry.stdout
    complaint.refresh_from_db()
    assert complaint.description != REMOVED
    assert not RetentionRun.objects.exists()

    applied = cli("retention", "--cb", cb.name, "--on", "2032-03-11", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert "0 deleted, 1 anonymised" in applied.stdout
    assert Complaint.objects.get().description == REMOVED
    assert RetentionRun.objects.get().done_by is None  # the operator's command: SYSTEM

    again = cli("retention", "--cb", cb.name, "--on", "2032-03-11", "--apply")
    assert "Nothing is past retention" in again.stdout
    assert RetentionRun.objects.count() == 1


def test_the_command_refuses_an_unknown_cb(cli, db):
    result = cli("retention", "--cb", "Nobody")
    assert result.returncode != 0
    assert "No certification body named 'Nobody'" in result.stderr


def test_the_api_reads_and_sets_the_policy_and_lists_due_records_and_runs(cli, cb, cb_admin, decision_maker):
    complaint = closed_complaint(cb, cb_admin, decision_maker, CLOSED)
    client = login(cb_admin)
    base = f"/api/v1/certification-bodies/{cb.public_id}/retention"
    assert client.get(f"{base}/policy").json()[1] == {
        "kind": "complaints",
        "label": "Complaints",
        "closes": "the day the complaint was closed",
        "years": 6,
        "action": "anonymise",
        "actions": ["anonymise", "delete"],
        "set": False,
    }
    refused = client.put(
        f"{base}/policy",
        json.dumps({"rows": [{"kind": "complaints", "years": 3, "action": "delete"}]}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "complaints.years" in refused.json()["fields"]
    assert client.get(f"{base}/policy").json()[1]["set"] is False
    due = client.get(f"{base}/due", {"on": "2032-03-11"}).json()
    assert [d["record_id"] for d in due["items"]] == [str(complaint.public_id)]
    assert client.get(f"{base}/due", {"on": "2032-03-10"}).json()["count"] == 0
    cli("retention", "--cb", cb.name, "--on", "2032-03-11", "--apply")
    runs = client.get(f"{base}/runs").json()["items"]
    assert runs[0]["entries"][0]["record_id"] == str(complaint.public_id)


def test_auditors_clients_and_other_cbs_see_no_retention(cb, auditor, client_admin, other_cb_admin):
    for user in (auditor, client_admin, other_cb_admin):
        client = login(user)
        assert client.get(f"/api/v1/certification-bodies/{cb.public_id}/retention/policy").status_code == 404
    assert login(auditor).get("/retention/").status_code == 404


def form_data(**changes: tuple[str, str]) -> dict[str, str]:
    """The policy form as the page posts it: every kind at its default, except the kinds changed."""
    data = {}
    for kind, rule in KIND_RULES.items():
        years, action = changes.get(kind.value, ("6", rule.default_action.value))
        data[f"{kind.value}_years"], data[f"{kind.value}_action"] = years, action
    return data


def test_the_page_shows_the_policy_and_the_admin_changes_it(cb, cb_admin, programme_manager):
    page = login(programme_manager).get("/retention/")
    assert page.status_code == 200
    assert b"Policy in force" in page.content and b"Save policy" not in page.content  # noqa: PT018 - one page
    client = login(cb_admin)
    bad = client.post(
        f"/retention/policy/?cb={cb.public_id}",
        form_data(complaints=("2", "delete")),
    )
    assert bad.status_code == 422
    assert b"6 years or more, not 2" in bad.content
    good = client.post(
        f"/retention/policy/?cb={cb.public_id}",
        form_data(complaints=("8", "delete"), finding_evidence=("10", "delete")),
    )
    assert good.status_code == 302
    assert cb.retention_policies.get(kind="complaints").years == 8
