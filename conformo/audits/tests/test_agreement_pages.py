"""The certification agreement's pages: the CB administrator writes and publishes versions; on the application
page the client accepts and the CB's office records a signed copy; the audit page says why stage 1 cannot start.
Each action is a form with its own URL, shown only to the roles that may take it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conformo.audits.models import Agreement, AgreementTemplate
from conformo.audits.tests.conftest import stage1_of
from conformo.audits.tests.factories import AGREEMENT_TEXTS, published_agreement
from conformo.conftest import login


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_cb_administrator_writes_edits_and_publishes_a_version(ready, cb_admin):
    browser = login(cb_admin)
    created = browser.post(f"{reverse('audits:agreement-template-create')}?cb={ready.cb.public_id}", AGREEMENT_TEXTS)
    template = AgreementTemplate.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("audits:agreement-template-detail", args=[template.public_id])
    edited = browser.post(
        reverse("audits:agreement-template-update", args=[template.public_id]), {**AGREEMENT_TEXTS, "title": "Terms"}
    )
    assert edited.status_code == 302
    browser.post(reverse("audits:agreement-template-publish", args=[template.public_id]))
    template.refresh_from_db()
    assert (template.title, template.status) == ("Terms", "published")
    page = browser.get(reverse("audits:agreement-template-detail", args=[template.public_id])).content.decode()
    assert "Publish version" not in page  # a published version offers no change
    listing = browser.get(reverse("audits:agreement-templates")).content.decode()
    assert "current" in listing
    assert "Write a new version" in listing


def test_a_draft_without_its_texts_comes_back_with_field_errors(ready, cb_admin):
    page = login(cb_admin).post(
        f"{reverse('audits:agreement-template-create')}?cb={ready.cb.public_id}", {"title": "Only a title"}
    )
    assert page.status_code == 422
    assert set(page.context["form"].errors) == {"body", "mark_rules", "suspension_duties"}
    assert "Only a title" in page.content.decode()
    assert not AgreementTemplate.objects.exists()


def test_the_programme_manager_reads_the_versions_but_cannot_write_them(ready, programme_manager):
    template = published_agreement(ready.cb)
    browser = login(programme_manager)
    assert "Write a new version" not in browser.get(reverse("audits:agreement-templates")).content.decode()
    refused = browser.post(
        reverse("audits:agreement-template-update", args=[template.public_id]), {**AGREEMENT_TEXTS, "title": "X"}
    )
    assert refused.status_code == 403


def test_the_text_is_shown_escaped_with_its_line_breaks(ready, cb_admin, unsigned, client_admin):
    from conformo.audits import services

    draft = services.agreement_template_create(
        actor=cb_admin, certification_body=ready.cb, **{**AGREEMENT_TEXTS, "body": "<script>x</script>\nSecond line"}
    )
    services.agreement_template_publish(actor=cb_admin, template=draft)
    page = login(client_admin).get(reverse("audits:application-detail", args=[unsigned.public_id])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;<br>Second line" in page
    assert "<script>x</script>" not in page


def test_the_client_accepts_on_the_application_page_from_its_address(unsigned, client_admin):
    published_agreement(unsigned.certification_body)
    browser = login(client_admin)
    page = browser.get(reverse("audits:application-detail", args=[unsigned.public_id])).content.decode()
    assert "I accept this agreement on behalf of Acme Precision Parts" in page
    assert "Record signed copy" not in page
    url = reverse("audits:agreement-accept", args=[unsigned.public_id])
    unticked = browser.post(url, {"version": "1"})
    assert unticked.status_code == 422
    assert unticked.context["accept_form"].errors["on_behalf"]
    assert not Agreement.objects.exists()
    accepted = browser.post(url, {"version": "1", "on_behalf": "on"}, REMOTE_ADDR="192.0.2.44")
    assert accepted.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.accepted_by, agreement.ip_address, agreement.template.version) == (client_admin, "192.0.2.44", 1)
    page = browser.get(reverse("audits:application-detail", args=[unsigned.public_id])).content.decode()
    assert "Accept the agreement" not in page  # accepted once
    assert "192.0.2.44" in page


def test_the_programme_manager_records_a_signed_copy_and_it_downloads(unsigned, programme_manager):
    published_agreement(unsigned.certification_body)
    browser = login(programme_manager)
    page = browser.get(reverse("audits:application-detail", args=[unsigned.public_id])).content.decode()
    assert "Accept the agreement" not in page
    assert "Record signed copy" in page
    url = reverse("audits:agreement-record", args=[unsigned.public_id])
    wrong = browser.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ"), "signed_on": "2026-01-20", "version": "1"})
    assert wrong.status_code == 422
    assert wrong.context["record_form"].errors["file"]
    bad_date = browser.post(
        url, {"file": SimpleUploadedFile("s.pdf", b"%PDF"), "signed_on": "2026-02-31", "version": "1"}
    )
    assert bad_date.status_code == 422
    assert bad_date.context["record_form"].errors["signed_on"]
    assert not Agreement.objects.exists()
    done = browser.post(
        url, {"file": SimpleUploadedFile("s.pdf", b"%PDF-1"), "signed_on": "2026-01-20", "version": "1"}
    )
    assert done.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.method, agreement.signed_on) == ("signed_paper", date(2026, 1, 20))
    download = browser.get(reverse("audits:agreement-file", args=[unsigned.public_id, agreement.public_id]))
    assert b"".join(download.streaming_content) == b"%PDF-1"  # type: ignore[attr-defined]  # a FileResponse streams


def test_the_audit_page_says_why_stage_1_cannot_start_and_offers_no_start(unsigned, programme_manager):
    published_agreement(unsigned.certification_body)
    stage1 = stage1_of(unsigned)
    browser = login(programme_manager)
    page = browser.get(reverse("audits:audit-detail", args=[stage1.public_id])).content.decode()
    assert "This audit cannot start yet." in page
    assert "Start the audit</button>" not in page
    refused = browser.post(reverse("audits:audit-start", args=[stage1.public_id]), {"confirm": "on"})
    assert refused.status_code == 409
    assert "certification agreement" in refused.content.decode()
    stage1.refresh_from_db()
    assert stage1.status == "planned"


def test_the_client_sees_no_start_button_on_its_audit(unsigned, client_admin):
    from conformo.audits import services

    template = published_agreement(unsigned.certification_body)
    services.agreement_accept(actor=client_admin, application=unsigned, version=template.version)
    page = login(client_admin).get(reverse("audits:audit-detail", args=[stage1_of(unsigned).public_id]))
    assert "Start the audit</button>" not in page.content.decode()
    assert "This audit cannot start yet." not in page.content.decode()
