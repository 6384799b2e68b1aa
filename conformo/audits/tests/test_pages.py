"""The pages: each role reaches its work, actions go through the services, refusals show their reason."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of, team
from conformo.audits.tests.factories import qualify
from conformo.conftest import login


def test_the_workspace_lists_audits_and_findings_for_staff_and_client(open_minor, programme_manager, client_admin):
    for user in (programme_manager, client_admin):
        page = login(user).get(reverse("audits:home"))
        assert page.status_code == 200
        assert b"Missing sign-off" in page.content
        assert b"Surveillance 1" in page.content


def test_every_detail_page_renders_for_the_programme_manager(open_minor, programme_manager):
    programme = open_minor.audit.programme
    client = login(programme_manager)
    for url in (
        reverse("audits:application-detail", args=[programme.application.public_id]),
        reverse("audits:programme-detail", args=[programme.public_id]),
        reverse("audits:audit-detail", args=[open_minor.audit.public_id]),
        reverse("audits:finding-detail", args=[open_minor.public_id]),
        reverse("audits:auditors"),
        reverse("audits:schedule") + "?start=2026-01-01&days=400",
        reverse("audits:complaints"),
        reverse("audits:appeals"),
        reverse("certification:list"),
        reverse("certification:detail", args=[programme.certification.public_id]),
        reverse("audits:application-create"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_client_answers_a_finding_on_its_respond_page(open_minor, client_admin):
    url = reverse("audits:finding-respond", args=[open_minor.public_id])
    client = login(client_admin)
    assert b"Submit response" in client.get(url).content
    page = client.post(
        url,
        {"correction": "Signed", "root_cause": "No check", "corrective_action": "Checklist added"},
        follow=True,
    )
    assert b"Response submitted" in page.content
    open_minor.refresh_from_db()
    assert open_minor.status == "responded"


def test_another_client_gets_404_on_the_finding_page(open_minor, other_client_admin):
    assert (
        login(other_client_admin).get(reverse("audits:finding-detail", args=[open_minor.public_id])).status_code == 404
    )


def test_a_refused_team_shows_its_reasons_on_the_page(programme, ready, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    page = login(programme_manager).post(
        reverse("audits:team-assign", args=[stage1.public_id]),
        {f"role-{ready.auditor.public_id}": "lead_auditor"},
    )
    assert page.status_code == 409
    assert b"The team is not eligible" in page.content
    assert b"not qualified as lead auditor" in page.content


def test_the_application_is_made_reviewed_and_accepted_on_the_pages(
    ready, acme, acme_sites, client_admin, programme_manager
):
    page = login(client_admin).post(
        reverse("audits:application-create"),
        {
            "organization": str(acme.public_id),
            "certification_body": str(ready.cb.public_id),
            "standards": ["iso-9001-2015"],
            "scope": "Parts",
            "sites": [str(s.public_id) for s in acme_sites],
            "sector_codes": "17",
            "complexity": "medium",
        },
        follow=True,
    )
    assert b"Application submitted" in page.content
    application = acme.applications.get()
    staff = login(programme_manager)
    args = [application.public_id]
    page = staff.post(reverse("audits:application-review", args=args), follow=True)
    assert b"How the audit time was determined" in page.content
    page = staff.post(reverse("certification:application-accept", args=args), {"confirm": "on"}, follow=True)
    assert b"Surveillance 2" in page.content


def test_a_sector_code_the_domain_refuses_is_shown_not_dropped_on_the_application_page(
    ready, acme, acme_sites, client_admin
):
    page = login(client_admin).post(
        reverse("audits:application-create"),
        {
            "organization": str(acme.public_id),
            "certification_body": str(ready.cb.public_id),
            "standards": ["iso-9001-2015"],
            "scope": "Parts",
            "sites": [str(s.public_id) for s in acme_sites],
            "sector_codes": "17, 17a",
        },
        follow=True,
    )
    assert b"not valid: 17a" in page.content
    assert not acme.applications.exists()


def test_the_decision_page_tells_a_team_member_they_cannot_decide(
    stage1_done, ready, decision_maker, cb_admin, programme_manager
):
    as_auditor = services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=decision_maker)
    qualify(cb_admin, as_auditor, ready.qms, [17])
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_team_assign(
            actor=programme_manager,
            audit=stage2,
            members=[*team(ready), services.Member(as_auditor, "technical_expert")],
        )
    client = login(decision_maker)
    url = reverse("certification:detail", args=[stage1_done.certification.public_id])
    assert b"you cannot take its certification decision" in client.get(url).content
    page = client.post(
        reverse("certification:decision-take", args=[stage1_done.certification.public_id]),
        {"kind": "grant", "confirm": "on"},
    )
    assert page.status_code == 403
    assert b"9.5.1.2" in page.content


def test_the_calendar_feed_needs_its_secret_token(ready, db):
    from django.test import Client

    assert Client().get(reverse("audits:calendar-feed", args=["not-a-token"])).status_code == 404
    response = Client().get(reverse("audits:calendar-feed", args=[ready.lead.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_evidence_files_are_attached_and_served_only_to_those_who_see_the_finding(
    open_minor, ready, other_client_admin, client_admin, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = reverse("audits:finding-attach", args=[open_minor.public_id])
    page = login(ready.lead.user).post(url, {"file": SimpleUploadedFile("photo.txt", b"evidence")}, follow=True)
    assert b"File attached" in page.content
    attachment = open_minor.attachments.get()
    download = reverse("audits:finding-attachment", args=[open_minor.public_id, attachment.public_id])
    assert b"".join(login(client_admin).get(download).streaming_content) == b"evidence"  # type: ignore[attr-defined]
    assert login(other_client_admin).get(download).status_code == 404


def test_an_auditor_reads_the_programme_but_links_only_to_the_audits_they_are_on(
    open_minor, programme_manager, lead_auditor
):
    programme = open_minor.audit.programme
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    url = reverse("audits:programme-detail", args=[programme.public_id])
    surveillance_link = reverse("audits:audit-detail", args=[surveillance.public_id]).encode()
    stage2_link = reverse("audits:audit-detail", args=[open_minor.audit.public_id]).encode()
    as_lead = login(lead_auditor).get(url)
    assert stage2_link in as_lead.content
    assert surveillance_link not in as_lead.content  # not on its team: the audit page would be a 404
    assert b"Surveillance 1" in as_lead.content
    assert surveillance_link in login(programme_manager).get(url).content
