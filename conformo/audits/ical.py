"""An auditor's assignments as an iCalendar feed (RFC 5545), written by the `icalendar` library: CRLF line
endings, lines folded at 75 octets, escaped text, a stable UID and a DTSTAMP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from conformo.audits.models import Auditor
from conformo.audits.selectors import assignments_for

PRODID = "-//Conformo//Audit assignments//EN"


def feed(name: str, events: Iterable[Event]) -> str:
    """A published calendar called `name` holding `events`."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def auditor_calendar(auditor: Auditor, now: datetime | None = None) -> str:
    """The auditor's planned audits as all-day events (DTEND is the day after the last audit day)."""
    stamp = (now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    host = settings.BASE_URL.split("//", 1)[-1].split("/", 1)[0] or "conformo"
    events = []
    for member in assignments_for(auditor):
        audit = member.audit
        if audit.planned_start is None or audit.status == "cancelled":
            continue
        end = (audit.planned_end or audit.planned_start) + timedelta(days=1)
        sites = ", ".join(site.name for site in audit.sites.all())
        event = Event()
        event.add("uid", f"audit-{audit.public_id}-{member.public_id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", audit.planned_start)
        event.add("dtend", end)
        event.add("summary", f"{audit} ({member.get_role_display()})")
        event.add("description", f"{audit.days} audit days; sites: {sites or chr(8212)}")
        event.add("location", sites)
        event.add("status", "CONFIRMED" if audit.status != "planned" or audit.eligibility_ok else "TENTATIVE")
        event.add("transp", "OPAQUE")
        events.append(event)
    return feed(f"Audits of {auditor}", events)
