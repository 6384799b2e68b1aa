"""The 3-year audit programme (17021-1 9.1.3) and its audits: creation, re-planning, plan, team with the
computed eligibility check, start and completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits.choices import AuditKind, AuditStatus, QualificationRole, SpecialPurpose
from conformo.audits.models import (
    Application,
    ApplicationReview,
    Audit,
    Auditor,
    AuditProgramme,
    ConflictOfInterest,
    Qualification,
    TeamMember,
    Unavailability,
)
from conformo.audits.permissions import MANAGERS, has_cb_role
from conformo.audits.services.setup import cb_settings_get
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.domain.cycle import add_months, cycle_dates, expiry_date
from conformo.domain.settings import DEFAULT_SETTINGS
from conformo.organizations.models import Site

SURVEILLANCE_KINDS = (AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION)
ORDER = {
    AuditKind.TRANSFER_REVIEW: 0,
    AuditKind.STAGE_1: 1,
    AuditKind.STAGE_2: 2,
    AuditKind.SURVEILLANCE_1: 3,
    AuditKind.SURVEILLANCE_2: 4,
    AuditKind.RECERTIFICATION: 5,
    AuditKind.SPECIAL: 6,
}


def _log(actor: Any, action: str, obj: Any, programme: AuditProgramme, **kwargs: Any) -> None:
    audit_log_record(
        actor=actor,
        action=action,
        obj=obj,
        certification_body_id=programme.certification_body_id,
        organization_id=programme.organization_id,
        **kwargs,
    )


def _require_manager(actor: Any, programme: AuditProgramme, action: str) -> None:
    if not has_cb_role(actor, programme.certification_body_id, *MANAGERS):
        raise PermissionDenied(f"Only a CB administrator or programme manager can {action}.")


def is_lead(actor: Any, audit: Audit) -> bool:
    return bool(
        actor is not None and audit.team.filter(auditor__user=actor, role=QualificationRole.LEAD_AUDITOR).exists()
    )


def on_team(actor: Any, audit: Audit) -> bool:
    return bool(actor is not None and audit.team.filter(auditor__user=actor).exists())


def sample_sites(sites: list[Site], count: int, offset: int = 0) -> list[Site]:
    """The central function plus `count` other sites, rotating by `offset` so later audits visit others."""
    hq = [s for s in sites if s.is_headquarters]
    others = [s for s in sites if not s.is_headquarters]
    if not others:
        return hq
    count = min(count, len(others))
    start = offset % len(others)
    rotated = others[start:] + others[:start]
    return hq + rotated[:count]


def _days(review: ApplicationReview | None, audit: str) -> Decimal:
    for row in review.quotation if review else []:
        if row["audit"] == audit:
            return Decimal(row["days"])
    return Decimal(0)


@transaction.atomic
def programme_create(*, actor: Any, application: Application, review: ApplicationReview, on: date) -> AuditProgramme:
    """Create the certification record and the 3-year programme of an accepted application: stage 1,
    stage 2, surveillance 1 and 2, recertification (or, for a transfer, the transfer review and the
    audits left in the cycle), each with a due date, audit days and sites to visit."""
    from conformo.certification.models import Certification

    cb = application.certification_body
    settings = cb_settings_get(cb)
    rules = settings.rule_settings()
    transfer = application.transfer_details if application.is_transfer else None
    certification = Certification.objects.create(
        certification_body=cb,
        organization=application.organization,
        scope=application.scope,
        sector_codes=application.sector_codes,
        transferred_from=str(transfer["issuing_cb"]) if transfer else "",
    )
    certification.standards.set(application.standards.all())
    programme = AuditProgramme.objects.create(
        certification_body=cb,
        organization=application.organization,
        application=application,
        certification=certification,
        scope=application.scope,
        sector_codes=application.sector_codes,
    )
    programme.standards.set(application.standards.all())
    sites = list(application.sites.all())
    sampling = review.sampling or {}
    n_initial = int(sampling.get("initial", len(sites)))
    n_surv = int(sampling.get("surveillance", len(sites)))
    n_recert = int(sampling.get("recertification", len(sites)))
    stage1_due = on + timedelta(days=settings.stage1_due_days)
    stage2_due = stage1_due + timedelta(days=settings.stage2_due_days)
    plan: list[tuple[str, date | None, Decimal, list[Site]]]
    if transfer:
        expires = date.fromisoformat(str(transfer["expires_on"]))
        decision = add_months(expires + timedelta(days=1), -12 * rules.validity_years)
        dates = cycle_dates(decision, None, rules)
        programme.decision_date, programme.expires_on = decision, expires
        programme.cycle_dates = dates.as_dict()
        programme.save(update_fields=["decision_date", "expires_on", "cycle_dates", "updated_at"])
        remaining = {
            "surveillance1": [AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION],
            "surveillance2": [AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION],
            "recertification": [AuditKind.RECERTIFICATION],
        }.get(str(transfer["current_stage"]), [AuditKind.RECERTIFICATION])
        due = {
            AuditKind.SURVEILLANCE_1: dates.surveillance_1_due,
            AuditKind.SURVEILLANCE_2: dates.surveillance_2_due,
            AuditKind.RECERTIFICATION: dates.recertification_due,
        }
        plan = [(AuditKind.TRANSFER_REVIEW, on + timedelta(days=30), Decimal(1), sample_sites(sites, 0))]
        plan += [
            (
                kind,
                due[kind],
                _days(review, kind),
                sample_sites(sites, n_surv if kind != AuditKind.RECERTIFICATION else n_recert, i + 1),
            )
            for i, kind in enumerate(remaining)
        ]
    else:
        provisional = expiry_date(stage2_due, rules)
        plan = [
            (AuditKind.STAGE_1, stage1_due, _days(review, "stage1"), sample_sites(sites, 0)),
            (AuditKind.STAGE_2, stage2_due, _days(review, "stage2"), sample_sites(sites, n_initial)),
            (
                AuditKind.SURVEILLANCE_1,
                add_months(stage2_due, settings.surveillance_1_months),
                _days(review, "surveillance1"),
                sample_sites(sites, n_surv, n_initial),
            ),
            (
                AuditKind.SURVEILLANCE_2,
                add_months(stage2_due, settings.surveillance_2_months),
                _days(review, "surveillance2"),
                sample_sites(sites, n_surv, n_initial + n_surv),
            ),
            (AuditKind.RECERTIFICATION, provisional, _days(review, "recertification"), sample_sites(sites, n_recert)),
        ]
    for kind, due_by, days, visit in plan:
        audit = Audit.objects.create(
            programme=programme, kind=kind, sequence=ORDER[AuditKind(kind)], due_by=due_by, days=days, onsite_days=days
        )
        audit.sites.set(visit)
    _log(
        actor,
        "programme.create",
        programme,
        programme,
        after={"audits": [(str(k), d.isoformat() if d else None, str(days)) for k, d, days, _ in plan]},
    )
    return programme


@transaction.atomic
def programme_start_cycle(
    *, actor: Any, programme: AuditProgramme, decision_date: date, stage2_end: date | None
) -> AuditProgramme:
    """Fix the cycle's dates from the certification decision (rules engine) and move the surveillance and
    recertification limits accordingly. Called by the grant / renew decision."""
    rules = cb_settings_get(programme.certification_body).rule_settings()
    dates = cycle_dates(decision_date, stage2_end, rules)
    before = {"decision_date": programme.decision_date, "expires_on": programme.expires_on}
    programme.decision_date = decision_date
    programme.expires_on = dates.expires_on
    programme.cycle_dates = dates.as_dict()
    programme.save(update_fields=["decision_date", "expires_on", "cycle_dates", "updated_at"])
    limits = {
        AuditKind.SURVEILLANCE_1: dates.surveillance_1_due,
        AuditKind.SURVEILLANCE_2: dates.surveillance_2_due,
        AuditKind.RECERTIFICATION: dates.recertification_due,
    }
    for audit in programme.audits.filter(kind__in=list(limits)).exclude(status=AuditStatus.COMPLETED):
        audit.due_by = limits[AuditKind(audit.kind)]
        audit.save(update_fields=["due_by", "updated_at"])
    _log(actor, "programme.replan", programme, programme, before=before, after=dates.as_dict())
    return programme


@transaction.atomic
def programme_next_cycle(*, actor: Any, programme: AuditProgramme, decision_date: date) -> AuditProgramme:
    """After a renewal: the next 3-year programme (surveillance 1, 2, recertification), keeping the sites and
    days of the previous cycle. The new expiry follows on from the existing one (17021-1 9.6.3.2.3)."""
    rules = cb_settings_get(programme.certification_body).rule_settings()
    start = (programme.expires_on + timedelta(days=1)) if programme.expires_on else decision_date
    dates = cycle_dates(start, None, rules)
    programme.active = False
    programme.save(update_fields=["active", "updated_at"])
    new = AuditProgramme.objects.create(
        certification_body=programme.certification_body,
        organization=programme.organization,
        certification=programme.certification,
        cycle=programme.cycle + 1,
        scope=programme.scope,
        sector_codes=programme.sector_codes,
        decision_date=decision_date,
        expires_on=dates.expires_on,
        cycle_dates=dates.as_dict(),
    )
    new.standards.set(programme.standards.all())
    old = {a.kind: a for a in programme.audits.all()}
    for kind, due in (
        (AuditKind.SURVEILLANCE_1, dates.surveillance_1_due),
        (AuditKind.SURVEILLANCE_2, dates.surveillance_2_due),
        (AuditKind.RECERTIFICATION, dates.recertification_due),
    ):
        previous = old.get(kind)
        audit = Audit.objects.create(
            programme=new,
            kind=kind,
            sequence=ORDER[kind],
            due_by=due,
            days=previous.days if previous else Decimal(0),
            onsite_days=previous.days if previous else Decimal(0),
        )
        if previous:
            audit.sites.set(previous.sites.all())
    _log(actor, "programme.create", new, new, after={"cycle": new.cycle, **dates.as_dict()})
    return new


@transaction.atomic
def programme_record_combined_audit(*, actor: Any, programme: AuditProgramme, justification: str) -> AuditProgramme:
    """Record the justification for running stage 1 and stage 2 as one combined audit."""
    _require_manager(actor, programme, "record a combined stage 1 and stage 2 audit")
    if len(justification.strip()) < 10:
        raise ValidationFailed("Explain why stage 1 and stage 2 are combined.", fields={"justification": ["Required."]})
    programme.combined_stages_justification = justification.strip()
    programme.save(update_fields=["combined_stages_justification", "updated_at"])
    _log(actor, "programme.combine_stages", programme, programme, after={"justification": justification})
    return programme


@transaction.atomic
def special_audit_create(
    *, actor: Any, programme: AuditProgramme, purpose: str, due_by: date | None, days: Decimal, notes: str = ""
) -> Audit:
    """Add a special audit: extension of scope (9.6.4.1) or short notice (9.6.4.2)."""
    _require_manager(actor, programme, "add special audits")
    if purpose not in (SpecialPurpose.SCOPE_EXTENSION, SpecialPurpose.SHORT_NOTICE):
        raise ValidationFailed("Purpose must be scope_extension or short_notice.", fields={"purpose": ["Invalid."]})
    audit = Audit.objects.create(
        programme=programme,
        kind=AuditKind.SPECIAL,
        purpose=purpose,
        sequence=ORDER[AuditKind.SPECIAL],
        due_by=due_by,
        days=days,
        onsite_days=days,
        plan_notes=notes,
    )
    _log(actor, "audit.create", audit, programme, after={"purpose": purpose, "days": str(days)})
    return audit


def _stage1(programme: AuditProgramme) -> Audit | None:
    return programme.audits.filter(kind=AuditKind.STAGE_1).first()


@transaction.atomic
def audit_plan(
    *,
    actor: Any,
    audit: Audit,
    planned_start: date,
    planned_end: date,
    onsite_days: Decimal | None = None,
    remote_days: Decimal = Decimal(0),
    sites: list[Site] | None = None,
    clause_coverage: dict[str, list[str]] | None = None,
    notes: str | None = None,
) -> Audit:
    """Plan an audit: dates, on-site and remote days (≥ 80 % on site, IAF MD 5 cl. 4.1), sites, clause
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
    onsite = onsite_days if onsite_days is not None else audit.days - remote_days
    total = onsite + remote_days
    share = DEFAULT_SETTINGS.min_onsite_share
    if total > 0 and onsite < total * share:
        raise ValidationFailed(
            f"At least {int(share * 100)} % of the audit time must be on site (IAF MD 5 cl. 4.1); "
            f"{onsite} of {total} days is less.",
            code="onsite_share_too_low",
        )
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
        settings = cb_settings_get(programme.certification_body)
        provisional = {
            AuditKind.SURVEILLANCE_1: add_months(planned_end, settings.surveillance_1_months),
            AuditKind.SURVEILLANCE_2: add_months(planned_end, settings.surveillance_2_months),
            AuditKind.RECERTIFICATION: expiry_date(planned_end, settings.rule_settings()),
        }
        for later in programme.audits.filter(kind__in=list(provisional), status=AuditStatus.PLANNED):
            later.due_by = provisional[AuditKind(later.kind)]
            later.save(update_fields=["due_by", "updated_at"])
    _log(
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


def audit_team_check(audit: Audit, members: list[Member], on: date | None = None) -> dict[str, Any]:
    """The eligibility of a proposed team, with reasons: together it covers every standard × IAF sector
    code of the scope; a qualified lead auditor; nobody with a conflict inside the cooling-off period;
    nobody unavailable on the audit's dates."""
    programme = audit.programme
    settings = cb_settings_get(programme.certification_body)
    day = on or audit.planned_start or timezone.localdate()
    end = audit.planned_end or day
    reasons: list[dict[str, str]] = []
    coverage: list[dict[str, Any]] = []
    auditors = [m.auditor for m in members]
    quals = [
        q
        for q in Qualification.objects.filter(auditor__in=auditors).select_related("standard", "auditor__user")
        if q.valid_on(day)
    ]
    standards = list(programme.standards.order_by("code"))
    for standard in standards:
        for code in programme.sector_codes:
            by = sorted({str(q.auditor) for q in quals if q.standard_id == standard.pk and code in q.sector_codes})
            coverage.append({"standard": standard.code, "sector_code": code, "covered_by": by})
            if not by:
                reasons.append(
                    {
                        "code": "team_missing_sector_code",
                        "message": f"Nobody on the team is qualified for {standard} in IAF sector code {code}.",
                    }
                )
    leads = [m for m in members if m.role == QualificationRole.LEAD_AUDITOR]
    if len(leads) != 1:
        reasons.append({"code": "lead_auditor_required", "message": "The team needs exactly one lead auditor."})
    else:
        lead = leads[0].auditor
        unqualified = [
            str(s)
            for s in standards
            if not any(
                q.auditor_id == lead.pk and q.standard_id == s.pk and q.role == QualificationRole.LEAD_AUDITOR
                for q in quals
            )
        ]
        if unqualified:
            reasons.append(
                {
                    "code": "lead_auditor_not_qualified",
                    "message": f"{lead} is not qualified as lead auditor for {', '.join(unqualified)}.",
                }
            )
    for auditor in auditors:
        if auditor.certification_body_id != programme.certification_body_id or not auditor.active:
            reasons.append({"code": "auditor_not_registered", "message": f"{auditor} is not on this CB's register."})
    for conflict in ConflictOfInterest.objects.filter(
        auditor__in=auditors, organization_id=programme.organization_id
    ).select_related("auditor__user"):
        until = add_months(conflict.ended_on, settings.cooling_off_months) if conflict.ended_on else None
        if until is None or day <= until:
            when = "is ongoing" if until is None else f"ended {conflict.ended_on}; cooling-off runs to {until}"
            reasons.append(
                {
                    "code": "auditor_in_cooling_off",
                    "message": f"{conflict.auditor} has a conflict of interest with {programme.organization} "
                    f"({conflict.get_kind_display().lower()}, {when}; "
                    f"{settings.cooling_off_months}-month cooling-off).",
                }
            )
    for period in Unavailability.objects.filter(auditor__in=auditors, starts_on__lte=end, ends_on__gte=day):
        reasons.append(
            {
                "code": "auditor_unavailable",
                "message": f"{period.auditor} is unavailable from {period.starts_on} to {period.ends_on}.",
            }
        )
    return {
        "ok": not reasons,
        "checked_on": day.isoformat(),
        "members": [{"auditor": str(m.auditor), "role": m.role} for m in members],
        "reasons": reasons,
        "coverage": coverage,
    }


def audit_team_assign(*, actor: Any, audit: Audit, members: list[Member]) -> Audit:
    """Assign the audit team after the eligibility check. The check's result is stored either way; an
    ineligible team is refused with the reasons (the first reason's code is the error code)."""
    programme = audit.programme
    _require_manager(actor, programme, "assign audit teams")
    if audit.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
        raise Conflict("This audit is closed; its team can no longer change.")
    if len({m.auditor.pk for m in members}) != len(members):
        raise ValidationFailed("An auditor appears twice on the team.")
    result = audit_team_check(audit, members)
    with transaction.atomic():
        audit.eligibility = result
        audit.eligibility_ok = result["ok"]
        if result["ok"]:
            audit.team.all().delete()
            TeamMember.objects.bulk_create(
                TeamMember(audit=audit, auditor=m.auditor, role=m.role, clauses=list(m.clauses)) for m in members
            )
        audit.save(update_fields=["eligibility", "eligibility_ok", "updated_at"])
        _log(actor, "audit.team_assign" if result["ok"] else "audit.team_refused", audit, programme, after=result)
    if not result["ok"]:
        first = result["reasons"][0]
        raise Conflict(
            "The team is not eligible: " + " ".join(r["message"] for r in result["reasons"]),
            code=first["code"],
            fields={"team": [r["message"] for r in result["reasons"]]},
        )
    return audit


@transaction.atomic
def audit_start(*, actor: Any, audit: Audit, on: date | None = None) -> Audit:
    """Start an audit. Needs an eligible team; stage 2 needs stage 1 completed (or a recorded combined audit)."""
    programme = audit.programme
    if not (has_cb_role(actor, programme.certification_body_id, *MANAGERS) or is_lead(actor, audit)):
        raise PermissionDenied("Only the programme manager or the audit's lead auditor can start this audit.")
    if audit.status != AuditStatus.PLANNED:
        raise Conflict(f"This audit is {audit.get_status_display().lower()}; only a planned audit can start.")
    if not audit.eligibility_ok or not audit.team.exists():
        raise Conflict("Assign an eligible audit team before the audit starts.", code="team_not_eligible")
    if audit.kind == AuditKind.STAGE_2 and not programme.combined_stages_justification:
        stage1 = _stage1(programme)
        if stage1 is not None and stage1.status != AuditStatus.COMPLETED:
            raise Conflict(
                "Stage 2 cannot start before stage 1 is completed (ISO/IEC 17021-1 9.3.1); "
                "record a justified combined audit to run them together.",
                code="stage1_not_completed",
            )
    audit.status = AuditStatus.IN_PROGRESS
    audit.started_on = on or timezone.localdate()
    audit.save(update_fields=["status", "started_on", "updated_at"])
    _log(actor, "audit.start", audit, programme, after={"started_on": audit.started_on})
    return audit


@transaction.atomic
def audit_complete(*, actor: Any, audit: Audit, on: date | None = None, summary: str = "") -> Audit:
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
    _log(actor, "audit.complete", audit, programme, after={"completed_on": audit.completed_on})
    return audit
