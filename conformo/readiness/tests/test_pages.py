"""The pages, driven like a user would: a fresh organization to a green stage-1 check."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.conftest import login
from conformo.organizations.models import ClientRelationship
from conformo.readiness.models import Assessment, Document, InternalAudit, ManagementReview
from conformo.standards.models import Clause

pytestmark = pytest.mark.django_db


def test_a_client_admin_reaches_a_green_stage1_check_through_the_pages(client_admin, acme, catalog):
    client = login(client_admin)
    org = acme.public_id
    assert client.get(reverse("readiness:home")).status_code == 302
    response = client.post(reverse("readiness:assessment-create", args=[org]), {"standards": [catalog["9001"].pk]})
    assert response.status_code == 302
    assessment = Assessment.objects.get(organization=acme)
    assert client.get(response["Location"]).status_code == 200

    assert client.post(reverse("readiness:documents-prefill", args=[org])).status_code == 302
    for document in Document.objects.filter(organization=acme):
        url = reverse("readiness:document-detail", args=[document.public_id])
        upload = SimpleUploadedFile("doc.pdf", b"%PDF-1.4", content_type="application/pdf")
        create = reverse("readiness:revision-create", args=[document.public_id])
        assert client.post(create, {"file": upload, "change_note": "first"}).status_code == 302
        revision = document.revisions.get()
        for action in ("submit", "approve"):
            assert client.post(reverse(f"readiness:revision-{action}", args=[revision.public_id])).status_code == 302
        assert client.get(url).status_code == 200

    chapters = Clause.objects.filter(standard=catalog["9001"], ref__in=["4", "5", "6", "7", "8", "9", "10"])
    response = client.post(
        reverse("readiness:internal-audit-create", args=[org]),
        {"title": "Full audit", "planned_on": "2026-03-01", "auditor": "J. Doe", "clauses": [c.pk for c in chapters]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    audit = InternalAudit.objects.get(organization=acme)
    response = client.post(
        reverse("readiness:internal-audit-complete", args=[audit.public_id]), {"completed_on": "2026-03-02"}
    )
    assert response.status_code == 302

    client.post(reverse("readiness:review-create", args=[org]), {"title": "MR", "standards": [catalog["9001"].pk]})
    review = ManagementReview.objects.get(organization=acme)
    from conformo.domain.readiness import management_review_inputs

    data = {f"input-{i.key}": "Reviewed" for i in management_review_inputs(["iso-9001-2015"])}
    response = client.post(
        reverse("readiness:review-record", args=[review.public_id]), {**data, "held_on": "2026-03-10"}
    )
    assert response.status_code == 302

    body = client.get(reverse("readiness:dashboard", args=[org])).content.decode()
    assert "Missing</span>" not in body
    assert body.count("Ready</span>") == 4
    assert assessment.items.count() == 10


def test_every_readiness_page_answers_for_readers_and_hides_from_others(
    client_admin, client_member, other_client_admin, cb_admin, acme, catalog
):
    from conformo.improvement.services import nonconformity_raise
    from conformo.readiness.services import (
        assessment_create,
        document_create,
        internal_audit_plan,
        management_review_create,
    )

    assessment = assessment_create(actor=client_admin, organization=acme, standards=list(catalog.values()))
    document = document_create(actor=client_admin, organization=acme, title="Manual")
    clause = Clause.objects.filter(standard=catalog["9001"], ref="4").get()
    audit = internal_audit_plan(
        actor=client_admin, organization=acme, title="A", planned_on=date(2026, 1, 1), clauses=[clause]
    )
    review = management_review_create(actor=client_admin, organization=acme, title="MR", standards=[catalog["9001"]])
    nc = nonconformity_raise(actor=client_admin, organization=acme, source="incident", grade="minor", title="x")
    urls = [
        reverse("readiness:dashboard", args=[acme.public_id]),
        reverse("readiness:assessments", args=[acme.public_id]),
        reverse("readiness:documents", args=[acme.public_id]),
        reverse("readiness:audit-programme", args=[acme.public_id]),
        reverse("readiness:reviews", args=[acme.public_id]),
        reverse("readiness:risks", args=[acme.public_id]),
        reverse("readiness:assessment-detail", args=[assessment.public_id]),
        reverse("readiness:assessment-compare", args=[assessment.public_id]),
        reverse("readiness:soa", args=[assessment.public_id]),
        reverse("readiness:document-detail", args=[document.public_id]),
        reverse("readiness:internal-audit", args=[audit.public_id]),
        reverse("readiness:review-detail", args=[review.public_id]),
        reverse("improvement:log", args=[acme.public_id]),
        reverse("improvement:detail", args=[nc.public_id]),
    ]
    for user in (client_admin, client_member):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url
    for user in (other_client_admin, cb_admin):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    ClientRelationship.objects.filter(organization=acme).update(shares_readiness=True)
    client = login(cb_admin)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Create assessment" not in response.content.decode()
