"""Roles of a membership (DESIGN.md, Users and roles): the vocabulary every app shares."""

from django.db import models


class Role(models.TextChoices):
    CB_ADMIN = "cb_admin", "CB administrator"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    AUDITOR = "auditor", "Auditor"
    DECISION_MAKER = "decision_maker", "Decision maker"
    CLIENT_ADMIN = "client_admin", "Client administrator"
    CLIENT_MEMBER = "client_member", "Client member"


CB_ROLES = frozenset({Role.CB_ADMIN, Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.DECISION_MAKER})
CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_MEMBER})
# CB roles that see every client of their CB (auditors see only what they are assigned to).
CB_WIDE_ROLES = frozenset({Role.CB_ADMIN, Role.PROGRAMME_MANAGER, Role.DECISION_MAKER})
