"""A technical expert is a CB role with an auditor's reach: only the audits they are on the team of."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit
from conformo.audits.tests.conftest import audit_of, team
from conformo.conftest import _member, login
from conformo.core.roles import Role
from conformo.core.tenancy import reach
from conformo.organizations.models import Organization


def _expert(cb: Any) -> Any:
    return _member(Role.TECHNICAL_EXPERT, "expert@northbridge.test", certification_body=cb)


def test_a_technical_expert_sees_no_client_until_put_on_an_audit_team(
    programme: Any, ready: Any, cb_admin: Any, programme_manager: Any, bluewater: Any
) -> None:
    expert = _expert(ready.cb)
    assert reach(expert).auditor_cbs == frozenset({ready.cb.pk})
    assert reach(expert).cb_wide == frozenset()
    assert not Organization.objects.visible_to(expert).exists()
    assert not Audit.objects.visible_to(expert).exists()

    registered = services.auditor_register(actor=cb_admin, certification_body=ready.cb, user=expert)
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    with time_machine.travel(date(2026, 2, 2), tick=False):
        services.audit_team_assign(
            actor=programme_manager,
            audit=stage1,
            members=[*team(ready), services.Member(registered, "technical_expert")],
        )
    expert = type(expert).objects.get(pk=expert.pk)  # a fresh user object: reach is read again
    assert list(Organization.objects.visible_to(expert)) == [programme.organization]
    assert list(Audit.objects.visible_to(expert)) == [stage1]


def test_a_technical_experts_dashboard_counts_the_organizations_assigned(cb: Any) -> None:
    page = login(_expert(cb)).get("/dashboard/").content.decode()
    assert "Technical expert" in page
    assert "Organizations you are assigned to" in page
    assert "Clients" not in page


def test_the_technical_expert_sees_the_cb_pages_of_its_staff(cb: Any) -> None:
    client = login(_expert(cb))
    page = client.get("/dashboard/").content.decode()
    for url in ("/cb/schedule/", "/cb/auditors/"):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200, url
