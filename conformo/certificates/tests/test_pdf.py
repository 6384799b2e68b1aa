from __future__ import annotations

import io
from typing import Any

import pytest
from weasyprint import HTML

from conformo.certificates.models import Certificate
from conformo.certificates.pdf import STATIC, certificate_html, certificate_pdf, qr_svg, verify_url
from conformo.certificates.services import certificate_set_confidential
from conformo.conftest import login

pytestmark = pytest.mark.django_db


def test_the_pdf_is_a_pdf_titled_with_the_number(granted: Certificate) -> None:
    data = certificate_pdf(granted)
    assert data.startswith(b"%PDF-")
    document = HTML(string=certificate_html(granted), base_url=str(STATIC)).render()
    assert document.metadata.title == "Certificate NBC-2026-00001"
    assert "NBC-2026-00001" in (document.metadata.keywords or [""])[0] or "NBC-2026-00001" in str(
        document.metadata.keywords
    )
    assert len(document.pages) == 2  # the certificate and the site annex


def test_the_certificate_shows_the_17021_contents_and_a_site_annex(granted: Certificate) -> None:
    html = certificate_html(granted)
    for text in (
        "NBC-2026-00001",
        "Acme Precision Parts",
        "ISO 9001:2015",
        "ISO 14001:2015",
        "Machining of precision parts",
        "2026-03-02",
        "2029-03-01",
        "Northbridge Certification",
        "UKAS 0042",
        "Annex — sites covered",
        "Stuttgart plant",
        "Leipzig warehouse",
        "data:image/svg+xml;base64,",
    ):
        assert text in html, text
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://registry.example.test/verify/NBC-2026-00001" in html


def test_the_qr_code_points_at_the_verify_page(granted: Certificate) -> None:
    url = verify_url(granted.number)
    assert url == "https://registry.example.test/verify/NBC-2026-00001"
    assert qr_svg(url) in certificate_html(granted)
    assert qr_svg(url).startswith("<svg")


def test_the_public_holder_and_cb_may_download_a_public_certificate(
    granted: Certificate, client: Any, client_member: Any, cb_admin: Any
) -> None:
    for browser in (client, login(client_member), login(cb_admin)):
        response = browser.get("/certificates/NBC-2026-00001/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_a_confidential_certificate_is_for_the_holder_and_the_cb_only(
    granted: Certificate, client: Any, client_member: Any, cb_admin: Any, other_cb_admin: Any, other_client_admin: Any
) -> None:
    certificate_set_confidential(actor=cb_admin, certificate=granted, confidential=True)
    assert client.get("/certificates/NBC-2026-00001/pdf").status_code == 404
    assert login(other_cb_admin).get("/certificates/NBC-2026-00001/pdf").status_code == 404
    assert login(other_client_admin).get("/certificates/NBC-2026-00001/pdf").status_code == 404
    assert login(client_member).get("/certificates/NBC-2026-00001/pdf").status_code == 200
    assert login(cb_admin).get("/api/v1/certificates/NBC-2026-00001/pdf").status_code == 200


def test_the_pdf_cli_writes_the_file(granted: Certificate, tmp_path: Any) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    target = tmp_path / "c.pdf"
    call_command("certificate", "pdf", "NBC-2026-00001", "-o", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF")
    assert "NBC-2026-00001" in out.getvalue()
