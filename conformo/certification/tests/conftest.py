from __future__ import annotations

from datetime import date

import pytest
import time_machine

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import (  # noqa: F401
    acme_sites,
    audit_of,
    issue_report,
    programme,
    ready,
    stage1_done,
    team,
)
from conformo.certification.services import decision_take


@pytest.fixture
def granted(stage1_done, ready, programme_manager, decision_maker):  # noqa: F811
    """Acme certified on 2026-04-10 (stage 2 on 2026-03-02, no findings, its report issued recommending grant)."""
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
        issue_report(stage2, ready.lead.user)
    with time_machine.travel(date(2026, 4, 10), tick=False):
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    certification = stage1_done.certification
    certification.refresh_from_db()
    return certification
