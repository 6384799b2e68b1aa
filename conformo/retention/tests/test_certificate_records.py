"""Certificates under records retention (docs/rules.md R7): a superseded revision closes the day it was superseded,
also while its certification runs; the current revision of a running certification is never due; an imported
certificate closes the day it expired."""

from __future__ import annotations

from datetime import date

import pytest

from conformo.certificates.models import Certificate
from conformo.certificates.tests.conftest import (  # noqa: F401 - fixtures
    accredited_cb,
    acme_sites,
    certification,
    ems,
    granted,
    issue,
    qms,
)
from conformo.retention import services
from conformo.retention.records import REMOVED
from conformo.retention.selectors import due_records

pytestmark = pytest.mark.django_db

EXTENDED = date(2026, 9, 1)  # the first revision is superseded; kept until 2032-09-01


def test_a_superseded_revision_is_anonymised_and_the_current_one_stays(
    granted,  # noqa: F811 - a fixture imported above
    certification,  # noqa: F811 - a fixture imported above
    decision_maker,
    cb_admin,
):
    current = issue(
        certification,
        "extend_scope",
        EXTENDED,
        decision_maker,
        scope="Machining and assembly",
        expires_on=date(2041, 3, 1),
    )
    granted.refresh_from_db()
    assert granted.superseded_on == EXTENDED
    cb = certification.certification_body
    assert due_records(cb, date(2032, 9, 1)) == []
    due = due_records(cb, date(2032, 9, 2))
    assert [(d.kind.value, d.record_id) for d in due] == [("certificates", str(granted.public_id))]
    run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 9, 2))
    assert run is not None and run.anonymised == 1  # noqa: PT018 - one run, one record
    granted.refresh_from_db()
    current.refresh_from_db()
    assert (granted.holder_name, granted.number, granted.superseded_on) == (REMOVED, granted.number, EXTENDED)
    assert current.holder_name == certification.organization.legal_name
    assert services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2032, 9, 3)) is None


def test_an_imported_certificate_is_anonymised_six_years_after_it_expired(granted, cb_admin):  # noqa: F811 - fixture
    imported = Certificate.objects.get(pk=granted.pk)
    Certificate.objects.filter(pk=imported.pk).update(certification=None, decision=None, source="imported")
    Certificate.objects.filter(pk=imported.pk).update(expires_on=date(2027, 1, 31))
    cb = imported.certification_body
    assert due_records(cb, date(2033, 1, 31)) == []
    run = services.retention_apply(actor=cb_admin, certification_body=cb, on=date(2033, 2, 1))
    assert run is not None and run.anonymised == 1  # noqa: PT018 - one run, one record
    imported.refresh_from_db()
    assert (imported.holder_name, imported.status) == (REMOVED, "active")  # shown as expired by its date
