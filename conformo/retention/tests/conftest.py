"""Retention tests reuse the CB workflow's fixtures (Acme's programme, an open minor at stage 2)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from conformo.audits.services import complaint_advance, complaint_assign, complaint_receive
from conformo.audits.tests.conftest import acme_sites, open_minor, programme, ready, stage1_done  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def closed_complaint(cb: Any, staff: Any, handler: Any, closed_on: date, organization: Any = None) -> Any:
    """A complaint received and closed on `closed_on` through the services (complainant Jane Roe)."""
    with time_machine.travel(closed_on, tick=False):
        complaint = complaint_receive(
            actor=staff,
            certification_body=cb,
            complainant="Jane Roe, jane@example.test",
            subject="The auditor was rude",
            description="Jane Roe's account of the audit",
            organization=organization,
        )
        complaint_assign(actor=staff, complaint=complaint, handler=handler)
        for status in ("investigating", "resolved", "closed"):
            complaint_advance(actor=handler, complaint=complaint, status=status, outcome="Apology sent to Jane Roe")
    return complaint
