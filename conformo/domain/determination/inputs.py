"""What an audit-time determination is made from (the checks are in ``checks``, the numbers in ``compute``).

A determination is made from facts (the standards, the sites with their personnel by type, the CB's policy in
force) and the CB's choices: each standard's complexity, the MD 5 adjustments with their written justification,
the ISO/IEC 27006-1 complexity assessment for an ISMS, the MD 11 integration level with its evidence, the MD 1
method for a multi-site organization with the sites sampled at each audit and each site's reduction, and the
remote (ICT) share of each audit. ``DeterminationInput.as_dict`` is what a review stores; ``from_dict`` reads it
back, so the stored figures can always be recomputed from the stored inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any

from conformo.domain.adjustments import IntegrationLevel
from conformo.domain.errors import InvalidInput
from conformo.domain.personnel import PartTimeGroup, PersonnelBreakdown
from conformo.domain.settings import RepetitiveReduction
from conformo.domain.trace import fmt


class Purpose(StrEnum):
    """Why the audit time is determined."""

    INITIAL = "initial"
    """The application review: the whole first cycle (stage 1, stage 2, two surveillances, recertification)."""
    RECERTIFICATION = "recertification"
    """From current data before the recertification audit (IAF MD 5 cl. 6: about 2/3 of what an initial
    audit would need *then*), with the next cycle's surveillance audits."""
    CHANGE = "change"
    """After the client reported changes of personnel or sites: the audits of the cycle still ahead."""


class Method(StrEnum):
    """How the sites are audited."""

    SINGLE = "single"
    """One organization: every site at every audit, the personnel of all sites together (no central function
    with more than one other site, so IAF MD 1 does not apply)."""
    SAMPLING = "sampling"
    """IAF MD 1 cl. 6.1: the central function at every audit and a sample of the other sites."""
    ALL_SITES = "all_sites"
    """IAF MD 1 cl. 6.2 (sampling not appropriate): every site at initial and recertification audits, 30 % of
    the sites per surveillance year."""


AUDITS: tuple[str, ...] = ("stage1", "stage2", "surveillance1", "surveillance2", "recertification")
"""The audits of a cycle whose time is determined (the keys of a review's quotation)."""
SAMPLED_AUDITS: tuple[str, ...] = ("stage2", "surveillance1", "surveillance2", "recertification")
"""The audits that visit a sample of the sites (stage 1 is held at the central function)."""
AUDITS_BY_PURPOSE: dict[Purpose, tuple[str, ...]] = {
    Purpose.INITIAL: AUDITS,
    Purpose.RECERTIFICATION: ("recertification", "surveillance1", "surveillance2"),
    Purpose.CHANGE: ("surveillance1", "surveillance2", "recertification"),
}
"""For a recertification, the surveillance audits are those of the next cycle."""
SAMPLE_KIND: dict[str, str] = {
    "stage2": "initial",
    "surveillance1": "surveillance",
    "surveillance2": "surveillance",
    "recertification": "recertification",
}
AUDIT_LABELS: dict[str, str] = {
    "stage1": "Stage 1",
    "stage2": "Stage 2",
    "surveillance1": "Surveillance 1",
    "surveillance2": "Surveillance 2",
    "recertification": "Recertification",
}

QMS_RISK: tuple[str, ...] = ("high", "medium", "low")
"""QMS risk categories: Table QMS 1 has one column; the risk is applied as an adjustment (MD 5) [N-note]."""

MAX_PERCENT = Decimal(100)
"""Largest size of one adjustment, reduction or share in percent."""


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """A site as the client reported it when the time was determined: personnel by type (IAF MD 5 cl. 2.3).
    The counts include the persons of every shift. ``key`` identifies the site (its public id)."""

    key: str
    name: str
    central: bool = False
    permanent: int = 0
    temporary: int = 0
    contractors: int = 0
    part_time: int = 0
    part_time_hours: Decimal = Decimal(0)
    repetitive: int = 0

    def breakdown(self, justification: str = "") -> PersonnelBreakdown:
        hours = self.part_time_hours
        groups = (PartTimeGroup(self.part_time, hours),) if self.part_time and hours else ()
        return PersonnelBreakdown(
            permanent=self.permanent,
            temporary=self.temporary,
            contractors=self.contractors,
            part_time=groups,
            repetitive=self.repetitive,
            repetitive_justification=justification,
        )

    def personnel_facts(self) -> dict[str, str]:
        """The counts that decide the site's audit time, as text (to tell a change since the determination)."""
        return {
            "permanent": str(self.permanent),
            "temporary": str(self.temporary),
            "contractors": str(self.contractors),
            "part_time": str(self.part_time),
            "part_time_hours": fmt(self.part_time_hours),
            "repetitive": str(self.repetitive),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "central": self.central, **self.personnel_facts()}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> SiteFacts:
        return cls(
            key=str(raw["key"]),
            name=str(raw["name"]),
            central=bool(raw.get("central", False)),
            permanent=int(raw.get("permanent", 0)),
            temporary=int(raw.get("temporary", 0)),
            contractors=int(raw.get("contractors", 0)),
            part_time=int(raw.get("part_time", 0)),
            part_time_hours=Decimal(str(raw.get("part_time_hours", "0"))),
            repetitive=int(raw.get("repetitive", 0)),
        )


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One MD 5 adjustment of one standard's table time: an increase (> 0) or a reduction (< 0) in percent."""

    standard: str
    factor: str
    percent: Decimal
    justification: str

    def as_dict(self) -> dict[str, str]:
        return {
            "standard": self.standard,
            "factor": self.factor,
            "percent": str(self.percent),
            "justification": self.justification,
        }


@dataclass(frozen=True, slots=True)
class IsmsAssessment:
    """ISO/IEC 27006-1 complexity: three business and three IT scores (1-3) and the percent chosen within
    the impact matrix's range, with its justification."""

    business: tuple[int, ...]
    it: tuple[int, ...]
    percent: Decimal = Decimal(0)
    justification: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "business": list(self.business),
            "it": list(self.it),
            "percent": str(self.percent),
            "justification": self.justification,
        }


@dataclass(frozen=True, slots=True)
class Integration:
    """IAF MD 11: the level of integration of a combined audit's systems, the reduction and its evidence."""

    level: str = IntegrationLevel.NONE.value
    percent: Decimal = Decimal(0)
    evidence: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "percent": str(self.percent), "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class SitePlan:
    """The CB's choices for one site besides the central function (IAF MD 1): its reduction for processes
    the central function performs for it (cl. 7.3.1), with the justification, and the audits it is sampled for."""

    key: str
    reduction_percent: Decimal = Decimal(0)
    reduction_justification: str = ""
    audits: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "reduction_percent": str(self.reduction_percent),
            "reduction_justification": self.reduction_justification,
            "audits": list(self.audits),
        }


@dataclass(frozen=True, slots=True)
class Choices:
    """What the CB decides. ``method`` and ``site_plans`` left ``None`` take the defaults for the sites
    (``complete``): MD 1 sampling when there is a central function and more than one other site, with samples
    rotating through the sites."""

    complexity: Mapping[str, str] = field(default_factory=dict)
    repetitive: str = RepetitiveReduction.NONE.value
    repetitive_justification: str = ""
    adjustments: tuple[Adjustment, ...] = ()
    isms: IsmsAssessment | None = None
    integration: Integration = field(default_factory=Integration)
    method: str | None = None
    site_plans: tuple[SitePlan, ...] | None = None
    remote_percent: Mapping[str, Decimal] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "complexity": dict(self.complexity),
            "repetitive": self.repetitive,
            "repetitive_justification": self.repetitive_justification,
            "adjustments": [a.as_dict() for a in self.adjustments],
            "isms": None if self.isms is None else self.isms.as_dict(),
            "integration": self.integration.as_dict(),
            "method": self.method,
            "site_plans": None if self.site_plans is None else [p.as_dict() for p in self.site_plans],
            "remote_percent": {audit: str(value) for audit, value in self.remote_percent.items()},
        }


@dataclass(frozen=True, slots=True)
class Policy:
    """The CB's settings in force when the time was determined (stored with the inputs)."""

    stage1_percent: int = 30
    """[P] share of the initial audit time spent on stage 1 (``CBSettings.stage1_percent``)."""
    max_remote_percent: Decimal = Decimal(100)
    """[P] most of an audit's days that may be remote (``CBSettings.max_remote_percent``, or the ISMS limit)."""

    @property
    def stage1_fraction(self) -> Fraction:
        return Fraction(self.stage1_percent, 100)

    def as_dict(self) -> dict[str, str]:
        return {"stage1_percent": str(self.stage1_percent), "max_remote_percent": str(self.max_remote_percent)}


@dataclass(frozen=True, slots=True)
class DeterminationInput:
    """Everything an audit-time determination is computed from."""

    purpose: str
    standards: tuple[str, ...]
    sites: tuple[SiteFacts, ...]
    choices: Choices = field(default_factory=Choices)
    policy: Policy = field(default_factory=Policy)

    @property
    def audits(self) -> tuple[str, ...]:
        return AUDITS_BY_PURPOSE.get(Purpose(self.purpose), ()) if self.purpose in Purpose else ()

    @property
    def central(self) -> SiteFacts | None:
        return next((site for site in self.sites if site.central), None)

    @property
    def others(self) -> tuple[SiteFacts, ...]:
        return tuple(site for site in self.sites if not site.central)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "purpose": self.purpose,
            "standards": list(self.standards),
            "sites": [site.as_dict() for site in self.sites],
            "choices": self.choices.as_dict(),
            "policy": self.policy.as_dict(),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> DeterminationInput:
        """The input stored by ``as_dict``; ``InvalidInput`` when it is not of that shape."""
        try:
            choices = raw.get("choices") or {}
            isms = choices.get("isms")
            plans = choices.get("site_plans")
            policy = raw.get("policy") or {}
            integration = choices.get("integration") or {}
            return cls(
                purpose=str(raw["purpose"]),
                standards=tuple(str(s) for s in raw["standards"]),
                sites=tuple(SiteFacts.from_dict(site) for site in raw["sites"]),
                choices=Choices(
                    complexity={str(k): str(v) for k, v in (choices.get("complexity") or {}).items()},
                    repetitive=str(choices.get("repetitive", RepetitiveReduction.NONE.value)),
                    repetitive_justification=str(choices.get("repetitive_justification", "")),
                    adjustments=tuple(
                        Adjustment(
                            str(a["standard"]), str(a["factor"]), Decimal(str(a["percent"])), str(a["justification"])
                        )
                        for a in choices.get("adjustments") or ()
                    ),
                    isms=None
                    if isms is None
                    else IsmsAssessment(
                        tuple(int(s) for s in isms["business"]),
                        tuple(int(s) for s in isms["it"]),
                        Decimal(str(isms.get("percent", "0"))),
                        str(isms.get("justification", "")),
                    ),
                    integration=Integration(
                        str(integration.get("level", IntegrationLevel.NONE.value)),
                        Decimal(str(integration.get("percent", "0"))),
                        str(integration.get("evidence", "")),
                    ),
                    method=None if choices.get("method") is None else str(choices["method"]),
                    site_plans=None
                    if plans is None
                    else tuple(
                        SitePlan(
                            str(p["key"]),
                            Decimal(str(p.get("reduction_percent", "0"))),
                            str(p.get("reduction_justification", "")),
                            tuple(str(a) for a in p.get("audits") or ()),
                        )
                        for p in plans
                    ),
                    remote_percent={str(k): Decimal(str(v)) for k, v in (choices.get("remote_percent") or {}).items()},
                ),
                policy=Policy(
                    stage1_percent=int(policy.get("stage1_percent", 30)),
                    max_remote_percent=Decimal(str(policy.get("max_remote_percent", "100"))),
                ),
            )
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise InvalidInput(f"a stored audit-time determination is not readable: {exc}") from exc
