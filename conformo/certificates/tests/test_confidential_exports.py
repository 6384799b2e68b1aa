"""A confidential certificate (ISO/IEC 17021-1 8.4: the client asked that it not be published) is in no answer
to anyone but its CB and its holder: not in the public registry by number, superseded number, name search,
verification page or credential — also after it is re-issued — nor in another tenant's certificate list or
CertSearch export. Each test fails on a leak."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conformo.certificates.models import Certificate
from conformo.certificates.services import certificate_set_confidential
from conformo.certificates.tests.conftest import issue
from conformo.certification.models import Certification
from conformo.conftest import login, token_client

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/registry/certificates"


@pytest.fixture
def hidden(granted: Certificate, certification: Certification, cb_admin: Any, decision_maker: Any) -> Certificate:
    """Acme's certificate made confidential, then re-issued with a wider scope (revision R1)."""
    certificate_set_confidential(actor=cb_admin, certificate=granted, confidential=True)
    return issue(certification, "extend_scope", date(2026, 4, 1), decision_maker, scope="Machining and coating")


def test_the_re_issued_revision_stays_confidential(hidden: Certificate) -> None:
    assert hidden.number == "NBC-2026-00001-R1"
    assert set(Certificate.objects.values_list("confidential", flat=True)) == {True}


def test_no_public_answer_names_it(hidden: Certificate, client: Any) -> None:
    for number in ("NBC-2026-00001", "NBC-2026-00001-R1"):
        assert client.get(f"{REGISTRY}/{number}").status_code == 404
        assert client.get(f"{REGISTRY}/{number}/credential").status_code == 404
        assert client.get(f"/verify/{number}").status_code == 404
    for query in ("acme", "nbc", "NBC-2026-00001"):
        assert client.get(REGISTRY, {"q": query}).json()["count"] == 0
        page = client.get("/registry", {"q": query}).content  # the page repeats the query in its search box
        assert b"Acme Precision Parts" not in page
        assert b"Machining and coating" not in page


def test_only_its_cb_and_holder_list_it(
    hidden: Certificate,
    cb_admin: Any,
    client_member: Any,
    other_cb_admin: Any,
    other_client_admin: Any,
    outsider: Any,
) -> None:
    def numbers(user: Any) -> list[str]:
        api, _ = token_client(user)
        return [c["number"] for c in api.get("/api/v1/certificates").json()["items"]]

    assert numbers(cb_admin) == ["NBC-2026-00001-R1"]
    assert numbers(client_member) == ["NBC-2026-00001-R1"]
    for user in (other_cb_admin, other_client_admin, outsider):
        assert numbers(user) == []


@pytest.mark.parametrize("who", ["other_cb_admin", "client_admin", "auditor", "outsider"])
def test_the_certsearch_export_is_the_cbs_alone(
    hidden: Certificate, accredited_cb: Any, cb_admin: Any, who: str, request: Any
) -> None:
    url = f"/api/v1/certification-bodies/{accredited_cb.public_id}/certificates/export?format=csv"
    own = token_client(cb_admin)[0].get(url)
    assert own.status_code == 200
    assert b"NBC-2026-00001-R1" in own.content
    other = token_client(request.getfixturevalue(who))[0].get(url)
    assert other.status_code in (403, 404)
    assert b"NBC-2026-00001" not in other.content
    page = login(request.getfixturevalue(who)).get(f"/certificates/certsearch/export?cb={accredited_cb.public_id}")
    assert b"NBC-2026-00001" not in page.content
