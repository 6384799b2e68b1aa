"""Which organizations an auditor is assigned to.

Auditors see only what they are assigned to. Until the audits app records audit teams, no auditor is
assigned to anything; the audits app extends `assigned_organization_ids` with its team memberships.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def assigned_organization_ids(user: Any, certification_body_ids: list[int]) -> QuerySet[Any] | list[int]:
    """Ids of organizations where `user` is on an audit team of one of `certification_body_ids`."""
    from django.apps import apps

    if not apps.is_installed("conformo.audits"):
        return []
    model_label = "audits.TeamMember"
    team_member: Any = apps.get_model(model_label)
    return team_member.objects.filter(  # type: ignore[no-any-return]
        auditor__user=user, audit__programme__certification_body_id__in=certification_body_ids
    ).values_list("audit__programme__organization_id", flat=True)
