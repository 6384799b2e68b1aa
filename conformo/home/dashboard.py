"""The dashboard's reads: one section per role the user holds, with the figures of the apps that own them
(clients and staff from organizations, overdue items and documents due from readiness)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformo.core.roles import AUDIT_TEAM_ROLES
from conformo.organizations.models import Organization
from conformo.readiness.selectors import attention_for


@dataclass
class DashboardSection:
    role: str
    role_label: str
    tenant: Any
    facts: list[tuple[str, Any]] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    #: Client roles: overdue improvement items and documents due for review (conformo.readiness).
    attention: Any = None


def dashboard_for(user: Any) -> list[DashboardSection]:
    """One section per membership, with the figures that role works from."""
    sections: list[DashboardSection] = []
    memberships = user.memberships.select_related("certification_body", "organization").order_by("role")
    visible = Organization.objects.visible_to(user)
    for membership in memberships:
        section = DashboardSection(
            role=membership.role, role_label=membership.get_role_display(), tenant=membership.tenant
        )
        if membership.certification_body_id:
            clients = visible.filter(client_relationships__certification_body_id=membership.certification_body_id)
            if membership.role in AUDIT_TEAM_ROLES:
                section.facts.append(("Organizations you are assigned to", clients.count()))
            else:
                section.facts.append(("Clients", clients.count()))
                section.facts.append(("Staff", membership.certification_body.memberships.count()))
            section.organizations = list(clients.order_by("legal_name")[:10])
        else:
            org = membership.organization
            section.facts.append(("Sites", org.sites.count()))
            section.facts.append(("Members", org.memberships.count()))
            section.attention = attention_for(user=user, organization=org)
        sections.append(section)
    return sections
