"""Services act for a user or, said on purpose, for the system; no actor at all is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from conformo.core.actors import SYSTEM, acting_user
from conformo.core.errors import PermissionDenied
from conformo.core.models import AuditLogEntry
from conformo.core.tenancy import has_cb_role, reach
from conformo.organizations.services import certification_body_create

pytestmark = pytest.mark.django_db


def test_a_service_given_no_actor_refuses_instead_of_acting_as_the_system() -> None:
    with pytest.raises(PermissionDenied):
        certification_body_create(actor=None, name="Nobody's CB", country="GB")  # type: ignore[arg-type]


def test_an_anonymous_visitor_is_refused_by_the_same_checks() -> None:
    with pytest.raises(PermissionDenied):
        certification_body_create(actor=AnonymousUser(), name="Anonymous CB", country="GB")
    assert not has_cb_role(AnonymousUser(), 1, "cb_admin")
    assert not has_cb_role(None, 1, "cb_admin")


def test_the_system_actor_may_act_and_its_log_entries_name_no_user() -> None:
    cb = certification_body_create(actor=SYSTEM, name="System CB", country="GB")
    entry = AuditLogEntry.objects.get(object_id=str(cb.pk), action="certification_body.create")
    assert entry.actor is None
    assert reach(SYSTEM).superuser
    assert acting_user(SYSTEM) is None


def test_a_signed_in_user_is_recorded_as_the_one_who_acted(superuser) -> None:
    cb = certification_body_create(actor=superuser, name="Superuser CB", country="GB")
    assert AuditLogEntry.objects.get(object_id=str(cb.pk), action="certification_body.create").actor == superuser
    assert acting_user(superuser) == superuser
