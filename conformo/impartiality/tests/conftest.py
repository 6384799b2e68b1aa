"""The impartiality tests reuse the CB workflow's fixtures: Acme's programme accepted on 2026-01-05 with the
lead auditor and the auditor qualified for its scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from conformo.audits.tests.conftest import acme_sites, programme, ready  # noqa: F401 - fixtures
from conformo.impartiality import services


@pytest.fixture
def threat(cb: Any, cb_admin: Any) -> Any:
    """A familiarity threat put on the register on 2026-01-10 (first review due 2027-01-10)."""
    with time_machine.travel(date(2026, 1, 10), tick=False):
        return services.threat_create(
            actor=cb_admin,
            certification_body=cb,
            kind="familiarity",
            source="personnel",
            title="Long-standing lead auditor of the same clients",
            likelihood=2,
            severity=2,
            controls="Rotate the lead auditor every cycle.",
            residual_level="low",
        )
