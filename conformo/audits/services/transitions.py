"""Edition transitions on the CB's side (reference/cb-rules.md §8c): the CB's policy per transition, the
transition audit (its own kind, or a surveillance / recertification combined with it) and its time, the
move of a programme to the new edition after the decision, and the clients still on an old edition.

The rules are `conformo.domain.transitions`; the standard-level transition is `standards.Transition`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.models import Audit, AuditProgramme, CBSettings, ScopeLine, TransitionPolicy
from conformo.audits.services.common import ORDER, log_programme, require_manager
from conformo.audits.services.setup import cb_settings_get
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.tenancy import require_cb_role
from conformo.domain.errors import InvalidInput
from conformo.domain.transitions import (
    DEFAULT_RISK_DAYS,
    TransitionAudit,
    at_risk_reason,
    days_left,
    transition_audit_days,
)
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Transition

if TYPE_CHECKING:
    from conformo.certification.models import Certification

POLICY_FIELDS = (
    "ends_on",
    "ends_on_basis",
    "extra_percent",
    "extra_days",
    "combine_with_surveillance",
    "combine_with_recertification",
)
COMBINABLE = {
    AuditKind.SURVEILLANCE_1: "combine_with_surveillance",
    AuditKind.SURVEILLANCE_2: "combine_with_surveillance",
    AuditKind.RECERTIFICATION: "combine_with_recertification",
}


def transition_policy_for(certification_body: CertificationBody | int, transition: Transition) -> TransitionPolicy:
    """The CB's policy for `transition`; an unsaved one with the documented defaults when it has none."""
    cb_id = certification_body if isinstance(certification_body, int) else certification_body.pk
    found = TransitionPolicy.objects.filter(certification_body_id=cb_id, transition=transition).first()
    return found or TransitionPolicy(certification_body_id=cb_id, transition=transition)


@transaction.atomic
def transition_policy_set(
    *, actor: Actor, certification_body: CertificationBody, transition: Transition, **values: Any
) -> TransitionPolicy:
    """Record the CB's policy for a transition (CB administrators): its end (the CB's or its accreditation
    body's decision; empty: the standard-level end), the extra time of a transition audit, and whether it may
    be combined with a surveillance or a recertification audit. The caller refreshes the ends its certificates
    carry (conformo.certification.transitions.transition_policy_save does both)."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="set the transition policy")
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    ends_on = values.get("ends_on")
    if ends_on is not None and ends_on < transition.published_on:
        raise ValidationFailed(
            f"The transition cannot end before {transition.new_standard.designation} was published "
            f"({transition.published_on.isoformat()}).",
            fields={"ends_on": [f"On or after {transition.published_on.isoformat()}."]},
        )
    try:
        transition_audit_days(
            Decimal(1),
            extra_percent=Decimal(values.get("extra_percent", 0)),
            extra_days=Decimal(values.get("extra_days", 0)),
        )
    except InvalidInput as exc:
        field = "extra_days" if Decimal(values.get("extra_days", 0)) else "extra_percent"
        raise ValidationFailed(
            f"{exc.message[:1].upper()}{exc.message[1:]}.", fields={field: ["Out of range."]}
        ) from exc
    policy = transition_policy_for(certification_body, transition)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS} if policy.pk else None
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    audit_log_record(
        actor=actor,
        action="transition_policy.set",
        obj=policy,
        before=before,
        after={name: getattr(policy, name) for name in POLICY_FIELDS},
        certification_body_id=certification_body.pk,
    )
    return policy


def transitions_of(programme: AuditProgramme) -> list[Transition]:
    """The transitions away from the editions the programme certifies."""
    return list(
        Transition.objects.filter(old_standard__in=programme.standards.all()).select_related(
            "old_standard", "new_standard"
        )
    )


def _base_row(programme: AuditProgramme) -> tuple[Decimal, list[Any]]:
    """A separate transition audit's base time and sites: a surveillance audit's, from the programme's
    audit-time determination (IAF MD 5 cl. 5: about a third of the initial time), else from its surveillance
    audit as planned."""
    determination = programme.determination
    row = determination.audit_row(AuditKind.SURVEILLANCE_1) if determination is not None else None
    if row is not None:
        keys = set(row["sites"])
        sites = [site for site in programme.organization.sites.all() if str(site.public_id) in keys]
        return Decimal(str(row["days"])), sites
    surveillance = programme.audits.filter(kind__in=[AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2]).first()
    if surveillance is not None:
        return surveillance.days, list(surveillance.sites.all())
    return Decimal(0), []


@transaction.atomic
def transition_audit_add(
    *, actor: Actor, programme: AuditProgramme, transition: Transition, combine_with: Audit | None = None
) -> Audit:
    """Plan the client's transition to the new edition: a transition audit of its own (due by the transition
    end; time = a surveillance's base time + the policy's extra), or the policy permitting, the programme's
    planned surveillance or recertification audit combined with it (its time + the extra)."""
    require_manager(actor, programme, "plan a transition audit")
    if not programme.active:
        raise Conflict("This programme's cycle is over; plan the transition on the current programme.")
    if not programme.standards.filter(pk=transition.old_standard_id).exists():
        raise ValidationFailed(
            f"This programme does not certify {transition.old_standard.designation}.",
            fields={"transition": ["Not an edition of this programme."]},
        )
    if programme.audits.filter(transition=transition).exclude(status=AuditStatus.CANCELLED).exists():
        raise Conflict("A transition audit for this edition is already in the programme.", code="transition_planned")
    policy = transition_policy_for(programme.certification_body_id, transition)
    end = policy.effective_end()
    ties = cb_settings_get(programme.certification_body).rule_settings().half_day_ties
    if combine_with is not None:
        if combine_with.programme_id != programme.pk or combine_with.status != AuditStatus.PLANNED:
            raise ValidationFailed(
                "Combine with a planned audit of this programme.", fields={"combine_with": ["Not combinable."]}
            )
        allowed = COMBINABLE.get(AuditKind(combine_with.kind))
        if allowed is None or not getattr(policy, allowed):
            raise ValidationFailed(
                f"The CB's transition policy does not combine a transition audit with a "
                f"{combine_with.get_kind_display().lower()}.",
                fields={"combine_with": ["Not allowed by the transition policy."]},
            )
        before = {"days": combine_with.days, "due_by": combine_with.due_by}
        days = transition_audit_days(
            combine_with.days, extra_percent=policy.extra_percent, extra_days=policy.extra_days, ties=ties
        )
        combine_with.onsite_days += days - combine_with.days
        combine_with.days = days
        combine_with.transition = transition
        if combine_with.due_by is None or combine_with.due_by > end:
            combine_with.due_by = end
        combine_with.save(update_fields=["days", "onsite_days", "transition", "due_by", "updated_at"])
        log_programme(
            actor,
            "audit.transition_combine",
            combine_with,
            programme,
            before=before,
            after={"days": days, "due_by": combine_with.due_by, "transition": str(transition)},
        )
        return combine_with
    base, sites = _base_row(programme)
    days = transition_audit_days(base, extra_percent=policy.extra_percent, extra_days=policy.extra_days, ties=ties)
    audit = Audit.objects.create(
        programme=programme,
        kind=AuditKind.TRANSITION,
        sequence=ORDER[AuditKind.TRANSITION],
        transition=transition,
        due_by=end,
        days=days,
        onsite_days=days,
    )
    audit.sites.set(sites)
    log_programme(
        actor, "audit.create", audit, programme, after={"kind": AuditKind.TRANSITION.value, "days": days, "due_by": end}
    )
    return audit


def transition_end_check(audit: Audit, planned_end: date) -> None:
    """A transition audit is planned inside its window (by the transition end as the CB applies it)."""
    if audit.transition_id is None or audit.transition is None:
        return
    end = transition_policy_for(audit.programme.certification_body_id, audit.transition).effective_end()
    if planned_end > end:
        raise Conflict(
            f"The transition to {audit.transition.new_standard.designation} ends on {end.isoformat()}; "
            f"the planned end {planned_end.isoformat()} is past it.",
            code="transition_past_end",
        )


@transaction.atomic
def programme_move_edition(*, actor: Actor, certification: Certification, transition: Transition) -> None:
    """After a transition decision: the certification's current programme, its standards and scope lines move
    from the old edition to the new one (the decision service swaps the certification's own standards)."""
    programmes = AuditProgramme.objects.filter(certification=certification, active=True)
    for programme in programmes:
        programme.standards.remove(transition.old_standard)
        programme.standards.add(transition.new_standard)
        log_programme(
            actor,
            "programme.transition",
            programme,
            programme,
            before={"standard": transition.old_standard.code},
            after={"standard": transition.new_standard.code},
        )
    ScopeLine.objects.filter(certification=certification, standard=transition.old_standard).update(
        standard=transition.new_standard
    )


@dataclass(frozen=True)
class ClientTransition:
    """One client still on an old edition, as the programme shows it and My work lists it."""

    programme: AuditProgramme
    transition: Transition
    ends_on: date
    days_left: int
    audit: Audit | None
    risk: str


def clients_in_transition(
    certification_body_ids: list[int], today: date, programme_ids: list[int] | None = None
) -> list[ClientTransition]:
    """Every active programme of these CBs (or only `programme_ids`) certifying an edition that is being
    replaced: the end as each CB applies it, the days left, its transition audit and why it is at risk of
    missing the window ('' if not). A fixed number of queries whatever the number of clients."""
    transitions = list(Transition.objects.select_related("old_standard", "new_standard"))
    if not transitions:
        return []
    found = AuditProgramme.objects.filter(
        certification_body_id__in=certification_body_ids,
        active=True,
        standards__in={t.old_standard_id for t in transitions},
    )
    if programme_ids is not None:
        found = found.filter(pk__in=programme_ids)
    programmes = list(
        found.distinct()
        .exclude(certification__state__in=["withdrawn", "refused", "expired"])
        .select_related("organization", "certification", "certification_body")
        .prefetch_related("standards")
    )
    if not programmes:
        return []
    policies = {
        (p.certification_body_id, p.transition_id): p
        for p in TransitionPolicy.objects.filter(
            certification_body_id__in=certification_body_ids, transition__in=transitions
        )
    }
    risk_days = dict(
        CBSettings.objects.filter(certification_body_id__in=certification_body_ids).values_list(
            "certification_body_id", "transition_risk_days"
        )
    )
    audits: dict[tuple[int, int], Audit] = {}
    for audit in Audit.objects.filter(programme__in=programmes, transition__in=transitions).exclude(
        status=AuditStatus.CANCELLED
    ):
        audits[(audit.programme_id, audit.transition_id or 0)] = audit
    rows: list[ClientTransition] = []
    for programme in programmes:
        held = {s.pk for s in programme.standards.all()}
        for t in transitions:
            if t.old_standard_id not in held:
                continue
            policy = policies.get((programme.certification_body_id, t.pk))
            end = (policy.ends_on if policy is not None and policy.ends_on else None) or t.ends_on
            found_audit = audits.get((programme.pk, t.pk))
            facts = None
            if found_audit is not None:
                facts = TransitionAudit(
                    planned_end=found_audit.planned_end or found_audit.completed_on,
                    completed=found_audit.status == AuditStatus.COMPLETED,
                )
            risk = at_risk_reason(
                facts,
                ends_on=end,
                today=today,
                risk_days=risk_days.get(programme.certification_body_id, DEFAULT_RISK_DAYS),
            )
            rows.append(ClientTransition(programme, t, end, days_left(end, today), found_audit, risk))
    rows.sort(key=lambda r: (r.ends_on, r.programme.organization.legal_name))
    return rows
