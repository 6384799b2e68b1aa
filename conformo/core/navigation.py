"""Navigation by role: each entry names the URL and the roles that see it (empty = everyone signed in)."""

from __future__ import annotations

from dataclasses import dataclass

from conformo.accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = frozenset()
    public: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem("Dashboard", "core:dashboard"),
    NavItem("Organizations", "organizations:list", frozenset({r.value for r in Role})),
    NavItem("Standards", "standards:list", public=True),
    NavItem("Calculators", "tools:calculator", public=True),
    NavItem("Audit log", "core:audit-log", frozenset({Role.CB_ADMIN.value, Role.CLIENT_ADMIN.value})),
]
