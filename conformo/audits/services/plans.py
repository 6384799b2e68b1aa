"""The audit plan (ISO/IEC 17021-1 9.2.3): drafted and issued by the CB, versioned, accepted by the client or
objected to (a team member, with a reason; 17021-1 9.2.2/9.2.3 [?]); an open objection blocks the audit's start
until the CB resolves it (`audit_start`, code `plan_objection_open`)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits import notices
from conformo.audits.choices import AuditStatus, ObjectionResolution, ObjectionStatus, PlanStatus
from conformo.audits.models import Audit, Auditor, AuditPlan, PlanObjection
from conformo.audits.services.common import is_lead, log_programme, require_manager
from conformo.core.actors import Actor, acting_user
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import MANAGERS, has_cb_role, has_org_role

TEXT_FIELDS = ("objectives", "scope", "criteria", "language", "remote_use")
TIMETABLE_KEYS = ("day", "start", "end", "auditor", "site", "remote", "activity")
LABELS = {
    "objectives": "objectives",
    "scope": "scope",
    "criteria": "criteria",
    "language": "language",
    "remote_use": "use of remote (ICT) auditing",
    "timetable": "timetable",
    "dates": "dates",
    "days": "audit days",
    "sites": "sites",
    "team": "team",
}


def _require_planner(actor: Actor, audit: Audit, action: str) -> None:
    if not (has_cb_role(actor, audit.programme.certification_body_id, *MANAGERS) or is_lead(actor, audit)):
        raise PermissionDenied(f"Only the programme manager or the audit's lead auditor can {action}.")


def _require_client(actor: Actor, audit: Audit, action: str) -> None:
    if not has_org_role(actor, audit.programme.organization_id, Role.CLIENT_ADMIN.value):
        raise PermissionDenied(f"Only the client's administrator can {action}.")


def _require_open(audit: Audit) -> None:
    if audit.status != AuditStatus.PLANNED:
        raise Conflict(
            f"This audit is {audit.get_status_display().lower()}; its plan can change only before it starts.",
            code="audit_not_planned",
        )


def plan_current(audit: Audit) -> AuditPlan | None:
    """The issued version the client holds now (None before the first issue)."""
    return audit.plans.filter(status=PlanStatus.ISSUED).first()


def plan_draft_of(audit: Audit) -> AuditPlan | None:
    return audit.plans.filter(status=PlanStatus.DRAFT).first()


def open_objections(audit: Audit) -> Any:
    return PlanObjection.objects.filter(plan__audit=audit, status=ObjectionStatus.OPEN)


def clean_timetable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of day × time × auditor × site × activity, as stored: ISO dates and times, text; each row checked
    (a bad row is a field error naming its number, never a server error)."""
    cleaned: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        try:
            day = date.fromisoformat(str(row["day"]))
            start, end = time.fromisoformat(str(row["start"])), time.fromisoformat(str(row["end"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed(
                f"Timetable row {number}: give the day (YYYY-MM-DD), the start and end (HH:MM).",
                fields={"timetable": [f"Row {number}: day, start and end are required."]},
            ) from exc
        if end <= start:
            raise ValidationFailed(
                f"Timetable row {number} ends before it starts.",
                fields={"timetable": [f"Row {number}: end after start."]},
            )
        activity = str(row.get("activity") or "").strip()
        if not activity:
            raise ValidationFailed(
                f"Timetable row {number}: say which processes or clauses are audited.",
                fields={"timetable": [f"Row {number}: the activity is required."]},
            )
        cleaned.append(
            {
                "day": day.isoformat(),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "auditor": str(row.get("auditor") or "").strip()[:200],
                "site": str(row.get("site") or "").strip()[:200],
                "remote": bool(row.get("remote", False)),
                "activity": activity[:1000],
            }
        )
    return sorted(cleaned, key=lambda r: (r["day"], r["start"]))


@transaction.atomic
def plan_draft(*, actor: Actor, audit: Audit) -> AuditPlan:
    """Open the first version of the audit plan as a draft, filled from the programme: its scope, the
    standards as criteria, the objectives of the audit's kind."""
    _require_planner(actor, audit, "draft the audit plan")
    _require_open(audit)
    if audit.plans.exists():
        raise Conflict("This audit already has a plan; edit it instead.", code="plan_exists")
    programme = audit.programme
    standards = ", ".join(s.designation for s in programme.standards.order_by("code"))
    plan = AuditPlan.objects.create(
        audit=audit,
        version=1,
        objectives=(
            f"Determine the conformity of the management system with {standards} and its effectiveness "
            f"({audit.get_kind_display().lower()}, ISO/IEC 17021-1 9.2.1)."
        ),
        scope=programme.scope,
        criteria=f"{standards}; the client's management-system documentation.",
    )
    log_programme(actor, "audit_plan.draft", plan, programme, after={"version": 1})
    return plan


@transaction.atomic
def plan_update(
    *, actor: Actor, audit: Audit, timetable: list[dict[str, Any]] | None = None, **values: Any
) -> AuditPlan:
    """Edit the plan: the draft in place, or — after an issue — a new draft version copied from the issued one
    (the issued version stays with the client until the new one is issued)."""
    _require_planner(actor, audit, "edit the audit plan")
    _require_open(audit)
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown plan fields: {', '.join(sorted(unknown))}.")
    for name in ("objectives", "scope", "criteria", "language"):
        if name in values and not str(values[name] or "").strip():
            raise ValidationFailed(f"The plan needs its {LABELS[name]}.", fields={name: ["Required."]})
    plan = plan_draft_of(audit)
    if plan is None:
        issued = plan_current(audit)
        if issued is None:
            raise Conflict("Draft the audit plan first.", code="plan_missing")
        plan = AuditPlan.objects.create(
            audit=audit,
            version=issued.version + 1,
            timetable=issued.timetable,
            **{name: getattr(issued, name) for name in TEXT_FIELDS},
        )
    before = {name: getattr(plan, name) for name in TEXT_FIELDS}
    for name, value in values.items():
        setattr(plan, name, str(value or "").strip())
    if timetable is not None:
        plan.timetable = clean_timetable(timetable)
    plan.save()
    log_programme(
        actor,
        "audit_plan.update",
        plan,
        audit.programme,
        before=before,
        after={"version": plan.version, **{name: getattr(plan, name) for name in TEXT_FIELDS}},
    )
    return plan


def plan_facts(audit: Audit) -> dict[str, Any]:
    """What the plan states of the audit itself, frozen at issue: dates, days, sites, team."""
    return {
        "dates": [
            audit.planned_start.isoformat() if audit.planned_start else None,
            audit.planned_end.isoformat() if audit.planned_end else None,
        ],
        "days": {
            "total": f"{audit.days:.1f}",
            "onsite": f"{audit.onsite_days:.1f}",
            "remote": f"{audit.remote_days:.1f}",
        },
        "sites": sorted(s.name for s in audit.sites.all()),
        "team": [
            {"auditor_id": str(m.auditor.public_id), "name": str(m.auditor), "role": m.get_role_display()}
            for m in audit.team.select_related("auditor__user")
        ],
    }


def _timetable_strangers(plan: AuditPlan, audit: Audit) -> list[int]:
    """The timetable rows (numbered from 1) naming an auditor who is not on the audit's team (by name or
    e-mail address)."""
    known: set[str] = set()
    for member in audit.team.select_related("auditor__user"):
        known |= {str(member.auditor).casefold(), member.auditor.user.email.casefold()}
    return [
        n for n, row in enumerate(plan.timetable, start=1) if row["auditor"] and row["auditor"].casefold() not in known
    ]


def _changes(previous: AuditPlan, plan: AuditPlan) -> list[str]:
    changed = [LABELS[name] for name in (*TEXT_FIELDS, "timetable") if getattr(previous, name) != getattr(plan, name)]
    changed += [
        LABELS[key] for key in ("dates", "days", "sites", "team") if previous.facts.get(key) != plan.facts.get(key)
    ]
    return changed


@transaction.atomic
def plan_issue(*, actor: Actor, audit: Audit, change_note: str = "") -> AuditPlan:
    """Issue the draft to the client: its dates, days, sites and team are frozen with it. A later version
    supersedes the issued one and says what changed (the note, and the list of changed parts)."""
    _require_planner(actor, audit, "issue the audit plan")
    _require_open(audit)
    plan = plan_draft_of(audit)
    if plan is None:
        raise Conflict("There is no draft of the audit plan to issue.", code="plan_no_draft")
    if audit.planned_start is None or not audit.team.exists():
        raise Conflict(
            "Plan the audit's dates and assign its team before issuing the plan (ISO/IEC 17021-1 9.2.3).",
            code="plan_incomplete",
        )
    strangers = _timetable_strangers(plan, audit)
    if strangers:
        raise Conflict(
            f"Timetable row(s) {', '.join(map(str, strangers))} name an auditor who is not on the audit's team; "
            "name a team member (or leave the auditor empty).",
            code="timetable_auditor_not_on_team",
            fields={"timetable": ["Name a member of the team."]},
        )
    plan.facts = plan_facts(audit)
    previous = plan_current(audit)
    if previous is not None:
        plan.changes = _changes(previous, plan)
        if not plan.changes:
            raise Conflict("Nothing changed since the issued version.", code="plan_unchanged")
        if not change_note.strip():
            raise ValidationFailed(
                "Say why the plan changes after its issue.", fields={"change_note": ["Required for a new version."]}
            )
        previous.status = PlanStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    plan.status = PlanStatus.ISSUED
    plan.change_note = change_note.strip()
    plan.issued_at = timezone.now()
    plan.issued_by = acting_user(actor)
    plan.save()
    log_programme(
        actor, "audit_plan.issue", plan, audit.programme, after={"version": plan.version, "changes": plan.changes}
    )
    notices.plan_issued(actor=actor, plan=plan)
    return plan


def _issued_for_client(actor: Actor, audit: Audit, action: str) -> AuditPlan:
    _require_client(actor, audit, action)
    _require_open(audit)
    plan = plan_current(audit)
    if plan is None:
        raise Conflict("No audit plan has been issued yet.", code="plan_not_issued")
    return plan


@transaction.atomic
def plan_accept(*, actor: Actor, audit: Audit) -> AuditPlan:
    """The client accepts the issued version of the plan."""
    plan = _issued_for_client(actor, audit, "accept the audit plan")
    if plan.accepted_at is not None:
        raise Conflict(f"Version {plan.version} of the plan is already accepted.", code="plan_already_accepted")
    if plan.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise Conflict("An objection to this version is still open.", code="plan_objection_open")
    plan.accepted_at = timezone.now()
    plan.accepted_by = acting_user(actor)
    plan.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    log_programme(actor, "audit_plan.accept", plan, audit.programme, after={"version": plan.version})
    return plan


@transaction.atomic
def plan_object(*, actor: Actor, audit: Audit, auditor: Auditor, reason: str) -> PlanObjection:
    """The client objects to a member of the team named in the issued plan, with a reason (17021-1 9.2.2/9.2.3:
    the client is told the team in time to object). The audit cannot start until the CB resolves it."""
    plan = _issued_for_client(actor, audit, "object to an audit team member")
    if str(auditor.public_id) not in {m["auditor_id"] for m in plan.facts.get("team", [])}:
        raise ValidationFailed(
            "That person is not on the team of the issued plan.", fields={"auditor": ["Not on the team."]}
        )
    if not reason.strip():
        raise ValidationFailed("Give the reason for the objection.", fields={"reason": ["Required."]})
    if plan.objections.filter(auditor=auditor, status=ObjectionStatus.OPEN).exists():
        raise Conflict(f"An objection to {auditor} is already open.", code="objection_exists")
    objection = PlanObjection.objects.create(
        plan=plan, auditor=auditor, reason=reason.strip(), raised_by=acting_user(actor)
    )
    log_programme(
        actor,
        "audit_plan.object",
        objection,
        audit.programme,
        after={"version": plan.version, "auditor": str(auditor), "reason": objection.reason},
    )
    return objection


@transaction.atomic
def objection_resolve(*, actor: Actor, objection: PlanObjection, resolution: str, note: str = "") -> PlanObjection:
    """The CB resolves a client's objection: the member replaced (no longer on the audit's team) or kept, with
    the reason recorded (17021-1 9.2.2/9.2.3)."""
    audit = objection.plan.audit
    require_manager(actor, audit.programme, "resolve an objection to a team member")
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict("This objection is already resolved.", code="objection_resolved")
    if resolution not in ObjectionResolution.values:
        raise ValidationFailed("Choose: replaced, or kept.", fields={"resolution": ["replaced or kept."]})
    if resolution == ObjectionResolution.REPLACED and audit.team.filter(auditor=objection.auditor).exists():
        raise Conflict(
            f"{objection.auditor} is still on the team: assign the new team first, then record the replacement.",
            code="objection_member_still_on_team",
        )
    if resolution == ObjectionResolution.KEPT and not note.strip():
        raise ValidationFailed(
            "Record why the member stays on the team despite the objection.", fields={"note": ["Required."]}
        )
    objection.status = ObjectionStatus.RESOLVED
    objection.resolution = resolution
    objection.resolution_note = note.strip()
    objection.resolved_at = timezone.now()
    objection.resolved_by = acting_user(actor)
    objection.save()
    log_programme(
        actor,
        "audit_plan.objection_resolve",
        objection,
        audit.programme,
        after={"resolution": resolution, "note": objection.resolution_note},
    )
    return objection
