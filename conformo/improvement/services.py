"""Writes of the improvement log: raise a nonconformity, plan and complete its corrective action, check
effectiveness. Client administrators write; members and sharing CBs read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.improvement.choices import Grade, NonconformityStatus, Source
from conformo.improvement.models import CorrectiveAction, CorrectiveActionRevision, EffectivenessCheck, Nonconformity
from conformo.organizations.models import Organization
from conformo.organizations.tenancy import require_manage
from conformo.standards.models import Clause


@transaction.atomic
def nonconformity_raise(
    *,
    actor: Actor,
    organization: Organization,
    source: str,
    grade: str,
    title: str,
    description: str = "",
    clauses: Sequence[Clause] = (),
    site: Any = None,
    raised_on: date | None = None,
    internal_audit: Any = None,
) -> Nonconformity:
    """Log a nonconformity from an internal audit, a complaint or an incident (CB findings stay in the
    audits app and are shown alongside)."""
    require_manage(actor, organization.pk, "organization")
    errors: dict[str, list[str]] = {}
    if source not in Source.values or source == Source.CB_FINDING:
        errors["source"] = ["Use internal_audit, complaint or incident (CB findings are raised by the CB)."]
    if grade not in Grade.values:
        errors["grade"] = [f"Use one of: {', '.join(Grade.values)}."]
    if not title.strip():
        errors["title"] = ["Required."]
    if site is not None and site.organization_id != organization.pk:
        errors["site"] = ["The site belongs to another organization."]
    if internal_audit is not None and internal_audit.organization_id != organization.pk:
        errors["internal_audit"] = ["The audit belongs to another organization."]
    if errors:
        raise ValidationFailed("The nonconformity is not valid.", fields=errors)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    last = Nonconformity.objects.filter(organization=organization).aggregate(m=Max("number"))["m"] or 0
    nc = Nonconformity.objects.create(
        organization=organization,
        number=last + 1,
        source=source,
        grade=grade,
        title=title.strip(),
        description=description,
        site=site,
        raised_by=acting_user(actor),
        raised_on=raised_on or timezone.localdate(),
        internal_audit=internal_audit,
    )
    if clauses:
        nc.clauses.set(clauses)
    audit_log_record(
        actor=actor,
        action="improvement.nonconformity.raise",
        obj=nc,
        after={"source": source, "grade": grade, "title": nc.title},
        organization_id=organization.pk,
    )
    return nc


@transaction.atomic
def corrective_action_set(
    *,
    actor: Actor,
    nonconformity: Nonconformity,
    root_cause: str,
    action: str,
    due_date: date,
    correction: str = "",
    owner: Any = None,
) -> CorrectiveAction:
    """Record (or revise) the correction, root cause and corrective action with owner and due date. Every call
    appends a numbered `CorrectiveActionRevision`, so earlier root causes and actions stay on record."""
    require_manage(actor, nonconformity.organization_id, "nonconformity")
    if nonconformity.status == NonconformityStatus.CLOSED:
        raise Conflict("This nonconformity is closed.")
    errors = {k: ["Required."] for k, v in (("root_cause", root_cause), ("action", action)) if not v.strip()}
    if owner is not None and not owner.memberships.filter(organization_id=nonconformity.organization_id).exists():
        errors["owner"] = ["The owner must be a member of the organization."]
    if errors:
        raise ValidationFailed("The corrective action is not complete.", fields=errors)
    existing = CorrectiveAction.objects.filter(nonconformity=nonconformity).first()
    before = (
        {"root_cause": existing.root_cause, "action": existing.action, "due_date": existing.due_date}
        if existing
        else None
    )
    ca, _ = CorrectiveAction.objects.update_or_create(
        nonconformity=nonconformity,
        defaults={
            "correction": correction,
            "root_cause": root_cause.strip(),
            "action": action.strip(),
            "due_date": due_date,
            "owner": owner,
            "completed_on": None,
        },
    )
    Nonconformity.objects.select_for_update().filter(pk=nonconformity.pk).first()
    last = nonconformity.corrective_action_revisions.aggregate(m=Max("number"))["m"] or 0
    revision = CorrectiveActionRevision.objects.create(
        nonconformity=nonconformity,
        number=last + 1,
        correction=ca.correction,
        root_cause=ca.root_cause,
        action=ca.action,
        owner=owner,
        due_date=due_date,
        recorded_by=acting_user(actor),
    )
    nonconformity.status = NonconformityStatus.ACTION_PLANNED
    nonconformity.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="improvement.corrective_action.set",
        obj=nonconformity,
        before=before,
        after={
            "root_cause": ca.root_cause,
            "action": ca.action,
            "due_date": due_date,
            "owner": getattr(owner, "pk", None),
            "revision": revision.number,
        },
        organization_id=nonconformity.organization_id,
    )
    return ca


@transaction.atomic
def corrective_action_complete(*, actor: Actor, nonconformity: Nonconformity, completed_on: date) -> CorrectiveAction:
    """Mark the corrective action done; the nonconformity then awaits its effectiveness check."""
    require_manage(actor, nonconformity.organization_id, "nonconformity")
    ca = CorrectiveAction.objects.filter(nonconformity=nonconformity).first()
    if ca is None or nonconformity.status != NonconformityStatus.ACTION_PLANNED:
        raise Conflict("Plan a corrective action before completing it.")
    ca.completed_on = completed_on
    ca.save(update_fields=["completed_on", "updated_at"])
    nonconformity.status = NonconformityStatus.AWAITING_EFFECTIVENESS
    nonconformity.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="improvement.corrective_action.complete",
        obj=nonconformity,
        before={"status": NonconformityStatus.ACTION_PLANNED},
        after={"status": nonconformity.status, "completed_on": completed_on},
        organization_id=nonconformity.organization_id,
    )
    return ca


@transaction.atomic
def effectiveness_check_record(
    *, actor: Actor, nonconformity: Nonconformity, effective: bool, notes: str = "", checked_on: date | None = None
) -> EffectivenessCheck:
    """Record whether the corrective action worked (10.2.1 d). Effective closes the nonconformity; not
    effective sends it back to corrective-action planning. Audit-logged."""
    require_manage(actor, nonconformity.organization_id, "nonconformity")
    if nonconformity.status != NonconformityStatus.AWAITING_EFFECTIVENESS:
        raise Conflict("Complete the corrective action before checking its effectiveness.")
    if not effective and not notes.strip():
        raise ValidationFailed(
            "Say why the action was not effective.", fields={"notes": ["Required when not effective."]}
        )
    checked_on = checked_on or timezone.localdate()
    check = EffectivenessCheck.objects.create(
        nonconformity=nonconformity,
        checked_by=acting_user(actor),
        checked_on=checked_on,
        effective=effective,
        notes=notes,
    )
    before = {"status": nonconformity.status}
    if effective:
        nonconformity.status = NonconformityStatus.CLOSED
        nonconformity.closed_on = checked_on
    else:
        nonconformity.status = NonconformityStatus.OPEN
    nonconformity.save(update_fields=["status", "closed_on", "updated_at"])
    audit_log_record(
        actor=actor,
        action="improvement.effectiveness.check",
        obj=nonconformity,
        before=before,
        after={"status": nonconformity.status, "effective": effective, "notes": notes},
        organization_id=nonconformity.organization_id,
    )
    return check
