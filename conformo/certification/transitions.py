"""The CB's transition policy, saved with its effect on the certificates: the policy is the CB workflow's
(`audits.TransitionPolicy`), the end each old-edition certificate reads against is the certificates' copy
(`certificates.transitions`). This layer sees both, so the page, the API and the CLI save through here, in one
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from conformo.audits.models import TransitionPolicy
from conformo.audits.services.transitions import ClientTransition, clients_in_transition, transition_policy_set
from conformo.certificates.transitions import certificate_transition_refresh
from conformo.core.actors import Actor
from conformo.core.tenancy import require_cb_role
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Transition


@transaction.atomic
def transition_policy_save(
    *, actor: Actor, certification_body: CertificationBody, transition: Transition, **values: Any
) -> TransitionPolicy:
    """Record the CB's policy for `transition` and bring the transition end its current certificates on the old
    edition carry in line with it (the registry reads it from the certificate row)."""
    policy = transition_policy_set(actor=actor, certification_body=certification_body, transition=transition, **values)
    certificate_transition_refresh(certification_body_id=certification_body.pk)
    return policy


CB_WIDE = ("cb_admin", "programme_manager", "decision_maker")


@dataclass(frozen=True)
class PolicyRow:
    """One transition with the CB's policy (saved, or the defaults) and the end it applies."""

    transition: Transition
    policy: TransitionPolicy
    ends_on: date


def transition_policies(*, actor: Actor, certification_body: CertificationBody) -> list[PolicyRow]:
    """Every edition transition of the catalog with this CB's policy (its staff: administrators, programme
    managers and decision makers). Two queries."""
    require_cb_role(actor, certification_body.pk, *CB_WIDE, action="read the transition policies")
    transitions = list(Transition.objects.select_related("old_standard", "new_standard").order_by("ends_on", "pk"))
    saved = {
        p.transition_id: p
        for p in TransitionPolicy.objects.filter(certification_body=certification_body, transition__in=transitions)
    }
    rows = []
    for t in transitions:
        policy = saved.get(t.pk) or TransitionPolicy(certification_body=certification_body, transition=t)
        rows.append(PolicyRow(t, policy, policy.ends_on or t.ends_on))
    return rows


def transition_clients(*, actor: Actor, certification_body: CertificationBody, today: date) -> list[ClientTransition]:
    """The CB's clients still on an edition being replaced, with the days left and their risk (CB-wide staff)."""
    require_cb_role(actor, certification_body.pk, *CB_WIDE, action="read the clients in transition")
    return clients_in_transition([certification_body.pk], today)
