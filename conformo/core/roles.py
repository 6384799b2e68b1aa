"""Roles of a membership (DESIGN.md, Users and roles): the vocabulary every app shares."""

from django.db import models


class Role(models.TextChoices):
    CB_ADMIN = "cb_admin", "CB administrator"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    AUDITOR = "auditor", "Auditor"
    TECHNICAL_EXPERT = "technical_expert", "Technical expert"
    DECISION_MAKER = "decision_maker", "Decision maker"
    CLIENT_ADMIN = "client_admin", "Client administrator"
    CLIENT_MEMBER = "client_member", "Client member"


CB_ROLES = frozenset({Role.CB_ADMIN, Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.TECHNICAL_EXPERT, Role.DECISION_MAKER})
CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_MEMBER})
# CB roles that see every client of their CB.
CB_WIDE_ROLES = frozenset({Role.CB_ADMIN, Role.PROGRAMME_MANAGER, Role.DECISION_MAKER})
# CB roles that see only the audits they are on the team of (and those audits' clients). Lead auditor is a
# qualification (conformo.audits), not a role: a lead auditor holds the auditor role.
AUDIT_TEAM_ROLES = frozenset({Role.AUDITOR, Role.TECHNICAL_EXPERT})
# The role that administers each kind of tenant: a tenant must keep at least one.
ADMIN_ROLES = frozenset({Role.CB_ADMIN, Role.CLIENT_ADMIN})
