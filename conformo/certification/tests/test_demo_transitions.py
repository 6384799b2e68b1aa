"""The demo's edition transition: Bluewater's transition audit planned inside the window once the catalog holds a
transition away from ISO 14001:2015."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit
from conformo.audits.services import clients_in_transition
from conformo.audits.tests.factories import StandardFactory
from conformo.certification.demo_transitions import demo_transitions
from conformo.home.demo import demo_load
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard, Transition

pytestmark = pytest.mark.django_db


def test_bluewater_has_its_transition_audit_planned_inside_the_window(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    cb = CertificationBody.objects.filter(programmes__organization__country="NL").distinct().get()
    assert not Audit.objects.filter(kind=AuditKind.TRANSITION).exists()  # no transition in the shipped catalogs
    today = timezone.localdate()
    new = StandardFactory.create(code="iso-14001-2026-example", designation="ISO 14001:2026 (example)")
    transition = Transition.objects.create(
        old_standard=Standard.objects.get(code="iso-14001-2015"),
        new_standard=new,
        published_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=900),
    )
    demo_transitions(cb)
    demo_transitions(cb)  # once only
    audit = Audit.objects.get(kind=AuditKind.TRANSITION)
    assert audit.programme.organization.legal_name == "Bluewater Logistics B.V."
    assert audit.transition == transition
    assert audit.planned_end is not None
    assert today < audit.planned_end <= transition.ends_on
    assert audit.team.count() == 1
    rows = clients_in_transition([cb.pk], today)
    bluewater = [r for r in rows if r.programme.pk == audit.programme_id]
    assert [(r.audit, r.risk) for r in bluewater] == [(audit, "")]
