"""API schemas of the audit-time determination (IAF MD 5, MD 11, MD 1, ISO/IEC 27006-1): what the CB enters,
and the figures with their justification."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from conformo.domain.adjustments import IntegrationLevel, Md5Factor
from conformo.domain.isms_complexity import BUSINESS_FACTORS, IT_FACTORS
from conformo.domain.settings import RepetitiveReduction

SampledAudit = Literal["stage2", "surveillance1", "surveillance2", "recertification"]
Percent = Decimal
ISMS_LABELS = dict(BUSINESS_FACTORS + IT_FACTORS)


class DeterminationAdjustmentIn(Schema):
    standard: str = Field(description="The standard adjusted (its code), one of those audited.")
    factor: Md5Factor = Field(description="An IAF MD 5 factor (GET /audit-time-factors), or `other`.")
    percent: Percent = Field(
        ge=-100, le=100, max_digits=6, decimal_places=2, description="Positive: an increase; negative: a reduction."
    )
    justification: str = Field(
        default="", max_length=2000, description="Required: why this factor applies to the client."
    )


class DeterminationIsmsIn(Schema):
    """ISO/IEC 27006-1 Annex C: each factor scored 1 (low) to 3 (high)."""

    business_type: int = Field(ge=1, le=3, description=ISMS_LABELS["business_type"])
    processes: int = Field(ge=1, le=3, description=ISMS_LABELS["processes"])
    management_system: int = Field(ge=1, le=3, description=ISMS_LABELS["management_system"])
    it_infrastructure: int = Field(ge=1, le=3, description=ISMS_LABELS["it_infrastructure"])
    outsourcing: int = Field(ge=1, le=3, description=ISMS_LABELS["outsourcing"])
    development: int = Field(ge=1, le=3, description=ISMS_LABELS["development"])
    percent: Percent = Field(
        default=Decimal(0),
        ge=-100,
        le=100,
        max_digits=6,
        decimal_places=2,
        description="The adjustment chosen within the impact matrix's range.",
    )
    justification: str = Field(default="", max_length=2000, description="Required when the percent is not 0.")


class DeterminationIntegrationIn(Schema):
    level: IntegrationLevel = IntegrationLevel.NONE
    percent: Percent = Field(
        default=Decimal(0),
        ge=0,
        le=100,
        max_digits=6,
        decimal_places=2,
        description="IAF MD 11 reduction; above 20 it is cut to 20 with a warning.",
    )
    evidence: str = Field(
        default="", max_length=2000, description="Required with a reduction: the evidence of integration."
    )


class DeterminationSiteIn(Schema):
    """A site besides the central function (IAF MD 1)."""

    site_id: UUID
    reduction_percent: Percent = Field(
        default=Decimal(0),
        ge=0,
        le=100,
        max_digits=6,
        decimal_places=2,
        description="For processes the central function performs for it (at most 20).",
    )
    reduction_justification: str = Field(default="", max_length=2000, description="Required with a reduction.")
    audits: list[SampledAudit] = Field(default_factory=list, description="The audits that visit this site.")


class DeterminationRemoteIn(Schema):
    """The share of each audit's days audited remotely (ICT), in percent, up to the CB's policy."""

    stage1: Percent = Field(default=Decimal(0), ge=0, le=100, max_digits=6, decimal_places=2)
    stage2: Percent = Field(default=Decimal(0), ge=0, le=100, max_digits=6, decimal_places=2)
    surveillance1: Percent = Field(default=Decimal(0), ge=0, le=100, max_digits=6, decimal_places=2)
    surveillance2: Percent = Field(default=Decimal(0), ge=0, le=100, max_digits=6, decimal_places=2)
    recertification: Percent = Field(default=Decimal(0), ge=0, le=100, max_digits=6, decimal_places=2)


class DeterminationIn(Schema):
    """The CB's choices. Fields of standards not audited are ignored; `method` and `sites` left out take the
    defaults (IAF MD 1 sampling for a central function with more than one other site, samples rotating
    through the sites)."""

    qms_risk: Literal["high", "medium", "low"] = Field(
        default="medium", description="ISO 9001: applied as adjustments."
    )
    ems_complexity: Literal["high", "medium", "low", "limited", "special"] = Field(
        default="medium", description="ISO 14001, Table EMS 1 (`special` is determined case by case: refused)."
    )
    ohs_complexity: Literal["high", "medium", "low"] = Field(default="medium", description="ISO 45001, Table OH&SMS 1.")
    repetitive_reduction: RepetitiveReduction = RepetitiveReduction.NONE
    repetitive_justification: str = Field(default="", max_length=2000)
    adjustments: list[DeterminationAdjustmentIn] = Field(default_factory=list, max_length=100)
    isms: DeterminationIsmsIn | None = Field(
        default=None, description="Required in practice when ISO/IEC 27001 is audited."
    )
    integration: DeterminationIntegrationIn = DeterminationIntegrationIn()
    method: Literal["single", "sampling", "all_sites"] | None = Field(
        default=None,
        description="`single`: one organization; `sampling`: IAF MD 1 cl. 6.1; `all_sites`: IAF MD 1 cl. 6.2.",
    )
    sites: list[DeterminationSiteIn] | None = Field(
        default=None,
        max_length=10000,
        description="Every site besides the central function; left out: the default samples.",
    )
    remote_percent: DeterminationRemoteIn = DeterminationRemoteIn()


class RedeterminationIn(DeterminationIn):
    purpose: Literal["recertification", "change"] = Field(
        description="`recertification`: before the recertification audit, from current data; `change`: after "
        "changes the client reported."
    )


class DeterminationStandardOut(Schema):
    id: str
    table_days: float
    adjustment_percent: float
    days: float


class DeterminationSiteOut(Schema):
    site_id: str
    name: str
    central: bool
    personnel: float
    persons: int
    table_days: float
    adjusted_days: float
    reduction_percent: float
    days: float = Field(description="The site's initial audit time, not rounded (0 for one organization).")
    audits: list[str]
    standards: list[DeterminationStandardOut]


class DeterminationSiteFactsOut(Schema):
    """A site's personnel as the client reported it when the time was determined."""

    site_id: str
    name: str
    central: bool
    permanent: int
    temporary: int
    contractors: int
    part_time: int
    part_time_hours: Decimal
    repetitive: int


class DeterminationAuditOut(Schema):
    audit: str
    days: float
    onsite_days: float
    remote_days: float
    remote_percent: float
    sites: list[str]


class DeterminationIsmsOut(Schema):
    business: list[int]
    it: list[int]
    business_level: str
    it_level: str
    lowest_percent: float
    highest_percent: float


class DeterminationWarningOut(Schema):
    code: str
    message: str


class DeterminationTraceStepOut(Schema):
    step: str
    rule: str
    source: str
    value: str


class DeterminationOut(Schema):
    id: UUID
    purpose: str
    created_at: datetime
    determined_by: str | None
    method: str
    personnel: float
    standards: list[DeterminationStandardOut] = Field(description="Per standard (one organization only).")
    isms: DeterminationIsmsOut | None
    sites: list[DeterminationSiteOut]
    minimum_samples: dict[str, int] | None
    audits: list[DeterminationAuditOut]
    initial_days: float | None
    surveillance_days: float | None
    recertification_days: float | None
    minimum_onsite_days: float | None
    total_days: float
    warnings: list[DeterminationWarningOut]
    trace: list[DeterminationTraceStepOut]
    site_facts: list[DeterminationSiteFactsOut]
    choices: DeterminationIn = Field(description="The choices it was made from, to revise and post again.")


class ProgrammeDeterminationOut(Schema):
    determination: DeterminationOut | None
    redetermination_due: bool
    reasons: list[str]


class AuditTimeFactorOut(Schema):
    code: str
    direction: str
    label: str


class IsmsFactorOut(Schema):
    code: str
    label: str


class IntegrationLevelOut(Schema):
    level: str
    label: str
    lowest_percent: float
    highest_percent: float


class AuditTimeFactorsOut(Schema):
    md5: list[AuditTimeFactorOut]
    isms_business: list[IsmsFactorOut]
    isms_it: list[IsmsFactorOut]
    integration_levels: list[IntegrationLevelOut]
