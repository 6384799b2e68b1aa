"""A risk's ratings and their acceptance: re-rating, the residual rating after treatment and the risk owner's
acceptance of it (ISO/IEC 27001 6.1.2 d–e, 6.1.3 f; the same register serves 9001/14001/45001 6.1)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.domain.readiness import ReadinessInputError
from conformo.organizations.tenancy import is_member, require_manage, require_read
from conformo.readiness.models import Risk
from conformo.readiness.services.programme import risk_matrix_for


def _level(risk: Risk, likelihood: int, impact: int) -> str:
    try:
        return risk_matrix_for(risk.organization).level(likelihood, impact)
    except ReadinessInputError as exc:
        raise ValidationFailed(str(exc), fields={"likelihood": [str(exc)], "impact": [str(exc)]}) from exc


def _acceptance(risk: Risk) -> dict[str, object]:
    return {"accepted_by": risk.accepted_by_id, "accepted_at": risk.accepted_at}


def _locked(risk: Risk) -> Risk:
    return Risk.objects.select_related("organization").select_for_update().get(pk=risk.pk)


@transaction.atomic
def risk_rerate(*, actor: Actor, risk: Risk, likelihood: int, impact: int) -> Risk:
    """Rate the risk again (before treatment) on the organization's matrix. A changed rating withdraws the
    owner's acceptance, which must then be given again. Audit-logged."""
    require_manage(actor, risk.organization_id, "risk")
    risk = _locked(risk)
    level = _level(risk, likelihood, impact)
    before = {"likelihood": risk.likelihood, "impact": risk.impact, "level": risk.level, **_acceptance(risk)}
    risk.likelihood, risk.impact, risk.level = likelihood, impact, level
    risk.accepted_by, risk.accepted_at = None, None
    risk.save(update_fields=["likelihood", "impact", "level", "accepted_by", "accepted_at", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.risk.rerate",
        obj=risk,
        before=before,
        after={"likelihood": likelihood, "impact": impact, "level": level, **_acceptance(risk)},
        organization_id=risk.organization_id,
    )
    return risk


@transaction.atomic
def risk_rate_residual(*, actor: Actor, risk: Risk, likelihood: int, impact: int) -> Risk:
    """Record the rating left after treatment (the residual risk) on the organization's matrix. A changed
    residual rating withdraws the owner's acceptance. Audit-logged."""
    require_manage(actor, risk.organization_id, "risk")
    risk = _locked(risk)
    level = _level(risk, likelihood, impact)
    before = {
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "residual_level": risk.residual_level,
        **_acceptance(risk),
    }
    risk.residual_likelihood, risk.residual_impact, risk.residual_level = likelihood, impact, level
    risk.accepted_by, risk.accepted_at = None, None
    risk.save(
        update_fields=[
            "residual_likelihood",
            "residual_impact",
            "residual_level",
            "accepted_by",
            "accepted_at",
            "updated_at",
        ]
    )
    audit_log_record(
        actor=actor,
        action="readiness.risk.residual",
        obj=risk,
        before=before,
        after={"residual_likelihood": likelihood, "residual_impact": impact, "residual_level": level},
        organization_id=risk.organization_id,
    )
    return risk


def may_accept(user: object, risk: Risk) -> bool:
    """Only the risk's owner, while a member of the organization, accepts its residual risk (27001 6.1.3 f)."""
    return bool(
        risk.owner_id is not None
        and risk.owner_id == getattr(user, "pk", None)
        and is_member(user, risk.organization_id)
    )


@transaction.atomic
def risk_accept(*, actor: Actor, risk: Risk) -> Risk:
    """The risk owner accepts the residual risk as rated; who and when are kept and audit-logged."""
    require_read(actor, risk.organization_id, "risk")
    risk = _locked(risk)
    if not may_accept(actor, risk):
        owner = f" ({risk.owner})" if risk.owner_id else "; name an owner first"
        raise PermissionDenied(f"Only the risk's owner{owner} can accept its residual risk.")
    if risk.residual_likelihood is None or risk.residual_impact is None:
        raise Conflict("Rate the residual risk before accepting it.")
    if risk.accepted_at is not None:
        raise Conflict("The residual risk is already accepted as rated.")
    risk.accepted_by, risk.accepted_at = acting_user(actor), timezone.now()
    risk.save(update_fields=["accepted_by", "accepted_at", "updated_at"])
    audit_log_record(
        actor=actor,
        action="readiness.risk.accept",
        obj=risk,
        after={
            "residual_likelihood": risk.residual_likelihood,
            "residual_impact": risk.residual_impact,
            "residual_level": risk.residual_level,
            **_acceptance(risk),
        },
        organization_id=risk.organization_id,
    )
    return risk
