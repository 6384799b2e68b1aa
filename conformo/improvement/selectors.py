"""Reads of the improvement log. CB findings come from the audits app when it provides
`conformo.audits.selectors.findings_for_organization` (looked up at call time)."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conformo.core.errors import NotFound
from conformo.improvement.choices import OPEN_STATUSES
from conformo.improvement.models import Nonconformity


def nonconformity_list(*, user: Any, organization: Any = None, open_only: bool = False) -> QuerySet[Nonconformity]:
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
        .prefetch_related("clauses", "clauses__standard", "effectiveness_checks", "effectiveness_checks__checked_by")
        .filter(public_id=public_id)
        .first()
    )
    if nc is None:
        raise NotFound("No such nonconformity.")
    return nc


def overdue_actions(*, user: Any, organization: Any, today: date | None = None) -> QuerySet[Nonconformity]:
    """Open nonconformities whose corrective action is past its due date."""
    today = today or timezone.localdate()
    return nonconformity_list(user=user, organization=organization, open_only=True).filter(
        corrective_action__due_date__lt=today, corrective_action__completed_on__isnull=True
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


def cb_findings(*, user: Any, organization: Any) -> list[CbFinding]:
    """The CB's findings for this organization, if the audits app offers them; else an empty list."""
    if importlib.util.find_spec("conformo.audits.selectors") is None:
        return []
    module = importlib.import_module("conformo.audits.selectors")
    reader = getattr(module, "findings_for_organization", None)
    if reader is None:
        return []
    result = []
    for finding in reader(user=user, organization=organization):
        result.append(
            CbFinding(
                public_id=getattr(finding, "public_id", None),
                reference=str(getattr(finding, "reference", "") or finding.pk),
                title=str(getattr(finding, "title", "") or getattr(finding, "statement", ""))[:300],
                grade=_display(finding, "grade"),
                grade_code=str(getattr(finding, "grade", "")),
                status=_display(finding, "status"),
                status_code=str(getattr(finding, "status", "")),
                raised_on=getattr(finding, "raised_on", None),
                response_due=getattr(finding, "response_due", None),
                url=_finding_url(finding),
            )
        )
    return result


def _display(obj: Any, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter() if callable(getter) else getattr(obj, field, ""))


def _finding_url(finding: Any) -> str:
    """The finding's respond page in the audits app, where the client answers it."""
    for name in ("audits:finding-respond", "audits:finding-detail"):
        try:
            return reverse(name, args=[finding.public_id])
        except (NoReverseMatch, AttributeError):
            continue
    return ""
