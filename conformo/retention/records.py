"""The record kinds a retention policy reaches, each with the day it closed and what "delete" and "anonymise"
do to it (conformo.domain.retention holds the rules; this module the rows of the other apps).

- Declined applications close the day they were declined (the `application.decline` audit-log entry).
  Anonymised: the contact's name and e-mail, the consultant named, the submitting user and the decline reason
  go; the standards, scope, sites and dates stay for the figures.
- Complaints and appeals close on their `closed_on`. Anonymised: the complainant, the subject, the description
  or grounds, the outcome and the handler go; the dates and status stay. Deleted: the row goes.
- Uploaded evidence of findings closes the day the client's certification ended (withdrawn or refused: the day
  of that decision; expired: its expiry date). Deleted: the file and its row go; the finding stays.

Either way the audit log keeps its entries (who did what to which object, when); their before/after values
and the object's name are redacted (`redact_audit_log`), so the log still shows that the record existed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q

from conformo.audits.choices import ApplicationStatus
from conformo.audits.models import Appeal, Application, Complaint, FindingAttachment
from conformo.certification.models import Certification, CertificationState, DecisionChoice
from conformo.core.models import AuditLogEntry
from conformo.domain.certificate_states import CertificateState, certification_ended
from conformo.organizations.models import CertificationBody

REMOVED = "[removed under the retention policy]"
REDACTED = {"redacted": "retention"}


@dataclass(frozen=True)
class Candidate:
    """A closed record of one kind: the row, the day it closed, words that name it without personal data."""

    obj: models.Model
    closed_on: date
    title: str
    organization: str


def redact_audit_log(obj: models.Model) -> int:
    """Redact the audit log's entries about `obj`: their before/after values and the object's name, keeping who
    did which action to which object, and when. The one change the audit log ever receives (docs/rules.md)."""
    entries = AuditLogEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    name = f"{obj._meta.verbose_name} (retention)"
    count = entries.update(object_repr=name)
    entries.filter(before__isnull=False).update(before=REDACTED)
    entries.filter(after__isnull=False).update(after=REDACTED)
    return count


# --- declined applications ---------------------------------------------------------------------------------


def _applications(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    rows = Application.objects.filter(certification_body=cb, status=ApplicationStatus.DECLINED).select_related(
        "organization"
    )
    declined = {
        entry["object_id"]: entry["day"]
        for entry in AuditLogEntry.objects.filter(
            action="application.decline", object_type="audits.application", certification_body=cb
        )
        .values("object_id")
        .annotate(day=Max("at"))
    }
    for application in rows:
        at = declined.get(str(application.pk)) or application.updated_at
        closed_on = at.date()
        if closed_on <= cutoff:
            title = f"Application of {application.created_at:%Y-%m-%d}, declined"
            yield Candidate(application, closed_on, title, application.organization.legal_name)


def _anonymise_application(application: Any) -> None:
    application.contact_name = ""
    application.contact_email = ""
    application.consultancy_used = ""
    application.decision_reason = REMOVED
    application.submitted_by = None
    application.save(
        update_fields=["contact_name", "contact_email", "consultancy_used", "decision_reason", "submitted_by"]
    )


# --- complaints and appeals --------------------------------------------------------------------------------


def _complaints(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    rows = Complaint.objects.filter(certification_body=cb, closed_on__isnull=False, closed_on__lte=cutoff)
    for complaint in rows.select_related("organization"):
        title = f"Complaint received {complaint.received_on:%Y-%m-%d}"
        org = complaint.organization.legal_name if complaint.organization else ""
        if complaint.closed_on is not None:  # always, by the filter; says so to the type checker
            yield Candidate(complaint, complaint.closed_on, title, org)


def _anonymise_complaint(complaint: Any) -> None:
    complaint.complainant = REMOVED[:200]
    complaint.subject = REMOVED
    complaint.description = REMOVED
    complaint.outcome = REMOVED if complaint.outcome else ""
    complaint.handler = None
    complaint.save(update_fields=["complainant", "subject", "description", "outcome", "handler"])


def _appeals(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    rows = Appeal.objects.filter(certification_body=cb, closed_on__isnull=False, closed_on__lte=cutoff)
    for appeal in rows.select_related("organization"):
        title = f"Appeal received {appeal.received_on:%Y-%m-%d}"
        if appeal.closed_on is not None:  # always, by the filter; says so to the type checker
            yield Candidate(appeal, appeal.closed_on, title, appeal.organization.legal_name)


def _anonymise_appeal(appeal: Any) -> None:
    appeal.subject = REMOVED
    appeal.grounds = REMOVED
    appeal.outcome = REMOVED if appeal.outcome else ""
    appeal.handler = None
    appeal.save(update_fields=["subject", "grounds", "outcome", "handler"])


# --- uploaded evidence of findings -------------------------------------------------------------------------

ENDING_DECISIONS = (DecisionChoice.WITHDRAW, DecisionChoice.REFUSE, DecisionChoice.EXPIRE)


def ended_certifications(cb: CertificationBody, today: date) -> dict[int, date]:
    """The CB's certifications that have ended on `today`, each with the day it ended: withdrawn or refused —
    the day of that decision; expired — its expiry date (the calendar decides, as everywhere in Conformo)."""
    # Only the five values the rule reads: every kind of the certification file asks, over all the CB's
    # certifications (1,987 at the scale demo), so whole rows cost the retention page most of its time.
    rows = (
        Certification.objects.filter(certification_body=cb)
        .annotate(ending=Max("decisions__decided_on", filter=Q(decisions__kind__in=ENDING_DECISIONS)))
        .values_list("pk", "state", "expires_on", "ending", "updated_at")
    )
    ended: dict[int, date] = {}
    for pk, state, expires_on, ending, updated_at in rows:
        if not certification_ended(CertificateState(state), expires_on, today):
            continue
        if state in (CertificationState.WITHDRAWN, CertificationState.REFUSED):
            day = ending or updated_at.date()
        else:
            day = expires_on or ending or updated_at.date()
        ended[pk] = day
    return ended


def _finding_evidence(cb: CertificationBody, cutoff: date, today: date) -> Iterator[Candidate]:
    ended = {pk: day for pk, day in ended_certifications(cb, today).items() if day <= cutoff}
    if not ended:
        return
    rows = FindingAttachment.objects.filter(finding__audit__programme__certification_id__in=list(ended)).select_related(
        "finding__audit__programme__organization"
    )
    for attachment in rows:
        programme = attachment.finding.audit.programme
        finding = attachment.finding.reference or attachment.finding.pk
        title = f"Evidence of finding {finding} ({attachment.created_at:%Y-%m-%d})"
        yield Candidate(attachment, ended[programme.certification_id], title, programme.organization.legal_name)


def _delete_with_file(attachment: Any) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        # The file goes once the transaction has committed: a run rolled back leaves every file in place.
        transaction.on_commit(lambda: storage.delete(name))


def _delete(obj: Any) -> None:
    obj.delete()
