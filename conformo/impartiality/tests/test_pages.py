"""The impartiality pages: the register with its links for the CB administrator only, forms with field errors."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from conformo.conftest import login
from conformo.impartiality.models import CommitteeMeeting, Threat

pytestmark = pytest.mark.django_db


def test_the_cb_administrator_adds_a_threat_and_reviews_it(cb, cb_admin):
    client = login(cb_admin)
    register = client.get("/impartiality/")
    assert register.status_code == 200
    assert b"Add a threat" in register.content
    with time_machine.travel(date(2026, 1, 10), tick=False):
        response = client.post(
            f"/impartiality/threats/new/?cb={cb.public_id}",
            {
                "title": "Auditors paid per audit day",
                "kind": "self_interest",
                "source": "financing",
                "likelihood": "2",
                "severity": "2",
                "residual_level": "low",
            },
        )
    threat = Threat.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/impartiality/threats/{threat.public_id}/")
    with time_machine.travel(date(2026, 2, 1), tick=False):
        reviewed = client.post(
            f"/impartiality/threats/{threat.public_id}/review/",
            {"review-reviewed_on": "2026-02-01", "review-outcome": "Checked.", "review-residual_level": "low"},
        )
    assert reviewed.status_code == 302
    page = client.get(f"/impartiality/threats/{threat.public_id}/")
    assert b"Checked." in page.content
    assert b"Record a review" in page.content


def test_bad_input_shows_the_form_again_with_422(cb, cb_admin):
    response = login(cb_admin).post(
        f"/impartiality/threats/new/?cb={cb.public_id}", {"title": "", "kind": "x", "likelihood": "9"}
    )
    assert response.status_code == 422
    assert not Threat.objects.exists()


def test_a_programme_manager_reads_without_the_admins_forms(cb, programme_manager):
    page = login(programme_manager).get("/impartiality/")
    assert page.status_code == 200
    assert b"Add a threat" not in page.content
    assert b"Review interval" not in page.content


def test_auditors_get_404(cb, auditor):
    assert login(auditor).get("/impartiality/").status_code == 404
    assert login(auditor).get("/impartiality/committee/").status_code == 404


def test_a_meeting_is_recorded_from_its_page(cb, cb_admin):
    client = login(cb_admin)
    client.post(
        f"/impartiality/committee/members/new/?cb={cb.public_id}",
        {"member-name": "Ana", "member-interest": "Clients", "member-joined_on": "2025-01-01"},
    )
    member = cb.committee_members.get()
    assert client.get(f"/impartiality/committee/meetings/new/?cb={cb.public_id}").status_code == 200
    response = client.post(
        f"/impartiality/committee/meetings/new/?cb={cb.public_id}",
        {"held_on": "2026-01-05", "attendees": [member.pk], "agenda": "Register", "minutes": "No new threats."},
    )
    assert response.status_code == 302
    assert CommitteeMeeting.objects.get().attendees.get() == member
    assert b"No new threats." in client.get("/impartiality/committee/").content


def test_related_bodies_page_and_declaring_a_relationship(cb, cb_admin, acme):
    client = login(cb_admin)
    created = client.post(
        f"/impartiality/related-bodies/new/?cb={cb.public_id}",
        {"body-name": "QP Ltd", "body-relationship": "Same owner", "body-services": "Consultancy"},
    )
    assert created.status_code == 302
    body = cb.related_bodies.get()
    url = f"/impartiality/related-bodies/{body.public_id}/relationships/"
    assert client.get(url).status_code == 200
    declared = client.post(
        url, {"rel-organization": acme.pk, "rel-kind": "consultancy", "rel-started_on": "2025-01-01"}
    )
    assert declared.status_code == 302
    assert b"Acme Precision Parts" in client.get("/impartiality/related-bodies/").content


def test_the_cb_administrator_reassesses_a_threat_from_its_page(threat, cb_admin):
    client = login(cb_admin)
    url = f"/impartiality/threats/{threat.public_id}/reassess/"
    bad = client.post(url, {"assess-likelihood": "9", "assess-severity": "1"})
    assert bad.status_code == 422
    good = client.post(url, {"assess-likelihood": "3", "assess-severity": "2", "assess-controls": "Cap fees"})
    assert good.status_code == 302
    threat.refresh_from_db()
    assert (threat.level, threat.controls) == ("high", "Cap fees")
