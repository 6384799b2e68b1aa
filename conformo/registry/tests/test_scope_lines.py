"""The structured scope as issued: the certificate keeps its lines, and its page, its PDF, the verify page and the
registry API show them by standard and site with IAF codes; a certificate without lines reads as one line per
standard for all sites."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conformo.audits.models import ScopeLine
from conformo.certificates.models import Certificate
from conformo.certificates.pdf import certificate_html
from conformo.certificates.tests.conftest import issue
from conformo.certification.models import Certification
from conformo.conftest import login

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certificates"


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "1000/60"


@pytest.fixture
def structured(
    certification: Certification, acme_sites: list[Any], qms: Any, ems: Any, decision_maker: Any
) -> Certificate:
    """Acme's certificate issued from three lines: 9001 at all sites (17, 18), 9001 and 14001 at Leipzig."""
    leipzig = acme_sites[1]
    for position, (standard, site, activity, codes) in enumerate(
        [
            (qms, None, "Machining of precision parts", [17, 18]),
            (qms, leipzig, "Storage and dispatch", [31]),
            (ems, leipzig, "Storage and dispatch", []),
        ]
    ):
        ScopeLine.objects.create(
            certification=certification,
            standard=standard,
            site=site,
            activity=activity,
            sector_codes=codes,
            position=position,
        )
    return issue(certification, "grant", date(2026, 3, 2), decision_maker, expires_on=date(2029, 3, 1))


def test_the_certificate_keeps_the_lines_it_was_issued_with(structured: Certificate) -> None:
    assert [(x["designation"], x["site"], x["activity"], x["iaf_codes"]) for x in structured.scope_lines] == [
        ("ISO 9001:2015", None, "Machining of precision parts", [17, 18]),
        ("ISO 9001:2015", "Leipzig warehouse", "Storage and dispatch", [31]),
        ("ISO 14001:2015", "Leipzig warehouse", "Storage and dispatch", []),
    ]
    assert [(site["name"], site["scope"]) for site in structured.sites] == [
        ("Stuttgart plant", "Machining of precision parts"),
        ("Leipzig warehouse", "Machining of precision parts; Storage and dispatch"),
    ]
    ScopeLine.objects.filter(certification=structured.certification).delete()
    structured.refresh_from_db()
    assert len(structured.scope_lines) == 3


def test_the_registry_api_gives_the_lines_beside_the_unchanged_keys(structured: Certificate, client: Client) -> None:
    record = client.get(f"{API}/{structured.number}").json()
    assert record["scope"] == "Machining of precision parts"
    assert record["scope_lines"] == [
        {"standard": "iso-9001-2015", "site": None, "activity": "Machining of precision parts", "iaf_codes": [17, 18]},
        {
            "standard": "iso-9001-2015",
            "site": "Leipzig warehouse",
            "activity": "Storage and dispatch",
            "iaf_codes": [31],
        },
        {
            "standard": "iso-14001-2015",
            "site": "Leipzig warehouse",
            "activity": "Storage and dispatch",
            "iaf_codes": [],
        },
    ]
    found = client.get(API, {"q": "acme"}).json()["items"][0]
    assert found["scope_lines"] == record["scope_lines"]


def test_a_certificate_without_lines_reads_as_one_line_per_standard(granted: Certificate, client: Client) -> None:
    assert granted.scope_lines == []
    record = client.get(f"{API}/{granted.number}").json()
    assert record["scope_lines"] == [
        {"standard": code, "site": None, "activity": "Machining of precision parts", "iaf_codes": [17]}
        for code in ("iso-14001-2015", "iso-9001-2015")
    ]


def test_the_verify_page_groups_the_lines_by_standard_and_site(structured: Certificate, client: Client) -> None:
    html = client.get(f"/verify/{structured.number}").content.decode()
    table = html[html.index("Scope by standard and site") :]
    assert table.index("ISO 14001:2015") < table.index("ISO 9001:2015")
    assert "<td>All sites</td><td>Machining of precision parts</td><td>17, 18</td>" in table
    assert "Leipzig warehouse" in table


def test_the_certificate_page_and_pdf_show_the_lines(structured: Certificate, cb_admin: Any) -> None:
    page = login(cb_admin).get(f"/certificates/{structured.number}/").content.decode()
    assert "Storage and dispatch" in page
    assert "Scope by standard and site" in page
    html = certificate_html(structured)
    assert f"Annex — scope of certificate {structured.number} by standard and site" in html
    assert "<td>Storage and dispatch</td><td>31</td>" in html


def test_the_pdf_of_a_certificate_without_lines_has_no_scope_annex(granted: Certificate) -> None:
    assert "by standard and site" not in certificate_html(granted)
