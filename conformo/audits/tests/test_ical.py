"""The iCalendar feed is valid RFC 5545."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.ical import auditor_calendar, feed
from conformo.audits.tests.conftest import audit_of, team


def _event(summary: str) -> Event:
    event = Event()
    event.add("uid", "one@conformo.test")
    event.add("dtstamp", datetime(2026, 1, 10, 9, 30, tzinfo=UTC))
    event.add("dtstart", date(2026, 2, 2))
    event.add("summary", summary)
    return event


def test_lines_are_folded_at_75_octets_without_splitting_characters():
    summary = "Prüfung ÄÖÜ, " * 20
    pieces = feed("Audits", [_event(summary)]).split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    folded = [p for p in pieces if p.startswith(" ")]
    assert folded
    assert Calendar.from_ical(feed("Audits", [_event(summary)])).walk("VEVENT")[0]["SUMMARY"] == summary


def test_text_is_escaped():
    unfolded = feed("Audits", [_event("a,b;c\\d\ne")]).replace("\r\n ", "")
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n" in unfolded


def test_the_feed_lists_planned_assignments_with_uid_and_dtstamp(programme, ready, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    services.audit_plan(
        actor=programme_manager, audit=stage1, planned_start=date(2026, 2, 2), planned_end=date(2026, 2, 3)
    )
    services.audit_team_assign(actor=programme_manager, audit=stage1, members=team(ready))
    feed = auditor_calendar(ready.lead, now=datetime(2026, 1, 10, 9, 30, tzinfo=UTC))
    assert feed.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert feed.endswith("END:VCALENDAR\r\n")
    assert "\n" not in feed.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in feed.split("\r\n"))
    unfolded = feed.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260202\r\n" in unfolded
    assert "DTEND;VALUE=DATE:20260204\r\n" in unfolded
    assert "DTSTAMP:20260110T093000Z\r\n" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 1
    assert f"UID:audit-{stage1.public_id}-" in unfolded
    assert "Stage 1" in unfolded


def test_the_api_serves_the_feed_to_the_auditor(programme, ready, lead_auditor):
    from conformo.conftest import token_client

    client, _ = token_client(lead_auditor)
    response = client.get(f"/api/v1/auditors/{ready.lead.public_id}/calendar.ics")
    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
