"""The audit-time determination under /api/v1/: the application review's (revisable until acceptance) and the
programme's re-determinations, each with its figures, warnings and trace (IAF MD 5, MD 11, MD 1, 27006-1)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E
from conformo.audits.models import AuditTimeDetermination
from conformo.audits.schemas.determinations import (
    AuditTimeFactorsOut,
    DeterminationIn,
    DeterminationOut,
    ProgrammeDeterminationOut,
    RedeterminationIn,
)
from conformo.audits.services.determinations import choices_as_input, choices_from
from conformo.core.errors import NotFound
from conformo.core.schemas import ErrorOut
from conformo.domain.adjustments import INTEGRATION_BANDS, INTEGRATION_LABELS, MD5_FACTORS
from conformo.domain.isms_complexity import BUSINESS_FACTORS, IT_FACTORS

router = Router()

RESULT_FIELDS = (
    "method",
    "personnel",
    "standards",
    "isms",
    "minimum_samples",
    "audits",
    "initial_days",
    "surveillance_days",
    "recertification_days",
    "minimum_onsite_days",
    "total_days",
    "warnings",
)


def determination_out(record: AuditTimeDetermination) -> dict[str, Any]:
    """A recorded determination in the shape of `DeterminationOut`."""
    result = record.result
    inp = record.domain_input()
    return {
        "id": record.public_id,
        "purpose": record.purpose,
        "created_at": record.created_at,
        "determined_by": record.determined_by.email if record.determined_by else None,
        **{name: result[name] for name in RESULT_FIELDS},
        "sites": [{**site, "site_id": site["key"]} for site in result["sites"]],
        "trace": record.trace,
        "site_facts": [{**fact.as_dict(), "site_id": fact.key} for fact in inp.sites],
        "choices": choices_as_input(inp.choices),
    }


@router.get("/audit-time-factors", response=AuditTimeFactorsOut)
def audit_time_factors(request: HttpRequest) -> dict[str, Any]:
    """The factors a determination offers: IAF MD 5's typical adjustment factors, ISO/IEC 27006-1's business
    and IT complexity factors, IAF MD 11's levels of integration with their typical bands."""
    return {
        "md5": [factor.as_dict() for factor in MD5_FACTORS],
        "isms_business": [{"code": code, "label": label} for code, label in BUSINESS_FACTORS],
        "isms_it": [{"code": code, "label": label} for code, label in IT_FACTORS],
        "integration_levels": [
            {
                "level": level.value,
                "label": INTEGRATION_LABELS[level],
                "lowest_percent": float(low),
                "highest_percent": float(high),
            }
            for level, (low, high) in INTEGRATION_BANDS.items()
        ],
    }


@router.get("/applications/{application_id}/determination", response={200: DeterminationOut, 404: ErrorOut})
def application_determination(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    """The application's current audit-time determination with its justification (404 until one is made)."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    record = selectors.application_determination(user=request.user, application=application)
    if record is None:
        raise NotFound("No audit time has been determined for this application yet.")
    return determination_out(record)


@router.post("/applications/{application_id}/determination", response={201: DeterminationOut, **E})
def application_determine(request: HttpRequest, application_id: UUID, payload: DeterminationIn) -> Status[Any]:
    """Set or revise the audit-time determination of an application under review (a CB administrator or
    programme manager); the review is run again with it. Every adjustment needs its justification
    (`justification_required`); reductions beyond a cap are cut with a warning in the output
    (`reduction_capped`). Refused once the application is accepted (`determination_frozen`, 409)."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    codes = list(application.standards.values_list("code", flat=True))
    review = services.application_determine(
        actor=request.user, application=application, choices=choices_from(payload.model_dump(), codes)
    )
    determination = review.determination
    if determination is None:  # application_determine always records one
        raise NotFound("No audit time was determined.")
    return Status(201, determination_out(determination))


@router.get("/programmes/{programme_id}/determination", response={200: ProgrammeDeterminationOut, 404: ErrorOut})
def programme_determination(request: HttpRequest, programme_id: UUID) -> dict[str, Any]:
    """The determination the programme's days follow now (for the CB-wide staff and the client), and — for the
    CB's administrators and programme managers — whether and why it should be made again: the client's sites or
    personnel changed, or the recertification is next."""
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    current = programme.determination
    visible = (
        current is not None and AuditTimeDetermination.objects.visible_to(request.user).filter(pk=current.pk).exists()
    )
    reasons = selectors.redetermination_reasons(programme)
    return {
        "determination": determination_out(current) if current is not None and visible else None,
        "redetermination_due": bool(reasons),
        "reasons": reasons,
    }


@router.post("/programmes/{programme_id}/determination", response={201: DeterminationOut, **E})
def programme_redetermine(request: HttpRequest, programme_id: UUID, payload: RedeterminationIn) -> Status[Any]:
    """Determine the audit time again from the client's current data (a CB administrator or programme
    manager) and apply it to the programme's audits that have not started."""
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    codes = list(programme.standards.values_list("code", flat=True))
    data = payload.model_dump()
    record = services.programme_redetermine(
        actor=request.user, programme=programme, purpose=data.pop("purpose"), choices=choices_from(data, codes)
    )
    return Status(201, determination_out(record))
