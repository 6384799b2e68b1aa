"""Whether a qualification is current on a day (`conformo.domain.competence.qualification_status`): read with the
person's audit log — the last completed audit in the standard on which they were a team member — and the CB's
lapse period, for every qualification at once (two queries, whatever their number)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from conformo.audits.choices import AuditStatus
from conformo.audits.models import CBSettings, Qualification, TeamMember
from conformo.domain.competence import DEFAULT_LAPSE_MONTHS, QualificationStatus, qualification_status


@dataclass(frozen=True)
class QualificationReading:
    """A qualification and its state on the day read."""

    qualification: Qualification
    status: QualificationStatus

    @property
    def current(self) -> bool:
        return self.status.current


def last_audit_days(auditor_ids: Iterable[int], on: date) -> dict[tuple[int, int], date]:
    """(auditor id, standard id) → the last day of the latest completed audit, on or before `on`, of a programme
    in that standard on whose team the auditor was."""
    rows = (
        TeamMember.objects.filter(
            auditor_id__in=list(auditor_ids), audit__status=AuditStatus.COMPLETED, audit__completed_on__lte=on
        )
        .values("auditor_id", "audit__programme__standards")
        .annotate(last=Max("audit__completed_on"))
    )
    return {
        (row["auditor_id"], row["audit__programme__standards"]): row["last"]
        for row in rows
        if row["audit__programme__standards"] is not None
    }


def lapse_months_by_cb(cb_ids: Iterable[int]) -> dict[int, int]:
    """Each CB's lapse period (the documented default while a CB has no settings yet)."""
    found = dict(
        CBSettings.objects.filter(certification_body_id__in=list(cb_ids)).values_list(
            "certification_body_id", "qualification_lapse_months"
        )
    )
    return {cb_id: found.get(cb_id, DEFAULT_LAPSE_MONTHS) for cb_id in cb_ids}


def read_qualifications(qualifications: Iterable[Qualification], on: date) -> list[QualificationReading]:
    """Each qualification with its state on `on` (its auditor must be loaded: `select_related("auditor")`)."""
    quals = list(qualifications)
    last = last_audit_days({q.auditor_id for q in quals}, on)
    lapse = lapse_months_by_cb({q.auditor.certification_body_id for q in quals})
    return [
        QualificationReading(
            q,
            qualification_status(
                valid_from=q.valid_from,
                valid_until=q.valid_until,
                last_audit=last.get((q.auditor_id, q.standard_id)),
                lapse_months=lapse[q.auditor.certification_body_id],
                on=on,
            ),
        )
        for q in quals
    ]
