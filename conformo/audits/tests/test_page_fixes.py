"""Small page fixes: the schedule's period field keeps its number, an audit's status and dates read plainly,
and a completed audit shows when it was held."""

from __future__ import annotations

import re

from django.urls import reverse

from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of
from conformo.conftest import login


def _html(response) -> str:
    return response.content.decode()


def test_the_schedule_keeps_the_number_of_days_asked_for(programme, programme_manager):
    page = _html(login(programme_manager).get(reverse("audits:schedule") + "?start=2026-01-01&days=30"))
    assert re.search(r'<input type="number" name="days" value="30"', page)
    assert "2026-01-01 – 2026-01-31" in page


def test_the_schedule_shows_the_default_period_it_used_when_days_is_left_blank(programme, programme_manager):
    page = _html(login(programme_manager).get(reverse("audits:schedule") + "?start=2026-01-01&days="))
    assert re.search(r'<input type="number" name="days" value="90"', page)
    assert "2026-01-01 – 2026-04-01" in page


def test_an_audit_without_dates_reads_to_be_planned_not_planned(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    client = login(programme_manager)
    detail = _html(client.get(reverse("audits:audit-detail", args=[stage1.public_id])))
    assert "<dt>Status</dt><dd>To be planned</dd>" in detail
    assert "<dt>Planned dates</dt><dd>none yet</dd>" in detail
    listing = _html(client.get(reverse("audits:programme-detail", args=[programme.public_id])))
    assert "not planned" not in listing
    assert "no dates yet" in listing


def test_a_planned_audit_with_dates_reads_planned(stage1, programme_manager):
    detail = _html(login(programme_manager).get(reverse("audits:audit-detail", args=[stage1.public_id])))
    assert "<dt>Status</dt><dd>Planned</dd>" in detail
    assert "<dt>Planned dates</dt><dd>2026-02-02 – 2026-02-02</dd>" in detail


def test_a_completed_audit_shows_when_it_started_and_was_completed(stage1_done, programme_manager):
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    client = login(programme_manager)
    detail = _html(client.get(reverse("audits:audit-detail", args=[stage1.public_id])))
    assert "<dt>Started</dt><dd>2026-02-02</dd>" in detail
    assert "<dt>Completed</dt><dd>2026-02-02</dd>" in detail
    listing = _html(client.get(reverse("audits:programme-detail", args=[stage1_done.public_id])))
    assert "held 2026-02-02 – 2026-02-02" in listing


def test_the_audit_page_title_is_the_audit_alone(stage1, programme_manager):
    detail = _html(login(programme_manager).get(reverse("audits:audit-detail", args=[stage1.public_id])))
    title = re.search(r"<title>(.*?)</title>", detail, re.S)
    assert title is not None
    assert title.group(1).strip().endswith("· Conformo")
    assert "<" not in title.group(1)
