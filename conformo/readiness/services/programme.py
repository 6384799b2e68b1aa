"""Internal audits (9.2), management reviews (9.3), the risk register (6.1) and the SoA (27001 6.1.3 d)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.domain.readiness import ReadinessInputError, RiskMatrix, management_review_inputs
from conformo.organizations.models import Organization
from conformo.organizations.tenancy import require_manage
from conformo.readiness.choices import InternalAuditStatus, ReviewStatus, RiskKind, Treatment, TreatmentStatus
from conformo.readiness.models import (
    Assessment,
    InternalAudit,
    ManagementReview,
    ReviewAction,
    Risk,
    RiskMatrixConfig,
    SoAVersion,
)
from conformo.standards.clause_refs import clause_ref
from conformo.standards.models import Clause, Standard


@transaction.atomic
def internal_audit_plan(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    planned_on: date,
    clauses: Sequence[Clause],
    auditor: str = "",
) -> InternalAudit:
    """Plan an internal audit covering `clauses` (a clause covers its sub-clauses)."""
    require_manage(actor, organization.pk, "organization")
    if not title.strip():
        raise ValidationFailed("Give the audit a title.", fields={"title": ["Required."]})
    if not clauses:
        raise ValidationFailed("Choose the clauses this audit covers.", fields={"clauses": ["Choose at least one."]})
    audit = InternalAudit.objects.create(
        organization=organization, title=title.strip(), planned_on=planned_on, auditor=auditor.strip()
    )
    audit.clauses.set(clauses)
    audit_log_record(
        actor=actor,
        action="readiness.internal_audit.plan",
        obj=audit,
        after={"planned_on": planned_on, "clauses": len(clauses)},
        organization_id=organization.pk,
    )
    return audit


@transaction.atomic
def internal_audit_complete(
    *, actor: Actor, audit: InternalAudit, completed_on: date, summary: str = ""
) -> InternalAudit:
    """Record that a planned audit took place; its clauses then count as covered."""
    require_manage(actor, audit.organization_id, "internal audit")
    if audit.status != InternalAuditStatus.PLANNED:
        raise Conflict("Only a planned audit can be completed.")
    audit.status = InternalAuditStatus.COMPLETED
    audit.completed_on = completed_on
    audit.summary = summary
    audit.save(update_fields=["status", "completed_on", "summary", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.internal_audit.complete",
        obj=audit,
        before={"status": InternalAuditStatus.PLANNED},
        after={"status": audit.status, "completed_on": completed_on},
        organization_id=audit.organization_id,
    )
    return audit


@transaction.atomic
def management_review_create(
    *, actor: Actor, organization: Organization, title: str, standards: Sequence[Standard], held_on: date | None = None
) -> ManagementReview:
    """Plan (or record) a management review for the given standards."""
    require_manage(actor, organization.pk, "organization")
    if not standards:
        raise ValidationFailed("Choose the standards the review covers.", fields={"standards": ["Required."]})
    review = ManagementReview.objects.create(organization=organization, title=title.strip() or "Management review")
    review.standards.set(standards)
    audit_log_record(
        actor=actor,
        action="readiness.management_review.create",
        obj=review,
        after={"standards": [s.code for s in standards]},
        organization_id=organization.pk,
    )
    return review


@transaction.atomic
def management_review_record(
    *,
    actor: Actor,
    review: ManagementReview,
    inputs: Mapping[str, str],
    held_on: date | None = None,
    attendees: str | None = None,
    decisions: str | None = None,
) -> ManagementReview:
    """Record what was reviewed for each required input; with `held_on` the review counts as held."""
    require_manage(actor, review.organization_id, "management review")
    known = {i.key for i in management_review_inputs(s.code for s in review.standards.all())}
    unknown = sorted(set(inputs) - known)
    if unknown:
        raise ValidationFailed("Unknown review input.", fields={"inputs": [f"Unknown: {', '.join(unknown)}."]})
    before = {"inputs": dict(review.inputs), "held_on": review.held_on, "status": review.status}
    review.inputs = {**review.inputs, **{k: v.strip() for k, v in inputs.items()}}
    if held_on is not None:
        review.held_on = held_on
        review.status = ReviewStatus.HELD
    if attendees is not None:
        review.attendees = attendees
    if decisions is not None:
        review.decisions = decisions
    review.save()
    audit_log_record(
        actor=actor,
        action="readiness.management_review.record",
        obj=review,
        before=before,
        after={"inputs": review.inputs, "held_on": review.held_on, "status": review.status},
        organization_id=review.organization_id,
    )
    return review


@transaction.atomic
def review_action_add(
    *, actor: Actor, review: ManagementReview, description: str, owner: Any = None, due_date: date | None = None
) -> ReviewAction:
    """Record an action decided at the review, with its owner and due date."""
    require_manage(actor, review.organization_id, "management review")
    if not description.strip():
        raise ValidationFailed("Describe the action.", fields={"description": ["Required."]})
    action = ReviewAction.objects.create(review=review, description=description.strip(), owner=owner, due_date=due_date)
    audit_log_record(
        actor=actor,
        action="readiness.review_action.add",
        obj=action,
        after={"description": action.description, "due_date": due_date},
        organization_id=review.organization_id,
    )
    return action


def risk_matrix_for(organization: Organization) -> RiskMatrix:
    config = RiskMatrixConfig.objects.filter(organization=organization).first()
    if config is None:
        return RiskMatrix()
    return RiskMatrix(config.likelihood_levels, config.impact_levels, config.low_max, config.medium_max)


@transaction.atomic
def risk_matrix_configure(
    *,
    actor: Actor,
    organization: Organization,
    likelihood_levels: int,
    impact_levels: int,
    low_max: int,
    medium_max: int,
) -> RiskMatrixConfig:
    """Set the organization's likelihood × impact matrix; every risk's level is recomputed."""
    require_manage(actor, organization.pk, "organization")
    try:
        matrix = RiskMatrix(likelihood_levels, impact_levels, low_max, medium_max)
    except ReadinessInputError as exc:
        raise ValidationFailed(str(exc)) from exc
    risks = list(Risk.objects.filter(organization=organization))
    if any(
        max(r.likelihood, r.residual_likelihood or 0) > likelihood_levels
        or max(r.impact, r.residual_impact or 0) > impact_levels
        for r in risks
    ):
        raise ValidationFailed("Some risks are rated beyond the new matrix; re-rate them first.")
    config, _ = RiskMatrixConfig.objects.update_or_create(
        organization=organization,
        defaults={
            "likelihood_levels": likelihood_levels,
            "impact_levels": impact_levels,
            "low_max": low_max,
            "medium_max": medium_max,
        },
    )
    for risk in risks:
        risk.level = matrix.level(risk.likelihood, risk.impact)
        if risk.residual_likelihood is not None and risk.residual_impact is not None:
            risk.residual_level = matrix.level(risk.residual_likelihood, risk.residual_impact)
    Risk.objects.bulk_update(risks, ["level", "residual_level"])
    audit_log_record(
        actor=actor,
        action="readiness.risk_matrix.configure",
        obj=config,
        after={
            "likelihood_levels": likelihood_levels,
            "impact_levels": impact_levels,
            "low_max": low_max,
            "medium_max": medium_max,
        },
        organization_id=organization.pk,
    )
    return config


@transaction.atomic
def risk_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    likelihood: int,
    impact: int,
    kind: str = RiskKind.RISK,
    description: str = "",
    owner: Any = None,
    treatment: str = Treatment.REDUCE,
    treatment_plan: str = "",
    treatment_status: str = TreatmentStatus.NOT_STARTED,
    clauses: Sequence[Clause] = (),
) -> Risk:
    """Add a risk, opportunity, environmental aspect or OH&S hazard, rated on the organization's matrix."""
    require_manage(actor, organization.pk, "organization")
    if not title.strip():
        raise ValidationFailed("Give the entry a title.", fields={"title": ["Required."]})
    for value, choices, name in (
        (kind, RiskKind, "kind"),
        (treatment, Treatment, "treatment"),
        (treatment_status, TreatmentStatus, "treatment_status"),
    ):
        if value not in choices.values:
            raise ValidationFailed(f"Unknown {name}.", fields={name: [f"Use one of: {', '.join(choices.values)}."]})
    try:
        level = risk_matrix_for(organization).level(likelihood, impact)
    except ReadinessInputError as exc:
        raise ValidationFailed(str(exc)) from exc
    risk = Risk.objects.create(
        organization=organization,
        kind=kind,
        title=title.strip(),
        description=description,
        likelihood=likelihood,
        impact=impact,
        level=level,
        owner=owner,
        treatment=treatment,
        treatment_plan=treatment_plan,
        treatment_status=treatment_status,
    )
    if clauses:
        risk.clauses.set(clauses)
    audit_log_record(
        actor=actor,
        action="readiness.risk.create",
        obj=risk,
        after={"kind": kind, "likelihood": likelihood, "impact": impact, "level": level},
        organization_id=organization.pk,
    )
    return risk


_UNSET: Any = object()


def _check_choice(value: str, choices: Any, name: str, errors: dict[str, list[str]]) -> None:
    if value not in choices.values:
        errors[name] = [f"Use one of: {', '.join(choices.values)}."]


@transaction.atomic
def risk_update(
    *,
    actor: Actor,
    risk: Risk,
    treatment: str | None = None,
    treatment_status: str | None = None,
    treatment_plan: str | None = None,
    owner: Any = _UNSET,
    clauses: Sequence[Clause] | None = None,
) -> Risk:
    """Change a risk's treatment, its status (not started → in progress → done), the plan, the owner and
    the clauses or controls it is linked to. Only what is given changes; audit-logged."""
    require_manage(actor, risk.organization_id, "risk")
    errors: dict[str, list[str]] = {}
    if treatment is not None:
        _check_choice(treatment, Treatment, "treatment", errors)
    if treatment_status is not None:
        _check_choice(treatment_status, TreatmentStatus, "treatment_status", errors)
    if (
        owner is not _UNSET
        and owner is not None
        and not owner.memberships.filter(organization_id=risk.organization_id).exists()
    ):
        errors["owner"] = ["The owner must be a member of the organization."]
    if errors:
        raise ValidationFailed("The risk update is not valid.", fields=errors)
    before: dict[str, Any] = {
        "treatment": risk.treatment,
        "treatment_status": risk.treatment_status,
        "treatment_plan": risk.treatment_plan,
        "owner": risk.owner_id,
    }
    if treatment is not None:
        risk.treatment = treatment
    if treatment_status is not None:
        risk.treatment_status = treatment_status
    if treatment_plan is not None:
        risk.treatment_plan = treatment_plan.strip()
    if owner is not _UNSET:
        risk.owner = owner
    risk.save(update_fields=["treatment", "treatment_status", "treatment_plan", "owner", "updated_at"])
    after: dict[str, Any] = {
        "treatment": risk.treatment,
        "treatment_status": risk.treatment_status,
        "treatment_plan": risk.treatment_plan,
        "owner": risk.owner_id,
    }
    if clauses is not None:
        clauses = list(dict.fromkeys(clauses))
        if any(c.standard.is_harmonized_structure for c in clauses):
            raise ValidationFailed(
                "Link clauses or controls of a certifiable standard.",
                fields={"clauses": ["The Harmonized Structure itself cannot be linked."]},
            )
        before["clauses"] = sorted(_clause_label(c) for c in risk.clauses.select_related("standard"))
        risk.clauses.set(clauses)
        after["clauses"] = sorted(_clause_label(c) for c in clauses)
    audit_log_record(
        actor=actor,
        action="readiness.risk.update",
        obj=risk,
        before=before,
        after=after,
        organization_id=risk.organization_id,
    )
    return risk


def _clause_label(clause: Clause) -> str:
    return clause_ref(clause)


def risk_update_treatment(
    *, actor: Actor, risk: Risk, treatment_status: str, treatment_plan: str | None = None
) -> Risk:
    """Move a risk's treatment along (not started → in progress → done)."""
    return risk_update(actor=actor, risk=risk, treatment_status=treatment_status, treatment_plan=treatment_plan)


@transaction.atomic
def review_action_complete(*, actor: Actor, action: ReviewAction, done: bool = True) -> ReviewAction:
    """Mark an action of a management review done (or not done again). Audit-logged."""
    organization_id = action.review.organization_id
    require_manage(actor, organization_id, "review action")
    if action.done == done:
        raise Conflict("This action is already marked done." if done else "This action is not marked done.")
    action.done = done
    action.save(update_fields=["done", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.review_action.done" if done else "readiness.review_action.reopen",
        obj=action,
        before={"done": not done},
        after={"done": done},
        organization_id=organization_id,
    )
    return action


@transaction.atomic
def soa_publish(*, actor: Actor, assessment: Assessment, standard: Standard, note: str = "") -> SoAVersion:
    """Freeze the Statement of Applicability as a new numbered version. Every control needs a
    justification for its inclusion or exclusion."""
    from conformo.readiness.soa import soa_rows

    require_manage(actor, assessment.organization_id, "assessment")
    rows = soa_rows(assessment=assessment, standard=standard)
    if not rows:
        raise ValidationFailed("This assessment has no annex controls for that standard.")
    missing = [r["ref"] for r in rows if not r["justification"]]
    if missing:
        shown = ", ".join(f"A.{ref}" for ref in missing[:10]) + (" …" if len(missing) > 10 else "")
        raise ValidationFailed(
            f"{len(missing)} controls have no justification for their inclusion or exclusion: {shown}.",
            fields={"justification": [shown]},
        )
    last = SoAVersion.objects.filter(assessment=assessment, standard=standard).order_by("-number").first()
    version = SoAVersion.objects.create(
        assessment=assessment,
        standard=standard,
        number=(last.number + 1) if last else 1,
        rows=rows,
        note=note[:300],
        published_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="readiness.soa.publish",
        obj=version,
        after={"number": version.number, "controls": len(rows)},
        organization_id=assessment.organization_id,
    )
    return version
