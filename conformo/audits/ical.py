"""An auditor's assignments as an iCalendar feed (RFC 5545), written by hand: CRLF line endings, lines
folded at 75 octets without splitting a UTF-8 character, escaped text, a stable UID and a DTSTAMP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from conformo.audits.models import Auditor
from conformo.audits.selectors import assignments_for

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1); continuation lines start
    with one space, which counts towards their 75."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = char
            limit = 74
        else:
            current += char
    parts.append(current)
    return (CRLF + " ").join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def calendar(lines: Iterable[str]) -> str:
    body = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Conformo//Audit assignments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *lines,
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in body)


def auditor_calendar(auditor: Auditor, now: datetime | None = None) -> str:
    """The auditor's planned audits as all-day events (DTEND is the day after the last audit day)."""
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    host = settings.BASE_URL.split("//", 1)[-1].split("/", 1)[0] or "conformo"
    lines: list[str] = [f"X-WR-CALNAME:{escape_text(f'Audits of {auditor}')}"]
    for member in assignments_for(auditor):
        audit = member.audit
        if audit.planned_start is None or audit.status == "cancelled":
            continue
        end = (audit.planned_end or audit.planned_start) + timedelta(days=1)
        sites = ", ".join(site.name for site in audit.sites.all())
        lines += [
            "BEGIN:VEVENT",
            f"UID:audit-{audit.public_id}-{member.public_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(audit.planned_start)}",
            f"DTEND;VALUE=DATE:{_date(end)}",
            f"SUMMARY:{escape_text(f'{audit} ({member.get_role_display()})')}",
            f"DESCRIPTION:{escape_text(f'{audit.days} audit days; sites: {sites or chr(8212)}')}",
            f"LOCATION:{escape_text(sites)}",
            f"STATUS:{'CONFIRMED' if audit.status != 'planned' or audit.eligibility_ok else 'TENTATIVE'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    return calendar(lines)
