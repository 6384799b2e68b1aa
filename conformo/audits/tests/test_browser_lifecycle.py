"""The whole certification lifecycle through the pages, in Chromium, as each role would drive it.

A client applies; the programme manager reviews and accepts; the client accepts the certification agreement; the
programme manager plans and assigns the teams; the lead auditor runs stage 1 and stage 2 (a major and a minor
nonconformity); the client answers both; the lead auditor accepts the answers and verifies the major; a decision
maker who was on no team grants. Then surveillance, a suspension when surveillance 2 slips, a short-notice audit
and restoration, recertification and renewal.

The live server runs in a thread of this process, so `time_machine.travel(..., tick=True)` moves its clock
too. Each person keeps their own browser context (and session) across the years.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from conformo.audits.models import Audit, ConflictOfInterest, Unavailability
from conformo.audits.tests.conftest import issue_report
from conformo.audits.tests.factories import published_agreement
from conformo.certification.models import Certification
from conformo.core.tests.browser import follow, sign_in

PASSWORD = "pw-for-tests"


def on(day: date) -> Any:
    """Travel to 09:00 UTC on `day`, with the clock running."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC), tick=True)


def press(tab: Any, button: str, message: str) -> None:
    """Submit with `button` and wait for the page that says `message`."""
    follow(tab, tab.get_by_role("button", name=button, exact=True))
    expect(tab.get_by_role("status")).to_contain_text(message)


def open_audit(tab: Any, programme_url: str, name: str) -> str:
    tab.goto(programme_url)
    tab.get_by_role("link", name=name, exact=True).click()
    tab.wait_for_url(re.compile(r"/cb/audits/[0-9a-f-]+/$"))
    return str(tab.url)


def plan_and_assign(pm: Any, programme_url: str, audit: str, start: str, end: str, team: dict[str, str]) -> str:
    """The programme manager plans `audit` and assigns the team (auditor's name → role)."""
    url = open_audit(pm, programme_url, audit)
    pm.get_by_label(re.compile(r"^Start\b")).fill(start)  # a required field's label ends with a marker
    pm.get_by_label(re.compile(r"^End\b")).fill(end)
    press(pm, "Save plan", "Plan saved.")
    for name, role in team.items():
        pm.get_by_label(name, exact=True).select_option(role)
    press(pm, "Check and assign", "Team assigned.")
    expect(pm.get_by_text("eligible", exact=True)).to_be_visible()
    return url


def run_audit(lead: Any, url: str, findings: Sequence[tuple[str, str]] = (), summary: str = "Done") -> None:
    """The lead auditor starts the audit, raises `findings` (grade label, statement) and completes it."""
    lead.goto(url)
    lead.get_by_label("I confirm").check()
    press(lead, "Start the audit", "Audit started.")
    for grade, statement in findings:
        lead.get_by_label("Grade").select_option(label=grade)
        lead.get_by_label("Statement").fill(statement)
        lead.get_by_label("Objective evidence").fill(f"Seen on site: {statement.lower()}")
        lead.get_by_label("Clauses and controls").select_option(index=0)  # a nonconformity cites one
        press(lead, "Raise", "Finding raised.")
        expect(lead.get_by_role("cell", name=statement)).to_be_visible()
    lead.get_by_label("Summary").fill(summary)
    lead.get_by_label("I confirm").check()
    press(lead, "Complete the audit", "Audit completed.")


def issue_report_of(ready: Any, kind: str, **values: Any) -> None:
    """The lead auditor issues the audit's report with the team's recommendation (the report pages have their own
    tests; a grant or renewal rests on the issued report, 17021-1 9.5.1)."""
    issue_report(Audit.objects.get(kind=kind), ready.lead.user, **values)


def decide(dm: Any, certification_url: str, kind: str, reason: str = "", resolved: bool = False) -> None:
    dm.goto(certification_url)
    dm.get_by_role("radio", name=re.compile(rf"^{kind} —")).check()
    if reason:
        dm.get_by_label("Reason", exact=True).fill(reason)
    if resolved:
        dm.get_by_label("The issue behind the suspension is resolved").check()
    dm.get_by_label("I confirm").check()
    press(dm, "Record the decision", "Decision recorded.")


@pytest.fixture
def people(
    browser: Any,
    live_server: Any,
    settings: Any,
    ready: Any,
    acme_sites: Any,
    client_admin: Any,
    programme_manager: Any,
    decision_maker: Any,
) -> Iterator[dict[str, Any]]:
    """A signed-in tab per person. Sessions outlive the years the test travels through."""
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    contexts = []
    tabs = {}
    with on(date(2026, 1, 5)):
        for who, email in (
            ("client", "quality@acme.test"),
            ("pm", "programme@northbridge.test"),
            ("lead", "lead@northbridge.test"),
            ("dm", "decision@northbridge.test"),
        ):
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(15_000)
            contexts.append(context)
            tabs[who] = context.new_page()
            sign_in(tabs[who], email, PASSWORD)
    try:
        yield tabs
    finally:
        for context in contexts:
            context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_lifecycle_runs_through_the_pages(people: dict[str, Any], ready: Any, bluewater: Any) -> None:
    expect.set_options(timeout=15_000)
    published_agreement(ready.cb)
    client, pm, lead, dm = people["client"], people["pm"], people["lead"], people["dm"]
    team = {str(ready.lead): "lead_auditor", str(ready.auditor): "auditor"}

    with on(date(2026, 1, 5)):
        # The lead auditor keeps their register entry: a past consultancy elsewhere, and a week of leave.
        lead.goto("/cb/")
        follow(lead, lead.get_by_role("link", name="My conflicts of interest and unavailability"))
        lead.get_by_label("Client").select_option(label=str(bluewater))
        lead.get_by_label("Relationship started on").fill("2020-01-01")
        lead.get_by_label("Relationship ended on").fill("2021-01-01")
        press(lead, "Declare", "Conflict of interest declared.")
        lead.get_by_label("First day unavailable").fill("2026-06-01")
        lead.get_by_label("Last day unavailable").fill("2026-06-07")
        press(lead, "Add period", "Unavailability recorded.")
        assert ConflictOfInterest.objects.filter(auditor=ready.lead, organization=bluewater).exists()
        assert Unavailability.objects.filter(auditor=ready.lead).exists()

        # The client applies.
        client.goto("/cb/")
        follow(client, client.get_by_role("link", name="Apply for certification"))
        client.get_by_label("ISO 9001:2015").check()
        client.get_by_label("Scope of certification").fill("Machining of precision parts")
        client.get_by_label("IAF sector codes").fill("17")
        press(client, "Submit application", "Application submitted.")

        # The programme manager reviews and accepts: the 3-year programme is created.
        pm.goto("/cb/")
        follow(pm, pm.get_by_role("link", name="Acme Precision Parts").first)
        press(pm, "Run the review", "Review recorded.")
        expect(pm.get_by_text("passed", exact=True)).to_be_visible()
        application_url = str(pm.url)
        pm.get_by_label("I confirm").check()
        press(pm, "Accept and create the programme", "the 3-year programme is created")
        pm.wait_for_url(re.compile(r"/cb/programmes/[0-9a-f-]+/$"))
        programme_url = str(pm.url)
        for audit in ("Stage 1", "Stage 2", "Surveillance 1", "Surveillance 2", "Recertification"):
            expect(pm.get_by_role("link", name=audit, exact=True)).to_be_visible()

        # The client accepts the CB's certification agreement on the application page (17021-1 5.1.2).
        client.goto(application_url)
        client.get_by_label("I accept this agreement on behalf of Acme Precision Parts").check()
        press(client, "Accept the agreement", "Agreement accepted.")
        expect(client.locator("#agreement")).to_contain_text("Accepted in Conformo")

    with on(date(2026, 2, 2)):
        stage1 = plan_and_assign(pm, programme_url, "Stage 1", "2026-02-02", "2026-02-02", team)
        run_audit(lead, stage1, [("Area of concern (stage 1)", "Calibration records thin")], "Ready for stage 2")

    with on(date(2026, 3, 2)):
        stage2 = plan_and_assign(pm, programme_url, "Stage 2", "2026-03-02", "2026-03-04", team)
        expect(pm.get_by_text("Calibration records thin")).to_be_visible()  # stage 1's concern, for stage 2
        run_audit(
            lead,
            stage2,
            [("Major nonconformity", "No internal audits held"), ("Minor nonconformity", "Work order lacked sign-off")],
            "Recommended once the major is verified",
        )

    with on(date(2026, 3, 20)):
        # The client answers both nonconformities from its workspace.
        finding_urls = {}
        for grade in ("Major nonconformity", "Minor nonconformity"):
            client.goto("/cb/")
            client.get_by_role("link", name=re.compile(grade)).click()
            client.wait_for_url(re.compile(r"/cb/findings/[0-9a-f-]+/$"))
            finding_urls[grade] = str(client.url)
            client.get_by_label("Correction").fill("Fixed the case found")
            client.get_by_label("Root cause").fill("Nobody owned the process")
            client.get_by_label("Corrective action").fill("Owner named, checklist added")
            client.get_by_label("Planned completion").fill("2026-04-01")
            press(client, "Submit response", "Response submitted.")

        # The lead auditor accepts both answers and verifies the major by documents.
        for url in finding_urls.values():
            lead.goto(url)
            press(lead, "Accept", "Response accepted.")
        lead.goto(finding_urls["Major nonconformity"])
        lead.get_by_label("Method").select_option(label="Documentary review")
        lead.get_by_label("Effective?").select_option(label="Yes")
        press(lead, "Record verification", "Verification recorded.")
        expect(lead.get_by_text("Verified effective")).to_be_visible()

    with on(date(2026, 4, 10)):
        issue_report_of(ready, "stage2", recommendation="grant")
        # The decision maker, on no audit team, finds Acme awaiting its decision and grants.
        dm.goto("/certification/awaiting-decision/")
        expect(dm.get_by_role("cell", name="Grant certification")).to_be_visible()
        dm.goto("/cb/")
        follow(dm, dm.get_by_role("link", name="Certifications & decisions"))
        dm.get_by_role("link", name="Acme Precision Parts").click()
        dm.wait_for_url(re.compile(r"/certification/[0-9a-f-]+/$"))
        certification_url = str(dm.url)
        decide(dm, certification_url, "Grant")
        expect(dm.get_by_text("Active", exact=True)).to_be_visible()
        certification = Certification.objects.get()
        assert (certification.state, certification.expires_on) == ("active", date(2029, 4, 9))

    with on(date(2027, 3, 1)):
        surveillance1 = plan_and_assign(pm, programme_url, "Surveillance 1", "2027-03-01", "2027-03-02", team)
        run_audit(lead, surveillance1)

    with on(date(2028, 5, 2)):
        # Surveillance 2 slipped past its limit: overdue, and a suspension is proposed to the decision maker.
        pm.goto(programme_url)
        expect(pm.get_by_role("row", name=re.compile("Surveillance 2")).get_by_text("Overdue")).to_be_visible()
        dm.goto("/cb/")
        proposals = dm.get_by_role("region", name="Suspension proposed")
        expect(proposals).to_contain_text("Surveillance 2 was due by 2028-04-10")
        proposals.get_by_role("link", name="Acme Precision Parts").click()
        decide(dm, certification_url, "Suspend", reason="Surveillance 2 not held in time")
        expect(dm.get_by_text("Suspended", exact=True)).to_be_visible()

        # The programme manager adds a short-notice audit to lift it.
        pm.goto(programme_url)
        pm.get_by_label("Purpose").select_option(label="Short notice")
        pm.get_by_label("Due by").fill("2028-06-30")
        pm.get_by_label("Days").fill("1")
        press(pm, "Add", "Special audit added.")
        special = plan_and_assign(pm, programme_url, "Short-notice audit (9.6.4.2)", "2028-05-10", "2028-05-10", team)

    with on(date(2028, 5, 10)):
        run_audit(lead, special, summary="Surveillance 2 topics covered")
        decide(dm, certification_url, "Restore", reason="Short-notice audit done", resolved=True)
        expect(dm.get_by_text("Active", exact=True)).to_be_visible()

    with on(date(2029, 2, 1)):
        recertification = plan_and_assign(pm, programme_url, "Recertification", "2029-02-01", "2029-02-02", team)
        run_audit(lead, recertification)

    with on(date(2029, 3, 1)):
        issue_report_of(ready, "recertification", recommendation="renew", surveillance_review="Nothing to report")
        decide(dm, certification_url, "Renew")
        expect(dm.get_by_role("link", name=re.compile(r"cycle 2"))).to_be_visible()
        # The decisions table (the certification page also shows its scope lines as a table)
        decisions = dm.get_by_role("table").filter(has=dm.get_by_role("columnheader", name="Decision"))
        for kind in ("Grant", "Suspend", "Restore", "Renew"):
            expect(decisions.get_by_role("cell", name=re.compile(rf"^{kind} \("))).to_be_visible()
        certification.refresh_from_db()
        assert (certification.state, certification.expires_on) == ("active", date(2032, 4, 9))

    # The client sees its certification and every decision on its own pages.
    with on(date(2029, 3, 2)):
        client.goto(certification_url)
        expect(client.get_by_role("heading", name="Acme Precision Parts")).to_be_visible()
        expect(client.get_by_text("Active", exact=True)).to_be_visible()
