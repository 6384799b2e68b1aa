from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conformo.certificates.models import Certificate
from conformo.certificates.services import certificate_apply_decision
from conformo.certificates.tests.conftest import decide
from conformo.certification.models import Certification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_the_registry_page_searches_by_name(granted: Certificate, client: Client) -> None:
    response = client.get("/registry", {"q": "ACME"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 certificate found" in html
    assert 'href="/verify/NBC-2026-00001"' in html
    assert "ISO 14001:2015, ISO 9001:2015" in html


def test_the_registry_page_without_a_query_shows_only_the_form(granted: Certificate, client: Client) -> None:
    html = client.get("/registry").content.decode()
    assert 'name="q"' in html
    assert "NBC-2026-00001" not in html


def test_the_verify_page_shows_status_holder_scope_sites_dates_and_cb(granted: Certificate, client: Client) -> None:
    html = client.get("/verify/NBC-2026-00001").content.decode()
    assert 'data-status="active"' in html
    assert "VALID — ACTIVE" in html
    for text in (
        "Acme Precision Parts",
        "Machining of precision parts",
        "Stuttgart plant",
        "Leipzig warehouse",
        "2026-03-02",
        "2029-03-01",
        "Northbridge Certification",
        "UKAS 0042",
    ):
        assert text in html


def test_a_withdrawn_certificate_says_so_unmistakably(
    granted: Certificate, client: Client, certification: Certification, decision_maker: Any
) -> None:
    certificate_apply_decision(
        decision=decide(
            certification,
            "withdraw",
            date(2026, 5, 1),
            decision_maker,
            state_after="withdrawn",
            reason="Misuse of the mark",
        ),
        actor=decision_maker,
    )
    html = client.get("/verify/NBC-2026-00001").content.decode()
    assert "WITHDRAWN — NOT VALID" in html
    assert "VALID — ACTIVE" not in html


def test_an_unknown_number_is_a_404_page(client: Client, db: Any) -> None:
    response = client.get("/verify/NOPE-404")
    assert response.status_code == 404
    assert "No certificate NOPE-404" in response.content.decode()
