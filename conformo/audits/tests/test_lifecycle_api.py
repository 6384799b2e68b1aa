"""The whole certification lifecycle through the API, as each role would drive it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import time_machine

from conformo.audits.tests.factories import AGREEMENT_TEXTS as AGREEMENT
from conformo.conftest import token_client
from conformo.core.models import AuditLogEntry

API = "/api/v1"


class Api:
    def __init__(self, user: Any) -> None:
        self.client, _ = token_client(user)

    def get(self, path: str) -> Any:
        response = self.client.get(API + path)
        assert response.status_code == 200, response.content
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = self.client.post(API + path, json.dumps(body or {}), content_type="application/json")
        assert response.status_code == status, response.content
        return response.json()


def _issue_report(lead: Any, audit_id: str, **values: Any) -> None:
    """The lead auditor drafts, completes and issues the audit report with the team's recommendation."""
    lead.post(f"/audits/{audit_id}/reports/draft", {}, status=201)
    edit = {"conclusions": "Effective", "objectives_met": True, "scope_appropriate": True, **values}
    lead.post(f"/audits/{audit_id}/reports/edit", edit)
    lead.post(f"/audits/{audit_id}/reports/issue", {})


def test_the_whole_lifecycle_runs_through_the_api(
    ready, acme, acme_sites, client_admin, cb_admin, programme_manager, lead_auditor, decision_maker, settings
):
    settings.API_TOKEN_TTL_DAYS = 10 * 365  # the story spans a 3-year cycle: the tokens outlive it
    client, pm, lead, dm = Api(client_admin), Api(programme_manager), Api(lead_auditor), Api(decision_maker)
    auditors = {a["email"]: a["id"] for a in pm.get("/auditors")["items"]}
    members = {
        "members": [
            {"auditor_id": auditors["lead@northbridge.test"], "role": "lead_auditor"},
            {"auditor_id": auditors["auditor@northbridge.test"], "role": "auditor"},
        ]
    }

    # Apply, review, accept.
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = client.post(
            "/applications",
            {
                "certification_body_id": str(ready.cb.public_id),
                "organization_id": str(acme.public_id),
                "standards": ["iso-9001-2015"],
                "scope": "Machining of precision parts",
                "site_ids": [str(s.public_id) for s in acme_sites],
                "sector_codes": [17],
                "consultancy_used": "None",
            },
            status=201,
        )
        review = pm.post(f"/applications/{application['id']}/review", status=201)
        assert review["ok"], review["checks"]
        assert review["audit_time"]["trace"], "the audit time keeps the rules engine's trace"
        assert [row["audit"] for row in review["quotation"]] == [
            "stage1",
            "stage2",
            "surveillance1",
            "surveillance2",
            "recertification",
        ]
        assert review["sampling"]["initial"] == 2
        programme = pm.post(f"/applications/{application['id']}/accept", status=201)
        # The CB publishes its certification agreement; the client accepts it before stage 1 (17021-1 5.1.2).
        admin = Api(cb_admin)
        draft = admin.post("/agreement-templates", {"certification_body_id": str(ready.cb.public_id), **AGREEMENT}, 201)
        admin.post(f"/agreement-templates/{draft['id']}/publish")
        client.post(f"/applications/{application['id']}/agreement/accept", {"version": 1, "on_behalf": True}, 201)
    audits = {a["kind"]: a for a in programme["audits"]}
    assert list(audits) == ["stage1", "stage2", "surveillance1", "surveillance2", "recertification"]
    certification_id = programme["certification_id"]

    # Stage 1 with an area of concern.
    with time_machine.travel(date(2026, 2, 2), tick=False):
        stage1 = audits["stage1"]["id"]
        pm.post(f"/audits/{stage1}/plan", {"planned_start": "2026-02-02", "planned_end": "2026-02-02"})
        assigned = pm.post(f"/audits/{stage1}/team", members)
        assert assigned["eligibility_ok"] is True
        lead.post(f"/audits/{stage1}/start", {})
        lead.post(
            f"/audits/{stage1}/findings",
            {"grade": "area_of_concern", "statement": "Calibration records thin", "clauses": ["iso-9001-2015:7.5"]},
            status=201,
        )
        lead.post(f"/audits/{stage1}/complete", {})

    # Stage 2 with a major and a minor nonconformity.
    with time_machine.travel(date(2026, 3, 2), tick=False):
        stage2 = audits["stage2"]["id"]
        pm.post(
            f"/audits/{stage2}/plan",
            {"planned_start": "2026-03-02", "planned_end": "2026-03-04", "onsite_days": "4", "remote_days": "1"},
        )
        pm.post(f"/audits/{stage2}/team", members)
        lead.post(f"/audits/{stage2}/start", {})
        major = lead.post(
            f"/audits/{stage2}/findings",
            {
                "grade": "major",
                "statement": "No internal audits held",
                "evidence": "Audit plan empty for 2025",
                "clauses": ["ISO 9001:2015 clause 9.2"],  # any accepted form is read (docs/api.md)
                "site_id": str(acme_sites[0].public_id),
            },
            status=201,
        )
        minor = lead.post(
            f"/audits/{stage2}/findings",
            {"grade": "minor", "statement": "One work order lacked sign-off", "clauses": ["iso-9001-2015 8.5.1"]},
            status=201,
        )
        assert major["response_due"] == "2026-05-31"
        assert (major["clauses"], minor["clauses"]) == (["iso-9001-2015:9.2"], ["iso-9001-2015:8.5.1"])
        lead.post(f"/audits/{stage2}/complete", {"summary": "Recommended after majors are verified"})
        _issue_report(lead, stage2, recommendation="grant")

    # The client responds; the lead accepts both and verifies the major.
    with time_machine.travel(date(2026, 3, 20), tick=False):
        for finding in (major, minor):
            answer = client.post(
                f"/findings/{finding['id']}/responses",
                {
                    "correction": "Fixed",
                    "root_cause": "No owner",
                    "corrective_action": "Owner named",
                    "planned_completion": "2026-04-01",
                },
                status=201,
            )
            lead.post(f"/findings/{finding['id']}/responses/{answer['id']}/accept", {})
        verification = lead.post(
            f"/findings/{major['id']}/verify", {"method": "documents", "effective": True}, status=201
        )
        assert verification["effective"] is True
        assert client.get(f"/findings/{major['id']}")["status"] == "verified"

    # Independent decision: grant.
    with time_machine.travel(date(2026, 4, 10), tick=False):
        granted = dm.post(f"/certifications/{certification_id}/decisions", {"kind": "grant"}, status=201)
        assert (granted["state_before"], granted["state_after"]) == ("pending", "active")
        certification = client.get(f"/certifications/{certification_id}")
        assert certification["expires_on"] == "2029-04-09"
        replanned = pm.get(f"/programmes/{programme['id']}")
        due = {a["kind"]: a["due_by"] for a in replanned["audits"]}
        assert due["surveillance1"] == "2027-04-10"
        assert due["surveillance2"] == "2028-04-10"

    # Surveillance 1.
    with time_machine.travel(date(2027, 3, 1), tick=False):
        sv1 = audits["surveillance1"]["id"]
        pm.post(f"/audits/{sv1}/plan", {"planned_start": "2027-03-01", "planned_end": "2027-03-02"})
        pm.post(f"/audits/{sv1}/team", members)
        lead.post(f"/audits/{sv1}/start", {})
        lead.post(f"/audits/{sv1}/complete", {})

    # Surveillance 2 slips past its limit: it shows as overdue, a suspension is proposed and decided.
    with time_machine.travel(date(2028, 5, 2), tick=False):
        sv2 = pm.get(f"/audits/{audits['surveillance2']['id']}")
        assert sv2["timing"] == "overdue"
        proposals = dm.get("/suspension-proposals")
        assert [p["certification_id"] for p in proposals] == [certification_id]
        suspended = dm.post(
            f"/certifications/{certification_id}/decisions",
            {"kind": "suspend", "reason": "Surveillance 2 not allowed in time"},
            status=201,
        )
        assert suspended["state_after"] == "suspended"
        special = pm.post(
            f"/programmes/{programme['id']}/special-audits", {"purpose": "short_notice", "days": "1"}, status=201
        )
        pm.post(f"/audits/{special['id']}/plan", {"planned_start": "2028-05-10", "planned_end": "2028-05-10"})
        pm.post(f"/audits/{special['id']}/team", members)

    with time_machine.travel(date(2028, 5, 10), tick=False):
        lead.post(f"/audits/{special['id']}/start", {})
        lead.post(f"/audits/{special['id']}/complete", {})
        restored = dm.post(
            f"/certifications/{certification_id}/decisions",
            {"kind": "restore", "reason": "Surveillance done", "issue_resolved": True},
            status=201,
        )
        assert restored["state_after"] == "active"

    # Recertification and renewal into the next cycle.
    with time_machine.travel(date(2029, 2, 1), tick=False):
        recert = audits["recertification"]["id"]
        pm.post(f"/audits/{recert}/plan", {"planned_start": "2029-02-01", "planned_end": "2029-02-02"})
        pm.post(f"/audits/{recert}/team", members)
        lead.post(f"/audits/{recert}/start", {})
        lead.post(f"/audits/{recert}/complete", {})
        _issue_report(lead, recert, recommendation="renew", surveillance_review="Complaints and changes reviewed")
    with time_machine.travel(date(2029, 3, 1), tick=False):
        renewed = dm.post(f"/certifications/{certification_id}/decisions", {"kind": "renew"}, status=201)
        assert renewed["state_after"] == "active"
        assert client.get(f"/certifications/{certification_id}")["expires_on"] == "2032-04-09"
        cycles = sorted(p["cycle"] for p in pm.get("/programmes")["items"])
        assert cycles == [1, 2]

    kinds = [d["kind"] for d in client.get("/decisions")["items"]]
    assert sorted(kinds) == ["grant", "renew", "restore", "suspend"]
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {
        "application.submit",
        "application.review",
        "programme.create",
        "audit.team_assign",
        "finding.raise",
        "finding.respond",
        "finding.verify",
        "certification.grant",
        "certification.suspend",
        "certification.restore",
        "certification.renew",
    } <= actions
