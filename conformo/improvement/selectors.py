"""Reads of the improvement log: the organization's own nonconformities and, beside them, its CB's findings
(read through `conformo.audits.selectors.findings_for_organization`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from conformo.audits.selectors import findings_for_organization
from conformo.core.errors import NotFound
from conformo.improvement.choices import OPEN_STATUSES
from conformo.improvement.models import Nonconformity, NonconformityQuerySet

#: What to prefetch to show each nonconformity's corrective-action history.
CORRECTIVE_ACTION_HISTORY = ("corrective_action_revisions__owner", "corrective_action_revisions__recorded_by")


def nonconformity_list(
    *, user: Any, organization: Any = None, open_only: bool = False
) -> NonconformityQuerySet[Nonconformity]:
    qs = Nonconformity.objects.visible_to(user).select_related(
        "organization", "corrective_action", "corrective_action__owner", "raised_by"
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-raised_on", "-number")


def nonconformity_get(*, user: Any, public_id: Any) -> Nonconformity:
    nc = (
        nonconformity_list(user=user)
        .select_related("site", "internal_audit")
        .prefetch_related(
            "clauses",
            "clauses__standard",
            "effectiveness_checks",
            "effectiveness_checks__checked_by",
            *CORRECTIVE_ACTION_HISTORY,
        )
        .filter(public_id=public_id)
        .first()
    )
    if nc is None:
        raise NotFound("No such nonconformity.")
    return nc


def overdue_actions(*, user: Any, organization: Any, today: date | None = None) -> QuerySet[Nonconformity]:
    """Open nonconformities whose corrective action is past its due date."""
    today = today or timezone.localdate()
    return (
        nonconformity_list(user=user, organization=organization)
        .action_due()
        .filter(corrective_action__due_date__lt=today)
    )


@dataclass(frozen=True)
class CbFinding:
    """A CB finding shown in the client's improvement log, linking to its page in the audits app."""

    public_id: Any
    reference: str
    title: str
    grade: str
    grade_code: str
    status: str
    status_code: str
    raised_on: Any
    response_due: Any
    url: str


#: The columns of a finding that a `CbFinding` is made of.
CB_FINDING_FIELDS = ("public_id", "reference", "statement", "grade", "status", "raised_on", "response_due")


def cb_findings_to_answer(*, user: Any, organization: Any, today: date | None = None) -> Any:
    """The CB's nonconformities about this organization still waiting for the client's answer (correction, root
    cause, corrective action), soonest response date first; they count as due on the client's dashboards."""
    today = today or timezone.localdate()
    return (
        findings_for_organization(user=user, organization=organization)
        .awaiting_response(today)  # type: ignore[attr-defined]  # the findings queryset's own method
        .order_by(F("response_due").asc(nulls_last=True), "raised_on", "pk")
    )


def cb_findings(*, user: Any, organization: Any, awaiting_answer: bool = False) -> list[CbFinding]:
    """The CB's findings about this organization that the user may see (conformo.audits owns the read); with
    `awaiting_answer`, only those still waiting for the client's answer."""
    findings = (
        cb_findings_to_answer(user=user, organization=organization)
        if awaiting_answer
        else findings_for_organization(user=user, organization=organization)
    )
    # Only what a `CbFinding` shows: not the audit, programme, organization and site the findings list joins, nor
    # its clauses (two more queries), nor the answers' and evidence's text.
    findings = findings.select_related(None).prefetch_related(None).only(*CB_FINDING_FIELDS)
    return [
        CbFinding(
            public_id=finding.public_id,
            reference=finding.reference or str(finding.pk),
            title=finding.statement[:300],
            grade=finding.get_grade_display(),
            grade_code=finding.grade,
            status=finding.get_status_display(),
            status_code=finding.status,
            raised_on=finding.raised_on,
            response_due=finding.response_due,
            url=reverse("audits:finding-respond", args=[finding.public_id]),
        )
        for finding in findings
    ]
