"""Scope decisions on the structured scope: a reduction keeps a part of the current lines (ISO/IEC 17021-1
9.6.5.5) and is refused with `scope_not_subset` otherwise; an extension after its special audit may add lines;
the certificate keeps the lines it was issued with."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from conformo.audits import services
from conformo.certificates.models import Certificate
from conformo.certification.models import Decision
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import team
from conformo.conftest import login, token_client
from conformo.core.errors import ValidationFailed

MACHINING = "Machining of precision parts"


def lines_of(certification: Any) -> list[tuple[str, str | None, str, list[int]]]:
    return [
        (line.standard.code, line.site.name if line.site else None, line.activity, line.sector_codes)
        for line in services.scope_lines(certification)
    ]


def site_id(certification: Any, name: str) -> str:
    return str(certification.organization.sites.get(name=name).public_id)


def test_a_reduction_to_one_site_is_accepted_and_the_statement_generated(granted, decision_maker):
    north = site_id(granted, "Plant North")
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="reduce_scope",
        reason="Other plants closed",
        scope_lines=[{"standard": "iso-9001-2015", "site": north, "activity": MACHINING, "sector_codes": [17]}],
        decided_on=date(2026, 6, 1),
    )
    granted.refresh_from_db()
    assert lines_of(granted) == [("iso-9001-2015", "Plant North", MACHINING, [17])]
    assert granted.scope == f"ISO 9001:2015 — Plant North: {MACHINING} (IAF 17)."
    certificate = Certificate.objects.get(certification=granted, is_current=True)
    assert certificate.revision == 1
    assert [(site["name"], site["scope"]) for site in certificate.sites] == [("Plant North", MACHINING)]
    assert certificate.scope_lines == [
        {
            "standard": "iso-9001-2015",
            "designation": "ISO 9001:2015",
            "site": "Plant North",
            "address": certificate.scope_lines[0]["address"],
            "activity": MACHINING,
            "iaf_codes": [17],
        }
    ]


def test_a_reduction_that_adds_a_code_is_refused_naming_it_and_changes_nothing(granted, decision_maker):
    with pytest.raises(ValidationFailed) as refused:
        decision_take(
            actor=decision_maker,
            certification=granted,
            kind="reduce_scope",
            reason="Narrower",
            scope_lines=[
                {"standard": "iso-9001-2015", "activity": MACHINING, "sector_codes": [17, 18]},
                {"standard": "iso-9001-2015", "activity": "Assembly", "sector_codes": []},
            ],
            decided_on=date(2026, 6, 1),
        )
    assert refused.value.code == "scope_not_subset"
    assert "IAF code(s) 18" in refused.value.message
    assert "“Assembly”" in refused.value.message
    assert lines_of(granted) == [("iso-9001-2015", None, MACHINING, [17])]
    assert not Decision.objects.filter(kind="reduce_scope").exists()


def test_a_reduction_by_statement_alone_is_refused_when_the_scope_has_lines(granted, decision_maker):
    with pytest.raises(ValidationFailed) as refused:
        decision_take(
            actor=decision_maker,
            certification=granted,
            kind="reduce_scope",
            reason="Narrower",
            scope="Anything at all",
            decided_on=date(2026, 6, 1),
        )
    assert "scope_lines" in refused.value.fields


def test_an_extension_after_its_special_audit_may_add_lines(granted, decision_maker, programme_manager, ready):
    programme = granted.programmes.get()
    special = services.special_audit_create(
        actor=programme_manager, programme=programme, purpose="scope_extension", due_by=None, days=Decimal(1)
    )
    services.audit_team_assign(actor=programme_manager, audit=special, members=team(ready))
    services.audit_start(actor=programme_manager, audit=special, on=date(2026, 6, 2))
    services.audit_complete(actor=programme_manager, audit=special, on=date(2026, 6, 3))
    south = site_id(granted, "Plant South")
    decision_take(
        actor=decision_maker,
        certification=granted,
        kind="extend_scope",
        scope_lines=[
            {"standard": "iso-9001-2015", "activity": MACHINING, "sector_codes": [17]},
            {"standard": "iso-9001-2015", "site": south, "activity": "Assembly of gearboxes", "sector_codes": [18]},
        ],
        decided_on=date(2026, 6, 10),
    )
    granted.refresh_from_db()
    assert lines_of(granted)[1] == ("iso-9001-2015", "Plant South", "Assembly of gearboxes", [18])
    assert granted.sector_codes == [17, 18]


def test_the_api_refuses_a_reduction_outside_the_scope_then_takes_one_within(granted, decision_maker):
    client, _ = token_client(decision_maker)
    url = f"/api/v1/certifications/{granted.public_id}/decisions"
    body: dict[str, Any] = {
        "kind": "reduce_scope",
        "reason": "Plant sold",
        "confirm": "on",
        "decided_on": "2026-06-01",
        "scope_lines": [{"standard": "iso-9001-2015", "activity": "Assembly", "sector_codes": [17]}],
    }
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "scope_not_subset"
    assert "scope_lines" in refused.json()["fields"]
    body["scope_lines"] = [
        {"standard": "iso-9001-2015", "site_id": site_id(granted, "Head office"), "activity": MACHINING}
    ]
    taken = client.post(url, json.dumps(body), content_type="application/json")
    assert taken.status_code == 201, taken.content
    detail = client.get(f"/api/v1/certifications/{granted.public_id}").json()
    assert [(x["site_name"], x["sector_codes"]) for x in detail["scope_lines"]] == [("Head office", [])]


def test_the_decision_page_reduces_the_scope_with_its_lines(granted, decision_maker):
    client = login(decision_maker)
    page = client.get(reverse("certification:detail", args=[granted.public_id]))
    assert "Scope lines after a scope change" in page.content.decode()
    data = {
        "kind": "reduce_scope",
        "reason": "Plant sold",
        "confirm": "on",
        "scope_lines-TOTAL_FORMS": "1",
        "scope_lines-INITIAL_FORMS": "1",
        "scope_lines-MIN_NUM_FORMS": "0",
        "scope_lines-MAX_NUM_FORMS": "200",
        "scope_lines-0-standard": "iso-9001-2015",
        "scope_lines-0-site": site_id(granted, "Plant South"),
        "scope_lines-0-activity": MACHINING,
        "scope_lines-0-sector_codes": ["17", "18"],
    }
    url = reverse("certification:decision-take", args=[granted.public_id])
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "IAF code(s) 18" in refused.content.decode()
    data["scope_lines-0-sector_codes"] = ["17"]
    assert client.post(url, data).status_code == 302
    assert lines_of(granted) == [("iso-9001-2015", "Plant South", MACHINING, [17])]


def test_the_cli_shows_the_scope_lines_by_standard_and_site(granted):
    out = io.StringIO()
    call_command("certification", "scope", str(granted.public_id), stdout=out)
    assert out.getvalue().splitlines()[1:] == ["ISO 9001:2015", f"  All sites: {MACHINING} [IAF 17]"]
    as_json = io.StringIO()
    call_command("certification", "scope", str(granted.public_id), "--json", stdout=as_json)
    assert json.loads(as_json.getvalue())[0]["sector_codes"] == [17]


def test_the_certifications_api_lists_scope_lines_in_a_constant_number_of_queries(cb, acme, cb_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conformo.audits.models import ScopeLine
    from conformo.audits.tests.factories import StandardFactory
    from conformo.certification.models import Certification
    from conformo.core.tests.factories import SiteFactory

    standard = StandardFactory.create(code="iso-9001-2015", designation="ISO 9001:2015")
    site = SiteFactory.create(organization=acme, name="Plant")
    client, _ = token_client(cb_admin)

    def add(count: int) -> None:
        for _ in range(count):
            certification = Certification.objects.create(certification_body=cb, organization=acme, scope="Work")
            certification.standards.set([standard])
            for where in (None, site):
                ScopeLine.objects.create(certification=certification, standard=standard, site=where, activity="Work")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/certifications")
        assert response.status_code == 200
        return len(captured)

    add(1)
    queries()  # the token's first use records it
    one = queries()
    add(5)
    assert queries() == one
    items = client.get("/api/v1/certifications").json()["items"]
    assert [line["site_name"] for line in items[0]["scope_lines"]] == [None, "Plant"]
