"""The demo's edition transition, CB side: Bluewater's transition audit to the made-up example edition of
ISO 14001:2026 (loaded by the readiness demo) planned inside the window, on track."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit
from conformo.audits.services import clients_in_transition
from conformo.certification.demo_transitions import demo_transitions
from conformo.home.demo import demo_load
from conformo.organizations.models import CertificationBody

pytestmark = pytest.mark.django_db


def test_bluewater_has_its_transition_audit_planned_inside_the_window(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    cb = CertificationBody.objects.filter(programmes__organization__country="NL").distinct().get()
    demo_transitions(cb)  # a second run adds nothing
    audit = Audit.objects.select_related("transition__old_standard", "transition__new_standard").get(
        kind=AuditKind.TRANSITION
    )
    assert audit.programme.organization.legal_name == "Bluewater Logistics B.V."
    assert audit.transition is not None
    assert (audit.transition.old_standard.code, audit.transition.new_standard.code) == (
        "iso-14001-2015",
        "example-iso-14001-2026",
    )
    today = timezone.localdate()
    assert audit.planned_end is not None
    assert today < audit.planned_end <= audit.transition.ends_on
    assert audit.team.count() == 1
    rows = [r for r in clients_in_transition([cb.pk], today) if r.programme.pk == audit.programme_id]
    assert [(r.audit, r.risk) for r in rows] == [(audit, "")]
