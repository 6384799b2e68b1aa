"""The daily reminders: one scan that tells people, once, of dates coming near or gone by.

`daily_scan(today)` selects each event by **date window**, never by exact date, with the same predicates My work
lists (`Finding.objects.awaiting_response`, `Audit.objects.to_plan`, ...), and calls `notify` for each recipient
with a **dedupe key per event**: a day on which no scan ran is caught up by the next one, and nobody is told the
same event twice, however often the scan runs. It is the periodic task `conformo.inbox.tasks.daily_reminders`
(`settings.PERIODIC_TASKS`, at `DAILY_SCAN_TIME`) and the command `conformo remind [--date YYYY-MM-DD]`.

The windows, keys and recipients of each kind are listed in docs/notifications.md, "Daily reminders".

A date in the key (expiry, review or due date, due-by) makes a changed date a new event: a renewed certificate,
a document's next review, a replanned action is told again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit, Finding
from conformo.audits.recipients import CB_OFFICE, client_and_cb_office, client_people, tenant_people
from conformo.certificates.models import Certificate
from conformo.core.roles import Role
from conformo.core.tenancy import CLIENTS
from conformo.domain.cycle import planning_horizon, planning_window_opens
from conformo.improvement.models import Nonconformity
from conformo.inbox.sources.cb import audit_label
from conformo.notifications.kinds import Kind
from conformo.notifications.services import notify_all
from conformo.readiness.models import Document

RESPONSE_DUE_DAYS = 7
EXPIRY_FAR, EXPIRY_NEAR = 90, 30
DOCUMENT_REVIEW_DAYS = 14
CORRECTIVE_ACTION_DAYS = 7
WINDOW_KINDS = (AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION)


@dataclass(frozen=True)
class Event:
    """One event to tell: its kind and key, who is told, and the message."""

    kind: Kind
    key: str
    recipients: Sequence[Any]
    subject: str
    lines: Sequence[str]
    link: str
    action: str
    certification_body_id: int | None = None
    organization_id: int | None = None


@dataclass
class ScanResult:
    """How many notices the scan created, by kind (an event already told creates none)."""

    today: date
    created: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _owner_and_admins(organization_id: int, owner_id: int | None) -> list[Any]:
    """The client's administrators and the owner of a document or an action, while they are still a member."""
    members = tenant_people(organization_id=organization_id, org_roles=CLIENTS)
    owner = [user for user in members if user.pk == owner_id]
    return [*owner, *tenant_people(organization_id=organization_id, org_roles=[Role.CLIENT_ADMIN.value])]


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def _responses(today: date) -> Iterator[Event]:
    findings = list(
        Finding.objects.awaiting_response(today)
        .filter(response_due__lte=today + timedelta(days=RESPONSE_DUE_DAYS))
        .select_related("audit__programme__organization")
    )
    for finding in findings:
        due = finding.response_due
        assert due is not None  # the filter above
        programme = finding.audit.programme
        reference = finding.reference or "a finding"
        grade = finding.get_grade_display().lower()
        audit = audit_label(finding.audit).lower()
        overdue = due < today
        yield Event(
            kind=Kind.RESPONSE_OVERDUE if overdue else Kind.RESPONSE_DUE,
            key=f"finding:{finding.pk}:{'overdue' if overdue else 'due7'}",
            recipients=client_people(programme),
            subject=(
                f"Your response to finding {reference} is overdue"
                if overdue
                else f"Your response to finding {reference} is due on {_day(due)}"
            ),
            lines=[
                f"{programme.organization.legal_name}: the {grade} {reference} of the {audit} audit "
                f"{'was due for' if overdue else 'needs'} your correction, root cause and corrective action "
                f"{'on' if overdue else 'by'} {_day(due)}.",
                "The certification body is waiting for your answer." if overdue else "Answer it on its page.",
            ],
            link=reverse("audits:finding-detail", args=[finding.public_id]),
            action="Answer the finding",
            certification_body_id=programme.certification_body_id,
            organization_id=programme.organization_id,
        )


def _certificates(today: date) -> Iterator[Event]:
    # The 90-day notice covers what expires after the 30-day window, so that a first scan does not send both.
    windows = [
        (today + timedelta(days=EXPIRY_NEAR + 1), today + timedelta(days=EXPIRY_FAR), "expiring90"),
        (today, today + timedelta(days=EXPIRY_NEAR), "expiring30"),
    ]
    found = [
        (certificate, name)
        for first, last, name in windows
        for certificate in Certificate.objects.expiring_between(first, last).order_by("expires_on", "pk")
    ]
    for certificate, name in found:
        days = (certificate.expires_on - today).days
        standards = ", ".join(s.get("designation", s.get("id", "")) for s in certificate.standards)
        yield Event(
            kind=Kind.CERTIFICATE_EXPIRING,
            key=f"certification:{certificate.certification_id}:{_day(certificate.expires_on)}:{name}",
            recipients=client_and_cb_office(certificate),
            subject=f"Certificate {certificate.number} expires on {_day(certificate.expires_on)}",
            lines=[
                f"The certificate of {certificate.holder_name} ({standards}) expires in {days} days.",
                "Its recertification audit and the renewal decision have to be completed before that date.",
            ],
            link=reverse("certificates:detail", args=[certificate.number]),
            action="Open the certificate",
            certification_body_id=certificate.certification_body_id,
            organization_id=certificate.organization_id,
        )


def _documents(today: date) -> Iterator[Event]:
    documents = list(
        Document.objects.review_due_by(today + timedelta(days=DOCUMENT_REVIEW_DAYS)).select_related("organization")
    )
    for document in documents:
        due = document.review_due
        assert due is not None  # the filter above
        overdue = due < today
        yield Event(
            kind=Kind.DOCUMENT_REVIEW_DUE,
            key=f"document:{document.pk}:{_day(due)}:review",
            recipients=_owner_and_admins(document.organization_id, document.owner_id),
            subject=f"Review of “{document.title[:120]}” {'overdue since' if overdue else 'due on'} {_day(due)}",
            lines=[
                f"{document.organization.legal_name}: the document is due for its periodic review on {_day(due)}.",
                "Review it and record a new revision, or confirm the current one and set the next review date.",
            ],
            link=reverse("readiness:document-detail", args=[document.public_id]),
            action="Open the document",
            organization_id=document.organization_id,
        )


def _corrective_actions(today: date) -> Iterator[Event]:
    nonconformities = list(
        Nonconformity.objects.action_due()
        .filter(corrective_action__due_date__lte=today + timedelta(days=CORRECTIVE_ACTION_DAYS))
        .select_related("organization", "corrective_action")
    )
    for nc in nonconformities:
        action = nc.corrective_action
        overdue = action.due_date < today
        yield Event(
            kind=Kind.CORRECTIVE_ACTION_DUE,
            key=f"corrective-action:{nc.pk}:{_day(action.due_date)}:due",
            recipients=_owner_and_admins(nc.organization_id, action.owner_id),
            subject=(
                f"Corrective action for {nc.reference} {'overdue since' if overdue else 'due on'} "
                f"{_day(action.due_date)}"
            ),
            lines=[
                f"{nc.organization.legal_name}: {nc.reference} “{nc.title[:200]}”.",
                "Complete the corrective action and record it, then check that it was effective.",
            ],
            link=reverse("improvement:detail", args=[nc.public_id]),
            action="Open the nonconformity",
            organization_id=nc.organization_id,
        )


def _windows(today: date) -> Iterator[Event]:
    audits = list(
        Audit.objects.to_plan(today, planning_horizon(today))
        .filter(kind__in=WINDOW_KINDS, due_by__isnull=False)
        .select_related("programme__organization")
    )
    for audit in audits:
        due_by = audit.due_by
        assert due_by is not None  # the filter above
        programme = audit.programme
        yield Event(
            kind=Kind.SURVEILLANCE_WINDOW,
            key=f"audit:{audit.pk}:{_day(due_by)}:window",
            recipients=tenant_people(certification_body_id=programme.certification_body_id, cb_roles=CB_OFFICE),
            subject=f"{audit_label(audit)} of {programme.organization.legal_name}: plan it, due by {_day(due_by)}",
            lines=[
                f"Its planning window opened on {_day(planning_window_opens(due_by))}; the audit is due by "
                f"{_day(due_by)} and has no dates or no lead auditor yet.",
                "Plan its dates and assign its team.",
            ],
            link=reverse("audits:audit-detail", args=[audit.public_id]),
            action="Plan the audit",
            certification_body_id=programme.certification_body_id,
            organization_id=programme.organization_id,
        )


SCANS = (_responses, _certificates, _documents, _corrective_actions, _windows)


def daily_scan(today: date | None = None) -> ScanResult:
    """Tell everyone, once, of every event in its window on `today` (default: today). Each event is told in its
    own transaction, so one that fails does not hold back the others (the next scan tells it)."""
    result = ScanResult(today=today or timezone.localdate())
    for scan in SCANS:
        for event in scan(result.today):
            with transaction.atomic():
                notices = notify_all(
                    recipients=event.recipients,
                    kind=event.kind,
                    key=event.key,
                    subject=event.subject,
                    lines=list(event.lines),
                    link=event.link,
                    action=event.action,
                    certification_body_id=event.certification_body_id,
                    organization_id=event.organization_id,
                )
            result.created[event.kind] += len(notices)
    return result
