"""Stage 2 from its audit plan to the grant decision, through the pages, in Chromium.

The programme manager plans stage 2, assigns the team and issues version 1 of the audit plan; the client's
administrator objects to a team member with a reason; the programme manager replaces the member, records the
resolution and issues version 2; the client accepts it; the lead auditor starts and completes the audit, then
drafts and issues the report with a grant recommendation; a decision maker who was on no team reads the file
on the certification page and grants.

Set-up only (people, the CB, its catalogue and register, Acme's programme with stage 1 done) goes through the
services, as the fixtures of the other audit tests do; every step of the story is driven through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from conformo.audits import services
from conformo.audits.choices import AuditStatus, ObjectionStatus, PlanStatus, QualificationRole
from conformo.audits.models import Audit, Auditor, AuditPlan, AuditProgramme, PlanObjection
from conformo.audits.tests.factories import qualify
from conformo.audits.tests.test_browser_lifecycle import PASSWORD, on, open_audit, press
from conformo.certification.models import Certification
from conformo.conftest import _member
from conformo.core.roles import Role
from conformo.core.tests.browser import follow, sign_in


@pytest.fixture
def replacement(ready: Any, cb_admin: Any) -> Auditor:
    """A third auditor on the CB's register, qualified like the one the client will object to."""
    user = _member(Role.AUDITOR, "second@northbridge.test", certification_body=ready.cb)
    auditor = services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=user)
    qualify(cb_admin, auditor, ready.qms, [18], QualificationRole.AUDITOR)
    return auditor


@pytest.fixture
def people(
    browser: Any,
    live_server: Any,
    settings: Any,
    stage1_done: AuditProgramme,
    client_admin: Any,
    decision_maker: Any,
) -> Iterator[dict[str, Any]]:
    """A signed-in tab per person; sessions outlive the weeks the test travels through."""
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    contexts = []
    tabs = {}
    with on(date(2026, 3, 2)):
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


def plan_section(tab: Any) -> Any:
    return tab.get_by_role("region", name="Audit plan")


def form_titled(tab: Any, heading: str | re.Pattern[str]) -> Any:
    return tab.locator("form").filter(has=tab.get_by_role("heading", name=heading))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stage_2_from_its_plan_and_an_objection_to_the_grant(
    people: dict[str, Any], ready: Any, stage1_done: AuditProgramme, replacement: Auditor
) -> None:
    expect.set_options(timeout=15_000)
    client, pm, lead, dm = people["client"], people["pm"], people["lead"], people["dm"]
    programme_url = f"/cb/programmes/{stage1_done.public_id}/"
    objected, lead_name, new_name = str(ready.auditor), str(ready.lead), str(replacement)

    with on(date(2026, 3, 2)):
        # The programme manager plans stage 2 and assigns the team.
        stage2 = open_audit(pm, programme_url, "Stage 2")
        pm.get_by_label(re.compile(r"^Start\b")).fill("2026-03-16")
        pm.get_by_label(re.compile(r"^End\b")).fill("2026-03-18")
        press(pm, "Save plan", "Plan saved.")
        pm.get_by_label(lead_name, exact=True).select_option("lead_auditor")
        pm.get_by_label(objected, exact=True).select_option("auditor")
        press(pm, "Check and assign", "Team assigned.")
        expect(pm.get_by_text("eligible", exact=True)).to_be_visible()

        # ... drafts the audit plan, completes it and issues version 1 to the client.
        expect(plan_section(pm)).to_contain_text("No plan issued yet.")
        press(pm, "Draft the audit plan", "Audit plan drafted.")
        edit = form_titled(pm, "Edit draft version 1")
        edit.get_by_label(re.compile(r"^Language\b")).fill("English")
        edit.get_by_label(re.compile(r"^Timetable\b")).fill(
            f"2026-03-16 09:00-12:00 | {ready.lead.user.email} | HQ | 4.1-4.4, 5.1"
        )
        press(pm, "Save the plan", "Audit plan saved.")
        expect(form_titled(pm, "Issue version 1 to the client")).to_be_visible()
        press(pm, "Issue", "Audit plan issued to the client.")
        expect(plan_section(pm)).to_contain_text("Version 1, issued 2026-03-02")
        expect(plan_section(pm)).to_contain_text(f"{objected} (Auditor)")

    with on(date(2026, 3, 3)):
        # The client's administrator finds stage 2 among its open audits and objects to the auditor.
        client.goto("/cb/")
        client.get_by_role("link", name=re.compile(r"Stage 2")).first.click()
        client.wait_for_url(re.compile(r"/cb/audits/[0-9a-f-]+/$"))
        expect(plan_section(client)).to_contain_text("Version 1, issued 2026-03-02")
        expect(client.get_by_role("button", name="Accept version 1")).to_be_visible()
        objection = form_titled(client, "Object to a team member")
        objection.get_by_label(re.compile(r"^Team member\b")).select_option(label=f"{objected} (Auditor)")
        objection.get_by_label(re.compile(r"^Reason\b")).fill("Worked for our main competitor last year")
        press(client, "Send the objection", "Objection sent to the certification body.")
        expect(plan_section(client)).to_contain_text(f"{objected}: Worked for our main competitor last year — Open")

    with on(date(2026, 3, 4)):
        # The programme manager replaces the member on the team, then records the resolution.
        pm.goto(stage2)
        expect(plan_section(pm)).to_contain_text("Worked for our main competitor last year")
        pm.get_by_label(objected, exact=True).select_option("")
        pm.get_by_label(new_name, exact=True).select_option("auditor")
        press(pm, "Check and assign", "Team assigned.")
        expect(pm.get_by_text("eligible", exact=True)).to_be_visible()
        expect(plan_section(pm)).to_contain_text("The audit's dates, days, sites or team changed since version 1")
        resolve = plan_section(pm).locator("form").filter(has=pm.get_by_role("button", name="Resolve"))
        resolve.get_by_label(re.compile(r"^Resolution\b")).select_option(label="Member replaced")
        resolve.get_by_label(re.compile(r"^Note\b")).fill(f"{new_name} audits instead")
        press(pm, "Resolve", "Objection resolved.")
        expect(plan_section(pm)).to_contain_text("Resolved (member replaced")

        # ... and issues version 2 of the plan, saying what changed.
        change = form_titled(pm, "Change the plan (opens version 2)")
        change.get_by_label(re.compile(r"^Timetable\b")).fill(
            f"2026-03-16 09:00-12:00 | {ready.lead.user.email} | HQ | 4.1-4.4, 5.1\n"
            f"2026-03-16 13:00-16:00 | {replacement.user.email} | HQ | 8.5"
        )
        press(pm, "Save the plan", "Audit plan saved.")
        issue = form_titled(pm, "Issue version 2 to the client")
        issue.get_by_label(re.compile(r"^What changed and why\b")).fill("Auditor replaced after the client's objection")
        press(pm, "Issue", "Audit plan issued to the client.")
        expect(plan_section(pm)).to_contain_text("Version 2, issued 2026-03-04")
        expect(plan_section(pm)).to_contain_text(f"{new_name} (Auditor)")
        expect(plan_section(pm)).not_to_contain_text(f"{objected} (Auditor)")
        expect(plan_section(pm)).to_contain_text("Changed: ")
        expect(plan_section(pm)).to_contain_text("(Auditor replaced after the client's objection)")
        expect(plan_section(pm).get_by_role("link", name="Version 1", exact=True)).to_be_visible()
        expect(plan_section(pm)).to_contain_text("Version 1 — superseded")

    with on(date(2026, 3, 5)):
        # The client accepts version 2.
        client.goto("/cb/")
        client.get_by_role("link", name=re.compile(r"Stage 2")).first.click()
        client.wait_for_url(re.compile(r"/cb/audits/[0-9a-f-]+/$"))
        expect(plan_section(client)).to_contain_text("Version 2, issued 2026-03-04")
        press(client, "Accept version 2", "Audit plan accepted.")
        expect(plan_section(client)).to_contain_text("accepted by the client 2026-03-05")
        expect(client.get_by_role("button", name=re.compile(r"^Accept version"))).to_have_count(0)

    plans = AuditPlan.objects.filter(audit__public_id=stage2.rstrip("/").rsplit("/", 1)[1]).order_by("version")
    assert [(p.version, p.status, p.accepted_at is not None) for p in plans] == [
        (1, PlanStatus.SUPERSEDED, False),
        (2, PlanStatus.ISSUED, True),
    ]
    assert PlanObjection.objects.get().status == ObjectionStatus.RESOLVED

    with on(date(2026, 3, 16)):
        # The lead auditor runs the audit.
        lead.goto(stage2)
        lead.get_by_label("I confirm").check()
        press(lead, "Start the audit", "Audit started.")
        expect(lead.get_by_text("In progress", exact=True)).to_be_visible()

    with on(date(2026, 3, 18)):
        lead.goto(stage2)
        lead.get_by_label("Summary").fill("The management system is effective")
        lead.get_by_label("I confirm").check()
        press(lead, "Complete the audit", "Audit completed.")
        expect(lead.get_by_role("definition").filter(has_text=re.compile(r"^Completed$"))).to_be_visible()

        # ... drafts the audit report, recommends the grant and issues it.
        expect(lead.get_by_role("region", name="Audit report")).to_contain_text("Report due")
        press(lead, "Draft the report", "Report drafted.")
        report = form_titled(lead, "Edit revision 1")
        report.get_by_label(re.compile(r"^Client's representative\b")).fill("Q. Manager")
        report.get_by_label(re.compile(r"^Conclusions\b")).fill("Conforming and effective")
        report.get_by_label(re.compile(r"^Audit objectives met\b")).select_option(label="Yes")
        report.get_by_label(re.compile(r"^Scope of certification appropriate\b")).select_option(label="Yes")
        report.get_by_label(re.compile(r"^Team's recommendation\b")).select_option(label="Grant certification")
        press(lead, "Save the report", "Report saved.")
        press(lead, "Issue", "Report issued to the client.")
        section = lead.get_by_role("region", name="Audit report")
        expect(section).to_contain_text("Revision 1, issued 2026-03-18")
        expect(section).to_contain_text("Grant certification")

    with on(date(2026, 4, 2)):
        # A decision maker, on no audit team, reads the file on the certification page and grants.
        dm.goto("/cb/")
        follow(dm, dm.get_by_role("link", name="Certifications & decisions"))
        dm.get_by_role("link", name="Acme Precision Parts").click()
        dm.wait_for_url(re.compile(r"/certification/[0-9a-f-]+/$"))
        file = dm.get_by_role("region", name="The certification file")
        expect(file).to_contain_text("Stage 2 — Completed (2026-03-18)")
        expect(file).to_contain_text("Version 2 (issued")
        expect(file).to_contain_text("rev. 1 (issued) — recommends: Grant certification")
        dm.get_by_role("radio", name=re.compile(r"^Grant —")).check()
        dm.get_by_label("I confirm").check()
        press(dm, "Record the decision", "Decision recorded.")
        expect(dm.get_by_text("Active", exact=True)).to_be_visible()

    certification = Certification.objects.get()
    assert certification.state == "active"
    assert Audit.objects.get(public_id=stage2.rstrip("/").rsplit("/", 1)[1]).status == AuditStatus.COMPLETED
