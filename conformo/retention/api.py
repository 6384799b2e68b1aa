"""Records retention under /api/v1/ (ISO/IEC 17021-1 9.9): the policy in force (read by the CB's office, set by the
CB administrator), the records past retention on a day, and the runs with their log. Runs are the operator's
`conformo retention --apply`, never an API call."""

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from conformo.audits.api.lookups import E
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.impartiality.api import office_cb
from conformo.retention import selectors, services
from conformo.retention.models import RetentionRun
from conformo.retention.schemas import DueOut, PolicyIn, PolicyOut, RunOut

router = Router(tags=["retention"])


@router.get("/certification-bodies/{cb_id}/retention/policy", response={200: list[PolicyOut], 404: ErrorOut})
def policy_get(request: HttpRequest, cb_id: UUID) -> list[dict[str, Any]]:
    """The retention policy in force: each kind of record, the day its clock starts, the years it is kept after
    that day and what happens then (`set` false: the default of 6 years applies)."""
    return [row.as_dict() for row in selectors.policy_in_force(office_cb(request.user, cb_id))]


@router.put("/certification-bodies/{cb_id}/retention/policy", response={200: list[PolicyOut], **E})
def policy_put(request: HttpRequest, cb_id: UUID, payload: PolicyIn) -> list[dict[str, Any]]:
    """Set the period and action of the kinds named (the CB administrator): fewer than 6 years or an action the
    kind does not allow is refused as `<kind>.years` / `<kind>.action` (422) and nothing changes."""
    cb = office_cb(request.user, cb_id)
    services.policy_update(actor=request.user, certification_body=cb, rows=[r.model_dump() for r in payload.rows])
    return [row.as_dict() for row in selectors.policy_in_force(cb)]


@router.get("/certification-bodies/{cb_id}/retention/due", response={200: list[DueOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def due(request: HttpRequest, cb_id: UUID, on: date | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """The records past retention on `on` (default today) that no run has handled yet, oldest first."""
    cb = office_cb(request.user, cb_id)
    return [record.as_dict() for record in selectors.due_records(cb, on or timezone.localdate())]


@router.get("/certification-bodies/{cb_id}/retention/runs", response={200: list[RunOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def runs(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[RetentionRun]:
    """The retention runs, the latest first, each with its log: kind, record id, closed on, kept until, action."""
    return selectors.runs(user=request.user, cb=office_cb(request.user, cb_id))
