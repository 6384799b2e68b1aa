"""API schemas of the public calculators (``/api/v1/tools``): the same shapes as the CLI's ``--json``."""

# No `from __future__ import annotations`: ninja resolves query and body types at import time.

from datetime import date

from ninja import Field, Schema

from conformo.core.schemas import Int32

NumberIn = Int32 | float | str
"""A number from JSON (or its text); parsed by the domain so that errors carry the domain's message."""


class TraceStepOut(Schema):
    step: str
    rule: str
    source: str
    value: str


class AuditTimeQuery(Schema):
    """Query parameters of ``GET /api/v1/tools/audit-time`` (repeat ``standards`` and ``adjust``)."""

    standards: list[str] = Field(
        default_factory=list,
        description="Standard ids, repeated or comma-separated: iso-9001-2015, iso-14001-2015, iso-45001-2018, "
        "iso-iec-27001-2022.",
    )
    personnel: str | None = Field(None, description="Effective personnel; a fraction is rounded up.")
    complexity: str | None = Field(None, description="Required for EMS and OH&S: high, medium, low, limited.")
    adjust: list[str] = Field(default_factory=list, description="Adjustments as ID=PERCENT, repeatable.")
    integration_percent: str | None = Field(None, description="IAF MD 11 integration reduction, 0 to 20.")


class AuditTimeIn(Schema):
    """Body of ``POST /api/v1/tools/audit-time``."""

    standards: list[str] = Field(default_factory=list, description="Standard ids audited together.")
    personnel: NumberIn | None = Field(None, description="Effective personnel; a fraction is rounded up.")
    complexity: str | None = Field(None, description="Required for EMS and OH&S: high, medium, low, limited.")
    adjustments: dict[str, NumberIn | list[NumberIn]] = Field(
        default_factory=dict,
        description="Percent per standard id (negative = reduction), or a list of percents to keep increases "
        "and reductions apart; reductions together are cut to 30 % with a warning.",
    )
    adjust: list[str] = Field(default_factory=list, description="Adjustments as ID=PERCENT strings (CLI form).")
    integration_percent: NumberIn | None = Field(None, description="IAF MD 11 integration reduction, 0 to 20.")


class StandardTimeOut(Schema):
    id: str
    table_days: int | float
    adjustment_percent: int | float
    days: int | float


class AuditTimeOut(Schema):
    standards: list[StandardTimeOut]
    initial_days: int | float
    surveillance_days: int | float
    recertification_days: int | float
    minimum_onsite_days: int | float
    warnings: list[str]
    trace: list[TraceStepOut]


class RandomMinimumOut(Schema):
    initial: int
    surveillance: int
    recertification: int


class SamplingOut(Schema):
    sites: int
    initial: int
    surveillance: int
    recertification: int
    central_function_included: bool
    random_share: float
    random_minimum: RandomMinimumOut
    no_sampling_surveillance_per_year: int
    warnings: list[str]
    trace: list[TraceStepOut]


class CycleOut(Schema):
    decision_date: date
    surveillance_1_due: date
    surveillance_2_due: date
    recertification_due: date
    expires_on: date
    restoration_deadline: date
    major_nc_verification_deadline: date | None = None


class PartTimeIn(Schema):
    persons: NumberIn
    hours_per_week: NumberIn


class PersonnelIn(Schema):
    """Body of ``POST /api/v1/tools/effective-personnel`` (IAF MD 5 cl. 2.3)."""

    permanent: NumberIn | None = None
    temporary: NumberIn | None = None
    contractors: NumberIn | None = Field(None, description="Contractors' personnel under the organization's control.")
    shift_workers: NumberIn | None = Field(None, description="Persons of the other shifts.")
    part_time: list[PartTimeIn] = Field(default_factory=list, description="Groups of part-time persons.")
    repetitive: NumberIn | None = Field(
        None, description="How many of the persons above do similar, repetitive, simple functions (a subset)."
    )
    repetitive_justification: str = Field("", description="Written justification, required for a reduction.")
    reduction: str | None = Field(None, description="none (default), weight or square_root.")


class PersonnelOut(Schema):
    effective_personnel: int | float
    whole_persons: int
    warnings: list[str]
    trace: list[TraceStepOut]
