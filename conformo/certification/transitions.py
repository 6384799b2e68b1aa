"""The CB's transition policy, saved with its effect on the certificates: the policy is the CB workflow's
(`audits.TransitionPolicy`), the end each old-edition certificate reads against is the certificates' copy
(`certificates.transitions`). This layer sees both, so the page, the API and the CLI save through here, in one
transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from conformo.audits.models import TransitionPolicy
from conformo.audits.services.transitions import transition_policy_set
from conformo.certificates.transitions import certificate_transition_refresh
from conformo.core.actors import Actor
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
