"""The client's readiness exports (assessment XLSX, SoA XLSX) are for the client and, only while the client shares
its readiness work, its own CB's office (ISO/IEC 17021-1 8.4: client information is confidential). Each test fails
if an export reaches anyone else: another client, another CB, an auditor of the CB on none of its audits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conformo.conftest import login
from conformo.organizations.models import ClientRelationship
from conformo.readiness.services import assessment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_url(client_admin, acme, catalog):
    assessment = assessment_create(actor=client_admin, organization=acme, standards=[catalog["9001"]])
    return reverse("readiness:assessment-export", args=[assessment.public_id, "xlsx"])


def test_the_client_exports_its_assessment(export_url, client_admin, client_member):
    assert login(client_admin).get(export_url).status_code == 200
    assert login(client_member).get(export_url).status_code == 200


def test_nobody_outside_the_client_exports_it_while_it_shares_nothing(
    export_url, cb_admin, auditor, other_cb_admin, other_client_admin, outsider
):
    for user in (cb_admin, auditor, other_cb_admin, other_client_admin, outsider):
        assert login(user).get(export_url).status_code == 404, user


def test_sharing_opens_it_to_its_cbs_office_only(export_url, acme, cb, cb_admin, auditor, other_cb_admin):
    ClientRelationship.objects.filter(certification_body=cb, organization=acme).update(shares_readiness=True)
    assert login(cb_admin).get(export_url).status_code == 200
    assert login(auditor).get(export_url).status_code == 404  # on none of Acme's audits
    assert login(other_cb_admin).get(export_url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(export_url, client):
    response = client.get(export_url)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
