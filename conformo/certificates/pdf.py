"""The certificate as a PDF (WeasyPrint): CB name and mark, accreditation, a QR code to /verify/<number>,
and a site annex for multi-site certificates. No external resources: the mark and QR code are inline, fonts
come from the system (DejaVu), and the URL fetcher reads `data:` URLs only.

Speed (docs/performance.md, bench/pdf.py): each thread keeps what is the same for every certificate — the
fonts (fontconfig and Pango state, loaded once; not thread-safe, hence per thread), the parsed stylesheet
(static/certificates/pdf.css) and the URL fetcher (building WeasyPrint's default one loads the system's CA
certificates, 20–30 ms per PDF). The PDF itself is rendered anew every time."""

from __future__ import annotations

import base64
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string

from conformo.certificates.models import Certificate
from conformo.certificates.scope import scope_groups
from conformo.core.labels import human_label

STATIC = Path(__file__).resolve().parent.parent / "static" / "certificates"
STYLESHEET = STATIC / "pdf.css"


def verify_url(number: str) -> str:
    return f"{settings.BASE_URL}/verify/{quote(number, safe='')}"


@cache
def cb_mark_data_uri() -> str:
    svg = (STATIC / "cb-mark.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M) for `url`: one path, drawn as vectors in the PDF."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=3, border=2, dark="#000", omitsize=True))


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    url = verify_url(certificate.number)
    return {
        "c": certificate,
        # A standard stored without its designation (an imported record) is named as ISO writes it, not by its key.
        "designations": [s.get("designation") or human_label(s["id"]) for s in certificate.standards],
        "verify_url": url,
        "qr_svg": qr_svg(url),
        "mark": cb_mark_data_uri(),
        "multi_site": len(certificate.sites) > 1,
        "superseded": not certificate.is_current,
        "scope_groups": scope_groups(certificate.scope_lines),
    }


def certificate_html(certificate: Certificate) -> str:
    """The certificate's HTML; its layout is the stylesheet `STYLESHEET`, applied by `certificate_document`."""
    return render_to_string("certificates/pdf.html", certificate_context(certificate))


class _Renderer:
    """What every certificate rendered in one thread shares (none of it depends on the certificate)."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        self.fonts = FontConfiguration()
        self.fetcher = URLFetcher(allowed_protocols={"data"})
        self.stylesheet = CSS(filename=str(STYLESHEET), font_config=self.fonts, url_fetcher=self.fetcher)


_local = threading.local()


def _renderer() -> _Renderer:
    renderer: _Renderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def certificate_document(certificate: Certificate) -> Any:
    """The certificate laid out in pages (a `weasyprint.Document`)."""
    from weasyprint import HTML

    renderer = _renderer()
    html = HTML(string=certificate_html(certificate), base_url=str(STATIC), url_fetcher=renderer.fetcher)
    return html.render(font_config=renderer.fonts, stylesheets=[renderer.stylesheet])


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF bytes."""
    return bytes(certificate_document(certificate).write_pdf())
