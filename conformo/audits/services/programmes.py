"""The 3-year audit programme (17021-1 9.1.3): creation from an accepted application, the cycle's dates
from the decision, the next cycle after renewal, combined stages, special audits.

The audits' own services (plan, team, start, complete) are in `conformo.audits.services.audits`;
they are re-exported here for the callers that import them from this module.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from conformo.audits.choices import AuditKind, AuditStatus, SpecialPurpose
from conformo.audits.models import (
    Application,
    ApplicationReview,
    Audit,
    AuditProgramme,
)
from conformo.audits.services.common import ORDER, log_programme, require_manager
from conformo.audits.services.determinations import apply_row
from conformo.audits.services.setup import cb_settings_get
from conformo.core.actors import Actor
from conformo.core.errors import ValidationFailed
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.domain.cycle import add_months, cycle_dates, expiry_date
from conformo.organizations.models import Site

if TYPE_CHECKING:
    from conformo.certification.models import Certification


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


Row = tuple[Decimal, Decimal, Decimal, list[Site]]
"""An audit's days, of which on site and remote, and the sites it visits."""


def _rows(review: ApplicationReview, sites: list[Site]) -> dict[str, Row]:
    """Each audit's days, split and sites from the review's determination; a review made before determinations
    existed gives its quotation's days and samples rotating through the sites."""
    if review.determination is not None:
        by_key = {str(site.public_id): site for site in sites}
        rows: dict[str, Row] = {}
        for row in review.determination.result["audits"]:
            rows[row["audit"]] = (
                Decimal(str(row["days"])),
                Decimal(str(row["onsite_days"])),
                Decimal(str(row["remote_days"])),
                [by_key[key] for key in row["sites"] if key in by_key],
            )
        return rows
    days = {row["audit"]: Decimal(row["days"]) for row in review.quotation}
    sampling = review.sampling or {}
    n_initial = int(sampling.get("initial", len(sites)))
    n_surv = int(sampling.get("surveillance", len(sites)))
    n_recert = int(sampling.get("recertification", len(sites)))
    visits = {
        AuditKind.STAGE_1: sample_sites(sites, 0),
        AuditKind.STAGE_2: sample_sites(sites, n_initial),
        AuditKind.SURVEILLANCE_1: sample_sites(sites, n_surv, n_initial),
        AuditKind.SURVEILLANCE_2: sample_sites(sites, n_surv, n_initial + n_surv),
        AuditKind.RECERTIFICATION: sample_sites(sites, n_recert),
    }
    return {
        kind: (days.get(kind, Decimal(0)), days.get(kind, Decimal(0)), Decimal(0), visit)
        for kind, visit in visits.items()
    }


@transaction.atomic
def programme_create(
    *, actor: Actor, application: Application, review: ApplicationReview, certification: Certification, on: date
) -> AuditProgramme:
    """Create the 3-year programme of an accepted application for its `certification` record (opened by
    conformo.certification's `application_accept`): stage 1, stage 2, surveillance 1 and 2, recertification (or,
    for a transfer, the transfer review and the audits left in the cycle), each with a due date, audit days and
    sites to visit."""
    cb = application.certification_body
    settings = cb_settings_get(cb)
    rules = settings.rule_settings()
    transfer = application.transfer_details if application.is_transfer else None
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
    determination = review.determination
    rows = _rows(review, sites)
    stage1_due = on + timedelta(days=settings.stage1_due_days)
    stage2_due = stage1_due + timedelta(days=settings.stage2_due_days)
    plan: list[tuple[str, date | None]]
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
        rows[AuditKind.TRANSFER_REVIEW] = (Decimal(1), Decimal(1), Decimal(0), sample_sites(sites, 0))
        plan = [(AuditKind.TRANSFER_REVIEW, on + timedelta(days=30))]
        plan += [(kind, due[kind]) for kind in remaining]
    else:
        plan = [
            (AuditKind.STAGE_1, stage1_due),
            (AuditKind.STAGE_2, stage2_due),
            (AuditKind.SURVEILLANCE_1, add_months(stage2_due, settings.surveillance_1_months)),
            (AuditKind.SURVEILLANCE_2, add_months(stage2_due, settings.surveillance_2_months)),
            (AuditKind.RECERTIFICATION, expiry_date(stage2_due, rules)),
        ]
    for kind, due_by in plan:
        days, onsite, remote, visit = rows[kind]
        audit = Audit.objects.create(
            programme=programme,
            kind=kind,
            sequence=ORDER[AuditKind(kind)],
            due_by=due_by,
            days=days,
            onsite_days=onsite,
            remote_days=remote,
        )
        audit.sites.set(visit)
    if determination is not None:
        programme.determination = determination
        programme.save(update_fields=["determination", "updated_at"])
    log_programme(
        actor,
        "programme.create",
        programme,
        programme,
        after={
            "audits": [(str(k), d.isoformat() if d else None, str(rows[k][0])) for k, d in plan],
            "determination": str(determination.public_id) if determination else None,
        },
    )
    return programme


@transaction.atomic
def programme_start_cycle(
    *, actor: Actor, programme: AuditProgramme, decision_date: date, stage2_end: date | None
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
    log_programme(actor, "programme.replan", programme, programme, before=before, after=dates.as_dict())
    return programme


@transaction.atomic
def programme_next_cycle(*, actor: Actor, programme: AuditProgramme, decision_date: date) -> AuditProgramme:
    """After a renewal: the next 3-year programme (surveillance 1, 2, recertification), its days and sites from
    the programme's current determination — the recertification's, made from the data of that time (IAF MD 5
    cl. 5, 6), when the CB recorded one — or, for a programme without one, the previous cycle's. The new expiry
    follows on from the existing one (17021-1 9.6.3.2.3)."""
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
    old = {a.kind: a for a in programme.audits.prefetch_related("sites")}
    determination = programme.determination
    sites = {str(s.public_id): s for s in Site.objects.filter(organization_id=programme.organization_id)}
    for kind, due in (
        (AuditKind.SURVEILLANCE_1, dates.surveillance_1_due),
        (AuditKind.SURVEILLANCE_2, dates.surveillance_2_due),
        (AuditKind.RECERTIFICATION, dates.recertification_due),
    ):
        audit = Audit.objects.create(programme=new, kind=kind, sequence=ORDER[kind], due_by=due)
        row = determination.audit_row(kind) if determination is not None else None
        previous = old.get(kind)
        if row is not None:
            apply_row(audit, row, sites)
        elif previous is not None:
            audit.days = audit.onsite_days = previous.days
            audit.save(update_fields=["days", "onsite_days", "updated_at"])
            audit.sites.set(previous.sites.all())
    if determination is not None:
        new.determination = determination
        new.save(update_fields=["determination", "updated_at"])
    log_programme(actor, "programme.create", new, new, after={"cycle": new.cycle, **dates.as_dict()})
    return new


@transaction.atomic
def programme_retire_open_audits(*, actor: Actor, certification: Certification, reason: str) -> list[Audit]:
    """When a certification ends by decision (withdrawn 9.6.5.4, refused 9.5.1.2): cancel the audits of its
    programmes that had not taken place or were under way, each with an audit-log entry, so that no list shows
    them as due. Called by the decision service in the decision's transaction."""
    require_cb_role(
        actor, certification.certification_body_id, "decision_maker", *MANAGERS, action="retire a programme's audits"
    )
    retired = list(
        Audit.objects.filter(
            programme__certification=certification, status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS]
        ).select_related("programme")
    )
    for audit in retired:
        before = audit.status
        audit.status = AuditStatus.CANCELLED
        audit.save(update_fields=["status", "updated_at"])
        log_programme(
            actor,
            "audit.retire",
            audit,
            audit.programme,
            before={"status": before},
            after={"status": AuditStatus.CANCELLED.value, "reason": reason},
        )
    return retired


@transaction.atomic
def programme_record_combined_audit(*, actor: Actor, programme: AuditProgramme, justification: str) -> AuditProgramme:
    """Record the justification for running stage 1 and stage 2 as one combined audit."""
    require_manager(actor, programme, "record a combined stage 1 and stage 2 audit")
    if len(justification.strip()) < 10:
        raise ValidationFailed("Explain why stage 1 and stage 2 are combined.", fields={"justification": ["Required."]})
    programme.combined_stages_justification = justification.strip()
    programme.save(update_fields=["combined_stages_justification", "updated_at"])
    log_programme(actor, "programme.combine_stages", programme, programme, after={"justification": justification})
    return programme


@transaction.atomic
def special_audit_create(
    *, actor: Actor, programme: AuditProgramme, purpose: str, due_by: date | None, days: Decimal, notes: str = ""
) -> Audit:
    """Add a special audit: extension of scope (9.6.4.1) or short notice (9.6.4.2)."""
    require_manager(actor, programme, "add special audits")
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
    log_programme(actor, "audit.create", audit, programme, after={"purpose": purpose, "days": str(days)})
    return audit


# Re-exports: the audits' services and the shared helpers, importable from here as before the split.
from conformo.audits.services.audits import (  # noqa: E402
    Member,
    audit_complete,
    audit_plan,
    audit_start,
    audit_team_assign,
    audit_team_check,
)
from conformo.audits.services.common import SURVEILLANCE_KINDS, is_lead, on_team  # noqa: E402

_require_manager = require_manager
_log = log_programme

__all__ = [
    "ORDER",
    "SURVEILLANCE_KINDS",
    "Member",
    "audit_complete",
    "audit_plan",
    "audit_start",
    "audit_team_assign",
    "audit_team_check",
    "is_lead",
    "log_programme",
    "on_team",
    "programme_create",
    "programme_next_cycle",
    "programme_record_combined_audit",
    "programme_retire_open_audits",
    "programme_start_cycle",
    "require_manager",
    "sample_sites",
    "special_audit_create",
]
