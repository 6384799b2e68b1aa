"""An audit of the programme: plan (dates, on-site share, sites, clause coverage), the team with its
computed eligibility check, start and completion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits import notices
from conformo.audits.choices import AuditKind, AuditStatus, ConflictKind, ObjectionStatus, QualificationRole
from conformo.audits.models import (
    Audit,
    Auditor,
    AuditProgramme,
    ConflictOfInterest,
    PlanObjection,
    Qualification,
    TeamMember,
    Unavailability,
)
from conformo.audits.services.agreements import stage1_agreement_block
from conformo.audits.services.common import SURVEILLANCE_KINDS, is_lead, log_programme, require_manager
from conformo.audits.services.qualifications import QualificationReading, read_qualifications
from conformo.audits.services.setup import cb_settings_get
from conformo.audits.services.transitions import transition_end_check
from conformo.core.actors import Actor
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, has_cb_role
from conformo.domain.cycle import add_months, expiry_date
from conformo.domain.remote import remote_share_check
from conformo.organizations.models import Site


def _stage1(programme: AuditProgramme) -> Audit | None:
    return programme.audits.filter(kind=AuditKind.STAGE_1).first()


@transaction.atomic
def audit_plan(
    *,
    actor: Actor,
    audit: Audit,
    planned_start: date,
    planned_end: date,
    onsite_days: Decimal | None = None,
    remote_days: Decimal = Decimal(0),
    sites: list[Site] | None = None,
    clause_coverage: dict[str, list[str]] | None = None,
    notes: str | None = None,
) -> Audit:
    """Plan an audit: dates, on-site and remote days (remote ICT time counts as audit time, IAF MD 4, up to the
    CB's remote share `CBSettings.max_remote_percent`; ISMS: `max_remote_percent_isms`), sites, clause
    coverage per auditor. A surveillance or recertification can't be planned past its limit, and stage 2
    can't be planned before stage 1 ends (unless a combined audit is recorded)."""
    programme = audit.programme
    if not (has_cb_role(actor, programme.certification_body_id, *MANAGERS) or is_lead(actor, audit)):
        raise PermissionDenied("Only the programme manager or the audit's lead auditor can plan this audit.")
    if audit.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
        raise Conflict("This audit is closed; it can no longer be re-planned.")
    if planned_end < planned_start:
        raise ValidationFailed("The audit ends before it starts.", fields={"planned_end": ["After the start."]})
    if audit.kind in SURVEILLANCE_KINDS and audit.due_by and planned_end > audit.due_by:
        raise Conflict(
            f"{audit.get_kind_display()} must take place by {audit.due_by.isoformat()} (ISO/IEC 17021-1 9.1.3.3); "
            f"the planned end {planned_end.isoformat()} is past that limit.",
            code="surveillance_past_limit",
        )
    if audit.kind == AuditKind.STAGE_2 and not programme.combined_stages_justification:
        stage1 = _stage1(programme)
        stage1_end = stage1.completed_on or stage1.planned_end if stage1 else None
        if stage1 is not None and (stage1_end is None or planned_start < stage1_end):
            raise Conflict(
                "Stage 2 cannot be planned before stage 1 ends "
                f"({'stage 1 is not planned yet' if stage1_end is None else stage1_end.isoformat()}); "
                "record a justified combined audit to run them together.",
                code="stage2_before_stage1",
            )
    transition_end_check(audit, planned_end)
    onsite = onsite_days if onsite_days is not None else audit.days - remote_days
    total = onsite + remote_days
    if onsite < 0:
        raise ValidationFailed(
            f"{remote_days} remote days are more than the audit's {audit.days} days.",
            fields={"remote_days": ["Fewer."]},
        )
    settings = cb_settings_get(programme.certification_body)
    isms = programme.standards.filter(code__contains="27001").exists()
    check = remote_share_check(
        onsite_days=onsite,
        remote_days=remote_days,
        limit_percent=Decimal(settings.max_remote_percent_isms if isms else settings.max_remote_percent),
        isms=isms,
    )
    if not check.ok:
        raise ValidationFailed(check.message(), code="remote_share_too_high", fields={"remote_days": ["Fewer."]})
    before = {"planned_start": audit.planned_start, "planned_end": audit.planned_end, "days": str(audit.days)}
    audit.planned_start, audit.planned_end = planned_start, planned_end
    audit.onsite_days, audit.remote_days = onsite, remote_days
    if total > 0:
        audit.days = total
    if clause_coverage is not None:
        audit.clause_coverage = clause_coverage
    if notes is not None:
        audit.plan_notes = notes
    audit.save()
    if sites is not None:
        if any(s.organization_id != programme.organization_id for s in sites):
            raise ValidationFailed("Every site must belong to the client.")
        audit.sites.set(sites)
    if audit.kind == AuditKind.STAGE_2 and programme.decision_date is None:
        # Before the decision the later limits are provisional: they follow stage 2 when it moves.
        provisional = {
            AuditKind.SURVEILLANCE_1: add_months(planned_end, settings.surveillance_1_months),
            AuditKind.SURVEILLANCE_2: add_months(planned_end, settings.surveillance_2_months),
            AuditKind.RECERTIFICATION: expiry_date(planned_end, settings.rule_settings()),
        }
        for later in programme.audits.filter(kind__in=list(provisional), status=AuditStatus.PLANNED):
            later.due_by = provisional[AuditKind(later.kind)]
            later.save(update_fields=["due_by", "updated_at"])
    log_programme(
        actor,
        "audit.plan",
        audit,
        programme,
        before=before,
        after={
            "planned_start": planned_start,
            "planned_end": planned_end,
            "days": str(audit.days),
            "onsite_days": str(onsite),
            "remote_days": str(remote_days),
        },
    )
    return audit


@dataclass(frozen=True)
class Member:
    auditor: Auditor
    role: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Facts:
    """What the eligibility rule reads, fetched once for a set of auditors: the day checked, the scope's
    standards and sector codes, the qualifications valid that day, and each auditor's own bars (off the CB's
    register, a conflict inside the cooling-off period, unavailable on the audit's dates) in rule order."""

    day: date
    standards: list[Any]
    sector_codes: list[int]
    quals: list[Qualification]
    bars: list[tuple[int, dict[str, str]]]
    stale: list[QualificationReading] = field(default_factory=list)

    def covers(self, auditor_id: int, standard_id: int, code: int) -> bool:
        return any(
            q.auditor_id == auditor_id and q.standard_id == standard_id and code in q.sector_codes for q in self.quals
        )

    def why_not(self, auditor_id: int, standard_id: int, code: int | None = None) -> str:
        """Why a qualification of this auditor for the standard (and code) no longer counts ("expired on …",
        "lapsed: no audit since …") — of the latest such qualification —, or "" when there is none."""
        for reading in sorted(self.stale, key=lambda r: r.qualification.valid_from, reverse=True):
            q = reading.qualification
            if q.auditor_id == auditor_id and q.standard_id == standard_id and (code is None or code in q.sector_codes):
                return f"{q.get_role_display().lower()} qualification {reading.status.reason}"
        return ""

    def lead_unqualified(self, auditor_id: int) -> list[str]:
        """The scope's standards this auditor may not lead."""
        return [
            str(s)
            for s in self.standards
            if not any(
                q.auditor_id == auditor_id and q.standard_id == s.pk and q.role == QualificationRole.LEAD_AUDITOR
                for q in self.quals
            )
        ]


RELATED_BODY_BARS = (ConflictKind.CONSULTANCY, ConflictKind.INTERNAL_AUDIT)
"""A related body's relationships with a client that bar the CB from certifying it within the cooling-off period."""


def _facts(audit: Audit, auditors: list[Auditor], on: date | None) -> _Facts:
    programme = audit.programme
    settings = cb_settings_get(programme.certification_body)
    day = on or audit.planned_start or timezone.localdate()
    end = audit.planned_end or day
    readings = read_qualifications(
        Qualification.objects.filter(auditor__in=auditors).select_related("standard", "auditor__user"), day
    )
    quals = [r.qualification for r in readings if r.current]
    stale = [r for r in readings if not r.current]
    bars: list[tuple[int, dict[str, str]]] = []
    for auditor in auditors:
        if auditor.certification_body_id != programme.certification_body_id or not auditor.active:
            bars.append(
                (auditor.pk, {"code": "auditor_not_registered", "message": f"{auditor} is not on this CB's register."})
            )
    for conflict in ConflictOfInterest.objects.filter(
        auditor__in=auditors, organization_id=programme.organization_id
    ).select_related("auditor__user"):
        until = add_months(conflict.ended_on, settings.cooling_off_months) if conflict.ended_on else None
        if conflict.auditor_id is not None and (until is None or day <= until):
            when = "is ongoing" if until is None else f"ended {conflict.ended_on}; cooling-off runs to {until}"
            message = (
                f"{conflict.auditor} has a conflict of interest with {programme.organization} "
                f"({conflict.get_kind_display().lower()}, {when}; {settings.cooling_off_months}-month cooling-off)."
            )
            bars.append((conflict.auditor_id, {"code": "auditor_in_cooling_off", "message": message}))
    for consultancy in ConflictOfInterest.objects.filter(
        related_body__certification_body_id=programme.certification_body_id,
        organization_id=programme.organization_id,
        kind__in=RELATED_BODY_BARS,
    ).select_related("related_body"):
        # A related body's consultancy (or internal audits) for the client bars the whole CB, so every proposed
        # auditor (docs/rules.md, "Impartiality": 17021-1 5.2, RELATED_BODY_RULE).
        until = add_months(consultancy.ended_on, settings.cooling_off_months) if consultancy.ended_on else None
        if until is None or day <= until:
            when = "is ongoing" if until is None else f"ended {consultancy.ended_on}; cooling-off runs to {until}"
            message = (
                f"{consultancy.related_body}, a body related to the CB, gave {programme.organization} "
                f"{consultancy.get_kind_display().lower()} ({when}; {settings.cooling_off_months}-month cooling-off): "
                "no auditor of the CB takes part in its certification."
            )
            bars.extend((a.pk, {"code": "client_consulted_by_related_body", "message": message}) for a in auditors)
    for period in Unavailability.objects.filter(
        auditor__in=auditors, starts_on__lte=end, ends_on__gte=day
    ).select_related("auditor__user"):
        message = f"{period.auditor} is unavailable from {period.starts_on} to {period.ends_on}."
        bars.append((period.auditor_id, {"code": "auditor_unavailable", "message": message}))
    return _Facts(
        day=day,
        standards=list(programme.standards.order_by("code")),
        sector_codes=list(programme.sector_codes),
        quals=quals,
        bars=bars,
        stale=stale,
    )


def audit_team_check(audit: Audit, members: list[Member], on: date | None = None) -> dict[str, Any]:
    """The eligibility of a proposed team, with reasons: together it covers every standard × IAF sector
    code of the scope; a qualified lead auditor; nobody with a conflict inside the cooling-off period;
    nobody unavailable on the audit's dates."""
    auditors = [m.auditor for m in members]
    facts = _facts(audit, auditors, on)
    reasons: list[dict[str, str]] = []
    coverage: list[dict[str, Any]] = []
    for standard in facts.standards:
        for code in facts.sector_codes:
            by = sorted({str(a) for a in auditors if facts.covers(a.pk, standard.pk, code)})
            coverage.append({"standard": standard.code, "sector_code": code, "covered_by": by})
            if not by:
                why = [f"{a}'s {w}" for a in auditors if (w := facts.why_not(a.pk, standard.pk, code))]
                reasons.append(
                    {
                        "code": "team_missing_sector_code",
                        "message": f"Nobody on the team is qualified for {standard} in IAF sector code {code}"
                        + (f" ({'; '.join(why)})." if why else "."),
                    }
                )
    leads = [m for m in members if m.role == QualificationRole.LEAD_AUDITOR]
    if len(leads) != 1:
        reasons.append({"code": "lead_auditor_required", "message": "The team needs exactly one lead auditor."})
    else:
        lead = leads[0].auditor
        unqualified = facts.lead_unqualified(lead.pk)
        if unqualified:
            reasons.append(
                {
                    "code": "lead_auditor_not_qualified",
                    "message": f"{lead} is not qualified as lead auditor for {', '.join(unqualified)}.",
                }
            )
    for _, reason in facts.bars:
        if reason not in reasons:  # a bar of the whole CB (a related body's consultancy) is said once
            reasons.append(reason)
    return {
        "ok": not reasons,
        "checked_on": facts.day.isoformat(),
        "members": [{"auditor": str(m.auditor), "role": m.role} for m in members],
        "reasons": reasons,
        "coverage": coverage,
    }


@dataclass(frozen=True)
class AuditorEligibility:
    """One auditor against the team rule of `audit_team_check`, for the team picker: `reasons` bar or limit the
    auditor as a member (a sector code the auditor is not qualified for must be covered by another member);
    `lead_reasons` say why the auditor may not lead."""

    auditor: Auditor
    reasons: tuple[dict[str, str], ...]
    lead_reasons: tuple[dict[str, str], ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def can_lead(self) -> bool:
        return not self.reasons and not self.lead_reasons


def auditor_eligibility(audit: Audit, auditors: list[Auditor], on: date | None = None) -> dict[int, AuditorEligibility]:
    """Each auditor's eligibility for this audit (by auditor pk), read from the same facts and messages as the
    team check: the scope's standards × IAF sector codes the auditor is qualified for, lead-auditor
    qualification, conflicts inside the cooling-off period, unavailability on the audit's dates."""
    facts = _facts(audit, auditors, on)
    result: dict[int, AuditorEligibility] = {}
    for auditor in auditors:
        reasons = [
            {
                "code": "auditor_missing_sector_code",
                "message": f"Not qualified for {standard} in IAF sector code {code}"
                + (f": {why}." if (why := facts.why_not(auditor.pk, standard.pk, code)) else "."),
            }
            for standard in facts.standards
            for code in facts.sector_codes
            if not facts.covers(auditor.pk, standard.pk, code)
        ]
        reasons.extend(reason for pk, reason in facts.bars if pk == auditor.pk)
        unqualified = facts.lead_unqualified(auditor.pk)
        lead_why = [w for s in facts.standards if str(s) in unqualified and (w := facts.why_not(auditor.pk, s.pk))]
        lead = (
            [
                {
                    "code": "lead_auditor_not_qualified",
                    "message": f"Not qualified as lead auditor for {', '.join(unqualified)}"
                    + (f" ({'; '.join(lead_why)})." if lead_why else "."),
                }
            ]
            if unqualified
            else []
        )
        result[auditor.pk] = AuditorEligibility(auditor, tuple(reasons), tuple(lead))
    return result


def audit_team_assign(*, actor: Actor, audit: Audit, members: list[Member]) -> Audit:
    """Assign the audit team after the eligibility check. The check's result is stored either way; an
    ineligible team is refused with the reasons (the first reason's code is the error code)."""
    programme = audit.programme
    require_manager(actor, programme, "assign audit teams")
    if audit.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
        raise Conflict("This audit is closed; its team can no longer change.")
    if len({m.auditor.pk for m in members}) != len(members):
        raise ValidationFailed("An auditor appears twice on the team.")
    result = audit_team_check(audit, members)
    with transaction.atomic():
        audit.eligibility = result
        audit.eligibility_ok = result["ok"]
        stayed: set[int] = set()
        if result["ok"]:
            stayed = {m.auditor.pk for m in members} & set(audit.team.values_list("auditor_id", flat=True))
            audit.team.all().delete()
            TeamMember.objects.bulk_create(
                TeamMember(audit=audit, auditor=m.auditor, role=m.role, clauses=list(m.clauses)) for m in members
            )
        audit.save(update_fields=["eligibility", "eligibility_ok", "updated_at"])
        log_programme(
            actor, "audit.team_assign" if result["ok"] else "audit.team_refused", audit, programme, after=result
        )
        if result["ok"]:
            joined = audit.team.exclude(auditor_id__in=stayed).select_related("auditor__user")
            notices.team_assigned(actor=actor, audit=audit, joined=list(joined))
    if not result["ok"]:
        first = result["reasons"][0]
        raise Conflict(
            "The team is not eligible: " + " ".join(r["message"] for r in result["reasons"]),
            code=first["code"],
            fields={"team": [r["message"] for r in result["reasons"]]},
        )
    return audit


@transaction.atomic
def audit_start(*, actor: Actor, audit: Audit, on: date | None = None) -> Audit:
    """Start an audit. Needs an eligible team and no open objection of the client to a team member; stage 1 needs
    the certification agreement accepted (or the CB's recorded reason to sign it at stage 1, when its settings
    allow that); stage 2 needs stage 1 completed (or a recorded combined audit)."""
    programme = audit.programme
    if not (has_cb_role(actor, programme.certification_body_id, *MANAGERS) or is_lead(actor, audit)):
        raise PermissionDenied("Only the programme manager or the audit's lead auditor can start this audit.")
    if audit.status != AuditStatus.PLANNED:
        raise Conflict(f"This audit is {audit.get_status_display().lower()}; only a planned audit can start.")
    if not audit.eligibility_ok or not audit.team.exists():
        raise Conflict("Assign an eligible audit team before the audit starts.", code="team_not_eligible")
    if audit.kind == AuditKind.STAGE_1:
        refusal = stage1_agreement_block(programme.application)
        if refusal is not None:
            raise Conflict(refusal, code="agreement_not_accepted")
    if audit.kind == AuditKind.STAGE_2 and not programme.combined_stages_justification:
        stage1 = _stage1(programme)
        if stage1 is not None and stage1.status != AuditStatus.COMPLETED:
            raise Conflict(
                "Stage 2 cannot start before stage 1 is completed (ISO/IEC 17021-1 9.3.1); "
                "record a justified combined audit to run them together.",
                code="stage1_not_completed",
            )
    objection = PlanObjection.objects.filter(plan__audit=audit, status=ObjectionStatus.OPEN).first()
    if objection is not None:
        raise Conflict(
            f"The client objects to {objection.auditor} on the audit team; resolve the objection (replace the "
            "member, or record why not) before the audit starts (ISO/IEC 17021-1 9.2.2/9.2.3).",
            code="plan_objection_open",
        )
    audit.status = AuditStatus.IN_PROGRESS
    audit.started_on = on or timezone.localdate()
    audit.save(update_fields=["status", "started_on", "updated_at"])
    log_programme(actor, "audit.start", audit, programme, after={"started_on": audit.started_on})
    return audit


@transaction.atomic
def audit_complete(*, actor: Actor, audit: Audit, on: date | None = None, summary: str = "") -> Audit:
    """Complete an audit (the lead auditor or the programme manager)."""
    programme = audit.programme
    if not (has_cb_role(actor, programme.certification_body_id, *MANAGERS) or is_lead(actor, audit)):
        raise PermissionDenied("Only the programme manager or the audit's lead auditor can complete this audit.")
    if audit.status != AuditStatus.IN_PROGRESS:
        raise Conflict("Only an audit in progress can be completed.")
    audit.status = AuditStatus.COMPLETED
    audit.completed_on = on or timezone.localdate()
    audit.summary = summary
    audit.save(update_fields=["status", "completed_on", "summary", "updated_at"])
    log_programme(actor, "audit.complete", audit, programme, after={"completed_on": audit.completed_on})
    return audit
