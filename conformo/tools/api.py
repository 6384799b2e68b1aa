"""Public calculators at /api/v1/tools (no sign-in): audit time, sampling, cycle dates, effective personnel.

The responses are exactly the JSON of the CLI's ``--json``; a refusal of the rules engine is a 422
``{"detail": "<the domain's message>", "code": "invalid_input"}``.
"""

# No `from __future__ import annotations`: ninja resolves query and body types at import time.

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from conformo.core.errors import ValidationFailed
from conformo.core.schemas import ErrorOut
from conformo.domain.errors import DomainError
from conformo.tools import calculators
from conformo.tools.schemas import (
    AuditTimeIn,
    AuditTimeOut,
    AuditTimeQuery,
    CycleOut,
    PersonnelIn,
    PersonnelOut,
    SamplingOut,
)

router = Router(tags=["tools"])


@contextmanager
def invalid_input() -> Iterator[None]:
    """The one place a domain refusal becomes a 422 with the domain's message."""
    try:
        yield
    except DomainError as exc:
        raise ValidationFailed(str(exc), code="invalid_input") from exc


@router.get("/audit-time", response={200: AuditTimeOut, 422: ErrorOut}, auth=None, url_name="tools_audit_time")
def audit_time_get(request: HttpRequest, params: Query[AuditTimeQuery]) -> dict[str, Any]:
    """Audit time (IAF MD 5 / MD 11 / ISO/IEC 27006-1) with its trace; the same JSON as `conformo audit-time --json`."""
    with invalid_input():
        result = calculators.audit_time(
            standards=params.standards,
            personnel=params.personnel,
            complexity=params.complexity,
            adjust=params.adjust,
            integration_percent=params.integration_percent,
        )
    return result.as_dict()


@router.post("/audit-time", response={200: AuditTimeOut, 422: ErrorOut}, auth=None)
def audit_time_post(request: HttpRequest, payload: AuditTimeIn) -> dict[str, Any]:
    """Audit time from a JSON body (`adjustments` maps a standard id to a percent or a list of percents)."""
    with invalid_input():
        result = calculators.audit_time(
            standards=payload.standards,
            personnel=payload.personnel,
            complexity=payload.complexity,
            adjust=payload.adjust,
            adjustments=payload.adjustments,
            integration_percent=payload.integration_percent,
        )
    return result.as_dict()


@router.get("/sampling", response={200: SamplingOut, 422: ErrorOut}, auth=None, url_name="tools_sampling")
def sampling(request: HttpRequest, sites: str | None = None) -> dict[str, Any]:
    """IAF MD 1 sample sizes for `sites` sites (the central function is audited in addition)."""
    with invalid_input():
        result = calculators.sampling(sites=sites)
    return result.as_dict()


@router.get("/cycle", response={200: CycleOut, 422: ErrorOut}, auth=None, exclude_none=True, url_name="tools_cycle")
def cycle(request: HttpRequest, decision_date: str | None = None, stage2_end: str | None = None) -> dict[str, Any]:
    """Cycle due dates (ISO/IEC 17021-1) from `decision_date`; `stage2_end` adds the major-NC deadline."""
    with invalid_input():
        result = calculators.cycle(decision_date=decision_date, stage2_end=stage2_end)
    return result.as_dict()


@router.post(
    "/effective-personnel",
    response={200: PersonnelOut, 422: ErrorOut},
    auth=None,
    url_name="tools_effective_personnel",
)
def effective_personnel(request: HttpRequest, payload: PersonnelIn) -> dict[str, Any]:
    """Effective personnel (IAF MD 5 cl. 2.3) from head counts by type, with its trace."""
    with invalid_input():
        result = calculators.personnel(
            permanent=payload.permanent,
            temporary=payload.temporary,
            contractors=payload.contractors,
            shift_workers=payload.shift_workers,
            part_time=[(group.persons, group.hours_per_week) for group in payload.part_time],
            repetitive=payload.repetitive,
            repetitive_justification=payload.repetitive_justification,
            reduction=payload.reduction,
        )
    return calculators.personnel_as_dict(result)
