from __future__ import annotations

import io
import threading
from datetime import date
from typing import Any

import pytest

from conformo.certificates.models import Certificate
from conformo.certificates.pdf import (
    _renderer,
    certificate_document,
    certificate_html,
    certificate_pdf,
    qr_svg,
    verify_url,
)
from conformo.certificates.services import certificate_set_confidential
from conformo.conftest import login

pytestmark = pytest.mark.django_db


def test_the_pdf_is_a_pdf_titled_with_the_number(granted: Certificate) -> None:
    data = certificate_pdf(granted)
    assert data.startswith(b"%PDF-")
    document = certificate_document(granted)
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


def test_a_standard_recorded_without_its_designation_is_named_in_words_not_by_its_key(granted: Certificate) -> None:
    granted.standards = [{"id": "iso-iec-27001-2022"}]  # as an imported record may hold it; not saved
    html = certificate_html(granted)
    assert "ISO/IEC 27001:2022" in html
    assert "iso-iec-27001-2022" not in html


def test_the_qr_code_points_at_the_verify_page(granted: Certificate) -> None:
    url = verify_url(granted.number)
    assert url == "https://registry.example.test/verify/NBC-2026-00001"
    assert qr_svg(url) in certificate_html(granted)
    assert qr_svg(url).startswith("<svg")


MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels


def extent(document: Any, css_class: str) -> list[tuple[int, float, float]]:
    """(page number, top, bottom) in millimetres of the element with `css_class` on each page it is laid out on."""
    found: dict[int, tuple[float, float]] = {}

    def walk(box: Any, page: int) -> None:
        element = getattr(box, "element", None)
        if element is not None and css_class in (element.get("class") or "").split():
            top, bottom = box.position_y / MM, (box.position_y + box.margin_height()) / MM
            low, high = found.get(page, (top, bottom))
            found[page] = (min(low, top), max(high, bottom))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, number)  # WeasyPrint keeps the laid-out boxes of a page there
    return [(page, top, bottom) for page, (top, bottom) in sorted(found.items())]


def test_the_verification_block_sits_at_the_bottom_of_the_frame_below_the_dates(granted: Certificate) -> None:
    document = certificate_document(granted)
    [(frame_page, _, frame_bottom)] = extent(document, "frame")
    [(dates_page, _, dates_bottom)] = extent(document, "dates")
    [(foot_page, foot_top, foot_bottom)] = extent(document, "foot")
    assert frame_page == dates_page == foot_page == 1
    assert foot_top > dates_bottom
    # where the fixed-height frame (240 mm) put it: 269 mm from the top of the A4 page, above 10 mm of padding
    assert foot_bottom == pytest.approx(269.0, abs=0.01)
    assert frame_bottom - foot_bottom == pytest.approx(10 + 2.5 * 25.4 / 72, abs=0.01)


def test_a_certificate_too_long_for_one_page_moves_the_verification_block_instead_of_covering_the_dates(
    granted: Certificate,
) -> None:
    granted.standards = [{"id": f"std-{i}", "designation": f"ISO {9000 + i}:2015"} for i in range(7)]
    granted.scope = "Design, development, machining and assembly of precision parts " * 6
    document = certificate_document(granted)
    [(dates_page, _, dates_bottom)] = extent(document, "dates")
    [(foot_page, foot_top, _)] = extent(document, "foot")
    assert (foot_page, foot_top) > (dates_page, dates_bottom)


def test_the_renderer_is_built_once_per_thread_and_fetches_inline_data_only(granted: Certificate) -> None:
    certificate_pdf(granted)
    renderer = _renderer()
    assert _renderer() is renderer
    others: list[Any] = []
    thread = threading.Thread(target=lambda: others.append(_renderer()))
    thread.start()
    thread.join()
    assert others[0] is not renderer  # fonts (Pango) are not shared between threads
    assert renderer.fetcher("data:text/plain,ok").read() == b"ok"
    for url in ("file:///etc/hostname", "https://registry.example.test/verify/x"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            renderer.fetcher(url)


def test_each_certificate_gets_its_own_pdf(granted: Certificate) -> None:
    first = certificate_pdf(granted)
    granted.number = "NBC-2026-00002"
    granted.issued_on = date(2026, 4, 1)
    second = certificate_pdf(granted)
    assert first != second
    document = certificate_document(granted)
    assert document.metadata.title == "Certificate NBC-2026-00002"


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
