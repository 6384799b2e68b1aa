"""What the single-organization and the per-site computations share: the trace and warnings being collected,
effective personnel, the engine's request, and the rows of the audits (stage split, remote part)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from conformo.domain.audit_time import AuditTimeRequest, AuditTimeResult, check_standard
from conformo.domain.determination.inputs import AUDIT_LABELS, DeterminationInput, SiteFacts
from conformo.domain.determination.result import AuditDays, DeterminationWarning
from conformo.domain.personnel import PersonnelBreakdown, effective_personnel
from conformo.domain.rounding import floor_half_day, round_half_day
from conformo.domain.settings import RepetitiveReduction, RuleSettings
from conformo.domain.trace import TraceStep, fmt


class Work:
    """The trace and warnings being collected (warnings without repeats, in order)."""

    def __init__(self) -> None:
        self.steps: list[TraceStep] = []
        self.warnings: list[DeterminationWarning] = []

    def step(self, step: str, rule: str, source: str, value: str) -> None:
        self.steps.append(TraceStep(step, rule, source, value))

    def warn(self, code: str, message: str) -> None:
        warning = DeterminationWarning(code, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def engine(self, result: AuditTimeResult, prefix: str = "", skip: frozenset[str] = frozenset()) -> None:
        for step in result.trace:
            if step.step in skip:
                continue
            self.steps.append(TraceStep(f"{prefix}{step.step}", step.rule, step.source, step.value) if prefix else step)
        for code, message in zip(result.warning_codes, result.warnings, strict=True):
            self.warn(code, message)


def site_personnel(site: SiteFacts, inp: DeterminationInput, settings: RuleSettings) -> tuple[Decimal, list[TraceStep]]:
    method = RepetitiveReduction(inp.choices.repetitive)
    result = effective_personnel(
        site.breakdown(inp.choices.repetitive_justification), reduction=method, settings=settings
    )
    return result.value, list(result.trace)


def together(sites: Sequence[SiteFacts], justification: str) -> PersonnelBreakdown:
    breakdowns = [site.breakdown(justification) for site in sites]
    return PersonnelBreakdown(
        permanent=sum(b.permanent for b in breakdowns),
        temporary=sum(b.temporary for b in breakdowns),
        contractors=sum(b.contractors for b in breakdowns),
        part_time=tuple(group for b in breakdowns for group in b.part_time),
        repetitive=sum(b.repetitive for b in breakdowns),
        repetitive_justification=justification,
    )


def request(
    inp: DeterminationInput, personnel: Decimal, adjustments: dict[str, tuple[Decimal, ...]], integration: Decimal
) -> AuditTimeRequest:
    complexity = {
        standard: inp.choices.complexity[standard]
        for standard in inp.standards
        if check_standard(standard).has_complexity
    }
    return AuditTimeRequest(
        standards=inp.standards,
        personnel=personnel,
        adjustments=dict(adjustments),
        integration_percent=integration,
        complexity_by_standard=complexity,
    )


def remote_row(inp: DeterminationInput, audit: str, days: Decimal, sites: tuple[str, ...], work: Work) -> AuditDays:
    percent = inp.choices.remote_percent.get(audit, Decimal(0))
    remote = floor_half_day(Fraction(days) * Fraction(percent) / 100)
    if percent:
        work.step(
            f"remote part of {AUDIT_LABELS[audit]}",
            f"{fmt(days)} days x {fmt(percent)} %, rounded down to a half day (the CB allows at most "
            f"{fmt(inp.policy.max_remote_percent)} %)",
            "IAF MD 4 (remote time counts as audit time); the CB's remote-auditing policy [P]",
            f"{fmt(remote)} days remote, {fmt(days - remote)} on site",
        )
    return AuditDays(audit, days, days - remote, remote, percent, sites)


def stage_rows(
    inp: DeterminationInput, initial: Decimal, stage1_sites: tuple[str, ...], stage2_sites: tuple[str, ...], work: Work
) -> list[AuditDays]:
    stage1 = round_half_day(Fraction(initial) * inp.policy.stage1_fraction)
    work.step(
        "stage 1 and stage 2",
        f"stage 1 = {fmt(initial)} x {inp.policy.stage1_percent} % to the nearest half day; stage 2 the rest",
        "the CB's share of stage 1 [P] (IAF MD 5 fixes no split)",
        f"{fmt(stage1)} + {fmt(initial - stage1)} days",
    )
    return [
        remote_row(inp, "stage1", stage1, stage1_sites, work),
        remote_row(inp, "stage2", initial - stage1, stage2_sites, work),
    ]


def ordered(inp: DeterminationInput, rows: list[AuditDays]) -> tuple[AuditDays, ...]:
    by_audit = {row.audit: row for row in rows}
    return tuple(by_audit[audit] for audit in inp.audits if audit in by_audit)
