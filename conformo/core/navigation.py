"""Navigation by role: each entry names the URL and the roles that see it (empty = everyone signed in), and
the group it is shown under (empty = the main group, first)."""

from __future__ import annotations

from dataclasses import dataclass

from conformo.core.roles import CB_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = frozenset()
    public: bool = False
    group: str = ""


# The certification body's own registers, shown together under this heading.
CB_GROUP = "Certification body"


NAV_ITEMS: list[NavItem] = [
    NavItem("Dashboard", "home:dashboard"),
    # The base template shows the number of items beside it ("My work (3)"), from conformo.inbox's context processor.
    NavItem("My work", "inbox:home", frozenset({r.value for r in Role})),
    NavItem("Organizations", "organizations:list", frozenset({r.value for r in Role})),
    NavItem("Standards", "standards:list", public=True),
    NavItem("Calculators", "tools:calculator", public=True),
    NavItem("Audit log", "core:audit-log", frozenset({Role.CB_ADMIN.value, Role.CLIENT_ADMIN.value})),
]

NAV_ITEMS.append(NavItem("Readiness", "readiness:home", frozenset({r.value for r in Role})))

_CB_STAFF = frozenset(r.value for r in CB_ROLES)
NAV_ITEMS += [
    NavItem("Certification", "audits:home", frozenset({r.value for r in Role})),
    # The CB's full lists behind the workspace (conformo.audits.views.lists); clients reach theirs from the workspace.
    NavItem("Applications", "audits:applications", _CB_STAFF, group=CB_GROUP),
    NavItem("Programmes", "audits:programmes", _CB_STAFF, group=CB_GROUP),
    NavItem("Audits", "audits:audits", _CB_STAFF, group=CB_GROUP),
    NavItem("Findings", "audits:findings", _CB_STAFF, group=CB_GROUP),
    NavItem("Schedule", "audits:schedule", _CB_STAFF, group=CB_GROUP),
    NavItem("Auditors", "audits:auditors", _CB_STAFF, group=CB_GROUP),
    # Competence records, evaluations and the monitoring plan (conformo.competence); an auditor sees their own.
    NavItem("Competence", "competence:home", _CB_STAFF, group=CB_GROUP),
    NavItem(
        "Complaints",
        "audits:complaints",
        frozenset(
            {Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value, Role.DECISION_MAKER.value, Role.CLIENT_ADMIN.value}
        ),
        group=CB_GROUP,
    ),
    NavItem(
        "Appeals",
        "audits:appeals",
        frozenset(
            {Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value, Role.DECISION_MAKER.value, Role.CLIENT_ADMIN.value}
        ),
        group=CB_GROUP,
    ),
]

# The figures for the accreditation body and the management review (conformo.figures): the CB's office only.
NAV_ITEMS.append(
    NavItem("Figures", "figures:home", frozenset({Role.CB_ADMIN.value, Role.PROGRAMME_MANAGER.value}), group=CB_GROUP)
)

NAV_ITEMS += [
    NavItem("Certificates", "certificates:list", frozenset({r.value for r in Role})),
    NavItem("Registry", "registry:search", public=True),
    # The CB's notices whose e-mail failed (conformo.notifications): its administrator sends them again.
    NavItem("Deliveries", "notifications:deliveries", frozenset({Role.CB_ADMIN.value}), group=CB_GROUP),
]

# Every member sees the members of their CB or organization (conformo.accounts.members).
NAV_ITEMS.append(NavItem("Members", "accounts:members", frozenset({r.value for r in Role})))
