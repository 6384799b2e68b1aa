"""The certificate as a PDF (WeasyPrint): CB name and mark, accreditation, a QR code to /verify/<number>,
and a site annex for multi-site certificates. No external resources: the mark and QR code are inline SVG,
fonts come from the system (DejaVu)."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string

from conformo.certificates.models import Certificate

STATIC = Path(__file__).resolve().parent.parent / "static" / "certificates"


def verify_url(number: str) -> str:
    return f"{settings.BASE_URL}/verify/{quote(number, safe='')}"


@cache
def cb_mark_data_uri() -> str:
    svg = (STATIC / "cb-mark.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M) for `url`."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=3, border=2, dark="#000", omitsize=True))


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    url = verify_url(certificate.number)
    return {
        "c": certificate,
        "designations": [s.get("designation") or s["id"] for s in certificate.standards],
        "verify_url": url,
        "qr_svg": qr_svg(url),
        "mark": cb_mark_data_uri(),
        "multi_site": len(certificate.sites) > 1,
        "superseded": not certificate.is_current,
    }


def certificate_html(certificate: Certificate) -> str:
    return render_to_string("certificates/pdf.html", certificate_context(certificate))


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF bytes."""
    from weasyprint import HTML

    document = HTML(string=certificate_html(certificate), base_url=str(STATIC)).render()
    return bytes(document.write_pdf())
